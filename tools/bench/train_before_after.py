#!/usr/bin/env python3
"""Tern's training steps in this tree against a base commit's (tools/bench.sh train-before-after).

Times the MLP, CNN and MiniLM steps (TrainStepBenchmark, EncoderStepBenchmark; the rounds of
train_rounds.MODELS) from this tree's jar and from a base commit's, built from `git archive`
(base_jar.py). By default the base is the commit before the multi-loss training API, which must
not have slowed these steps down. Each model runs from both jars back to back, alternating which
goes first from round to round, with one Markdown table of after/before ratios per round and each
model's median ratio at the end. Both jars read the models from this tree's tools/target/models;
run from the repository root.
"""
import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

import base_jar
from bench_runs import (Score, common_arguments, jmh_score, load_average, machine, markdown_table, medians_by_key,
                        ratio, run_rounds, threads_label)
from train_rounds import MODELS

# The steps the base commit has benchmarks for too.
COMPARED = [model for model in MODELS if model.name in ("mlp", "cnn", "minilm")]


@dataclass(frozen=True)
class Pair:
    """One model's scores from the base jar (before) and this tree's (after) in one round."""
    label: str
    threads: int
    before: Score
    after: Score
    load_before: float
    load_after: float


def measure_pair(jars, model, threads, logs, round_number):
    """Runs both jars for one model; the base first in odd rounds, this tree first in even ones,
    so that load drifting during a round does not favour one side."""
    order = ["before", "after"] if round_number % 2 == 1 else ["after", "before"]
    load_before = load_average()
    print(f"  {model.label}, {threads_label(threads)}: load average {load_before:.2f}", end="", flush=True)
    scores = {}
    for side in order:
        prefix = logs / f"round{round_number}-{model.name}-{threads}t-{side}"
        scores[side] = jmh_score(jars[side], model.benchmark, model.name, threads, model.rounds, f"{prefix}.json",
                                 f"{prefix}.log")
        print(f"; {side} {scores[side]} ms/step", end="", flush=True)
    load_after = load_average()
    print(f"; load average {load_after:.2f}", flush=True)
    return Pair(model.label, threads, scores["before"], scores["after"], load_before, load_after)


def round_table(pairs, base):
    return markdown_table(
        ["model", "threads", f"before ({base[:7]}) ms/step", "after (this tree) ms/step", "after/before",
         "load average before, after"],
        [[p.label, p.threads, p.before, p.after, f"{ratio(p.after, p.before):.2f}",
          f"{p.load_before:.2f}, {p.load_after:.2f}"] for p in pairs])


def median_table(rounds):
    ratios = [{(p.label, p.threads): ratio(p.after, p.before) for p in pairs} for pairs in rounds]
    rows = []
    for key, median in medians_by_key(ratios).items():
        label, threads = key
        by_round = ", ".join(f"{measured[key]:.2f}" for measured in ratios if key in measured)
        rows.append([label, threads, by_round, f"{median:.2f}"])
    return markdown_table(["model", "threads", "after/before by round", "median after/before"], rows)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    common_arguments(parser, "tools/target/bench-train-before-after")
    parser.add_argument("--base", help="the commit to compare with (default: the one before the multi-loss API)")
    args = parser.parse_args()
    root = Path.cwd()
    try:
        base = base_jar.git(root, "rev-parse", "--verify", f"{args.base}^{{commit}}") if args.base \
            else base_jar.before_multi_loss_api(root)
        jars = {"before": base_jar.built_jar(root, base), "after": args.jar}
    except base_jar.BuildFailed as failure:
        sys.exit(str(failure))
    args.logs.mkdir(parents=True, exist_ok=True)
    print(machine())
    print(f"before: {base[:10]} ({jars['before']}); after: this tree ({jars['after']}); JMH's output: {args.logs}")
    run_rounds(args.rounds,
               lambda number: [measure_pair(jars, model, threads, args.logs, number)
                               for model in COMPARED for threads in args.threads],
               lambda pairs: round_table(pairs, base), median_table)


if __name__ == "__main__":
    main()
