"""What tools/bench.sh's training comparisons share: one JMH run of one Tern model, one PyTorch run
of one model, the load average, and the Markdown tables and medians they print.

Each run is a process of its own with its output in a log file, so that a comparison can put the
two sides of one model back to back and repeat the whole sequence."""
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path


JMH_LOCK_MESSAGE = "Unable to acquire the JMH lock"
JMH_LOCK_WAIT_SECONDS = 900
JMH_LOCK_POLL_SECONDS = 15


@dataclass(frozen=True)
class Rounds:
    """Warm-up and measured rounds of at least `seconds` each, the same on both sides."""
    warmup: int
    measured: int
    seconds: int

    def jmh_options(self):
        return ["-wi", str(self.warmup), "-w", f"{self.seconds}s", "-i", str(self.measured), "-r", f"{self.seconds}s"]

    def torch_options(self):
        return ["--warmup-rounds", str(self.warmup), "--rounds", str(self.measured), "--seconds", str(self.seconds)]


@dataclass(frozen=True)
class Score:
    """Milliseconds per step and JMH's 99.9% error margin (None for PyTorch, which reports none)."""
    ms: float
    error: float | None = None

    def __str__(self):
        return f"{self.ms:.3f}" if self.error is None else f"{self.ms:.3f} ± {self.error:.3f}"


class RunFailed(Exception):
    """A benchmark process failed or printed no score; the message names the run and its log."""


def load_average():
    """The one-minute load average (/proc/loadavg's first field)."""
    return float(Path("/proc/loadavg").read_text().split()[0])


def machine():
    """One line naming the architecture, the cores and the CPU model."""
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), "unknown CPU")
    return f"{platform.machine()}, {os.cpu_count()} cores, {cpu}"


def jmh_score(jar, benchmark, model, threads, rounds, result_file, log_file):
    """Runs `benchmark`'s step for one model and thread count from `jar` in one JMH fork and
    returns its score; raises RunFailed when JMH fails or writes no result for that model."""
    command = ["java", "-cp", str(jar), "org.openjdk.jmh.Main", rf"^dev\.tern\.bench\.{benchmark}\.step$",
               "-p", f"model={model}", "-p", f"threads={threads}", "-f", "1", *rounds.jmh_options(),
               "-foe", "true", "-rf", "json", "-rff", str(result_file)]
    what = f"JMH {benchmark} {model} at {threads_label(threads)} from {jar}"
    waited = 0
    while True:
        try:
            _run(command, log_file, what)
            return parse_jmh_result(Path(result_file).read_text(), model, threads)
        except RunFailed:
            # JMH refuses to start while another JMH run on this machine holds its lock: that
            # run would distort both, so wait for it rather than override the lock.
            if JMH_LOCK_MESSAGE not in Path(log_file).read_text() or waited >= JMH_LOCK_WAIT_SECONDS:
                raise
            if waited == 0:
                print(f" (waiting up to {JMH_LOCK_WAIT_SECONDS} s for another JMH run to end)", end="", flush=True)
            time.sleep(JMH_LOCK_POLL_SECONDS)
            waited += JMH_LOCK_POLL_SECONDS


def parse_jmh_result(text, model, threads):
    """The score in JMH's JSON result (-rf json) for the run with these model and threads
    parameters, in milliseconds; raises RunFailed when there is none or its unit is not ms/op."""
    for result in json.loads(text):
        params = result.get("params", {})
        if params.get("model") == model and params.get("threads") == str(threads):
            metric = result["primaryMetric"]
            if metric["scoreUnit"] != "ms/op":
                raise RunFailed(f"JMH reported {model} at {threads_label(threads)} in {metric['scoreUnit']}, "
                                "expected ms/op")
            return Score(float(metric["score"]), float(metric["scoreError"]))
    raise RunFailed(f"JMH's result has no run of model={model}, threads={threads}")


