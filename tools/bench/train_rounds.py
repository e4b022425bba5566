#!/usr/bin/env python3
"""Tern's training step against PyTorch's, model by model (tools/bench.sh train).

For each model, Tern's JMH benchmark for that model alone runs, then the PyTorch script for that
model, back to back, so that both rows of a ratio see the same machine load; the load average is
printed before and after each model. The whole sequence is repeated for several rounds, with one
Markdown table per round and, at the end, each model's median ratio over the rounds. Both sides
use the same warm-up and measured rounds (see MODELS). Run from the repository root, which the
benchmarks find their models under; JMH's and PyTorch's output go to log files.
"""
import argparse
from dataclasses import dataclass
from pathlib import Path

from bench_runs import (Rounds, Score, common_arguments, jmh_score, load_average, machine, markdown_table,
                        medians_by_key, ratio, run_rounds, threads_label, torch_score)

HERE = Path(__file__).resolve().parent
# The JMH annotations of TrainStepBenchmark and FamilyStepBenchmark.
SMALL = Rounds(warmup=3, measured=5, seconds=2)
# Fewer rounds than EncoderStepBenchmark's annotations (3 and 5 x 4 s) to keep the whole run near
# 15 minutes; one PyTorch MiniLM step takes about 3 s on one core, so a round holds a step or two.
ENCODER = Rounds(warmup=2, measured=4, seconds=4)


@dataclass(frozen=True)
class Model:
    """One row: the name JMH's model parameter and the PyTorch script both take, the table's label,
    the JMH benchmark class, the PyTorch script and the rounds."""
    name: str
    label: str
    benchmark: str
    torch_script: str
    rounds: Rounds


MODELS = [
    Model("mlp", "MLP", "TrainStepBenchmark", "train_step_torch.py", SMALL),
    Model("cnn", "CNN", "TrainStepBenchmark", "train_step_torch.py", SMALL),
    Model("autoencoder", "autoencoder", "FamilyStepBenchmark", "family_step_torch.py", SMALL),
    Model("lstm", "LSTM classifier", "FamilyStepBenchmark", "family_step_torch.py", SMALL),
    Model("gan", "GAN step", "FamilyStepBenchmark", "family_step_torch.py", SMALL),
    Model("minilm", "MiniLM fine-tuning, 8 x 128", "EncoderStepBenchmark", "encoder_step_torch.py", ENCODER),
]


@dataclass(frozen=True)
class Pair:
    """One model's Tern and PyTorch scores from one round, with the load average around them."""
    model: Model
    threads: int
    tern: Score
    torch: Score
    load_before: float
    load_after: float

    def key(self):
        return self.model.label, self.threads


def measure_pair(jar, model, threads, logs, round_number):
    prefix = logs / f"round{round_number}-{model.name}-{threads}t"
    load_before = load_average()
    print(f"  {model.label}, {threads_label(threads)}: load average {load_before:.2f}", end="", flush=True)
    tern = jmh_score(jar, model.benchmark, model.name, threads, model.rounds, f"{prefix}-tern.json",
                     f"{prefix}-tern.log")
    print(f"; Tern {tern} ms/step", end="", flush=True)
    torch = torch_score(HERE / model.torch_script, model.name, threads, model.rounds, f"{prefix}-torch.log")
    load_after = load_average()
    print(f"; PyTorch {torch} ms/step; load average {load_after:.2f}", flush=True)
    return Pair(model, threads, tern, torch, load_before, load_after)


def round_table(pairs):
    return markdown_table(
        ["model", "threads", "Tern ms/step", "PyTorch ms/step", "Tern/PyTorch", "load average before, after"],
        [[p.model.label, p.threads, p.tern, p.torch, f"{ratio(p.tern, p.torch):.2f}",
          f"{p.load_before:.2f}, {p.load_after:.2f}"] for p in pairs])


def median_table(rounds):
    """Each model's ratio in every round and the median of them, with the median milliseconds."""
    ratios = [{p.key(): ratio(p.tern, p.torch) for p in pairs} for pairs in rounds]
    tern = medians_by_key([{p.key(): p.tern.ms for p in pairs} for pairs in rounds])
    torch = medians_by_key([{p.key(): p.torch.ms for p in pairs} for pairs in rounds])
    medians = medians_by_key(ratios)
    rows = []
    for key, median in medians.items():
        label, threads = key
        by_round = ", ".join(f"{measured[key]:.2f}" for measured in ratios if key in measured)
        rows.append([label, threads, f"{tern[key]:.3f}", f"{torch[key]:.3f}", by_round, f"{median:.2f}"])
    return markdown_table(["model", "threads", "median Tern ms/step", "median PyTorch ms/step",
                           "Tern/PyTorch by round", "median Tern/PyTorch"], rows)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    common_arguments(parser, "tools/target/bench-train")
    parser.add_argument("--models", nargs="+", choices=[m.name for m in MODELS], default=[m.name for m in MODELS],
                        help="models to run, in this order (default all)")
    args = parser.parse_args()
    models = [next(m for m in MODELS if m.name == name) for name in args.models]
    args.logs.mkdir(parents=True, exist_ok=True)
    print(machine())
    print(f"JMH's and PyTorch's output: {args.logs}")
    run_rounds(args.rounds,
               lambda number: [measure_pair(args.jar, model, threads, args.logs, number)
                               for model in models for threads in args.threads],
               round_table, median_table)


if __name__ == "__main__":
    main()