def torch_score(script, model, threads, rounds, log_file):
    """Runs one PyTorch script (tools/bench/*_torch.py) for one model with its thread pools
    limited to `threads` and returns its score; raises RunFailed when it fails or prints none."""
    # OpenMP's and OpenBLAS's pools size themselves from these variables, not from
    # torch.set_num_threads, and fight over the cores otherwise. OPENBLAS_CORETYPE is dropped
    # so that OpenBLAS picks its own kernel for this CPU.
    env = {key: value for key, value in os.environ.items() if key != "OPENBLAS_CORETYPE"}
    env.update(OMP_NUM_THREADS=str(threads), OPENBLAS_NUM_THREADS=str(threads))
    command = [sys.executable, str(script), str(threads), model, *rounds.torch_options()]
    output = _run(command, log_file, f"PyTorch {Path(script).name} {model} at {threads_label(threads)}", env)
    return parse_torch_output(output, model, threads)


def parse_torch_output(text, model, threads):
    """The score on the PyTorch scripts' `MODEL THREADS MS_PER_STEP` line for this model and
    thread count; raises RunFailed when there is no such line."""
    for line in text.splitlines():
        fields = line.split()
        if len(fields) == 3 and fields[0] == model and fields[1] == str(threads):
            return Score(float(fields[2]))
    raise RunFailed(f"the PyTorch script printed no line for {model} at {threads_label(threads)}")


def _run(command, log_file, what, env=None):
    """Runs `command`, its standard output and error in `log_file`; returns the standard output."""
    completed = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    Path(log_file).write_text(completed.stdout)
    if completed.returncode != 0:
        tail = "\n".join(completed.stdout.splitlines()[-20:])
        raise RunFailed(f"{what} exited with status {completed.returncode}; log {log_file}, ending:\n{tail}")
    return completed.stdout


def markdown_table(headers, rows, right_aligned_from=1):
    """A Markdown table; columns from `right_aligned_from` on (the numbers) are right-aligned."""
    lines = ["| " + " | ".join(headers) + " |",
             "| " + " | ".join("---" if i < right_aligned_from else "---:" for i in range(len(headers))) + " |"]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def ratio(numerator, denominator):
    return numerator.ms / denominator.ms


def medians_by_key(rounds):
    """For a list of rounds, each a dict from a key to a number, the median of each key's
    numbers over the rounds that have it, in the first round's key order."""
    keys = list(dict.fromkeys(key for measured in rounds for key in measured))
    return {key: statistics.median(measured[key] for measured in rounds if key in measured) for key in keys}


def common_arguments(parser, logs):
    """Adds the options both comparisons take: the jar, the rounds, the thread counts, the logs folder."""
    parser.add_argument("--jar", required=True, type=Path, help="this tree's fat jar with the JMH benchmarks")
    parser.add_argument("--rounds", type=int, default=2, help="times the whole sequence runs (default 2)")
    parser.add_argument("--threads", type=int, nargs="+", default=[1],
                        help="intra-op thread counts, each model at each in turn (default 1; e.g. --threads 1 2)")
    parser.add_argument("--logs", type=Path, default=Path(logs), help=f"folder for the runs' output (default {logs})")


def run_rounds(count, measure_round, round_table, median_table):
    """Calls measure_round(round_number) `count` times, printing round_table(results) after each
    and median_table(all rounds' results) at the end; exits with status 1 when a run fails."""
    if count < 1:
        sys.exit(f"--rounds must be at least 1, found {count}")
    rounds = []
    started = time.monotonic()
    try:
        for round_number in range(1, count + 1):
            print(f"\nround {round_number} of {count}")
            results = measure_round(round_number)
            rounds.append(results)
            print(f"\nRound {round_number}:\n\n{round_table(results)}")
    except RunFailed as failure:
        sys.exit(f"\n{failure}")
    print(f"\nMedian over {count} round{'s' if count > 1 else ''} "
          f"({(time.monotonic() - started) / 60:.1f} min in all):\n")
    print(median_table(rounds))


def threads_label(threads):
    return "1 thread" if threads == 1 else f"{threads} threads"
