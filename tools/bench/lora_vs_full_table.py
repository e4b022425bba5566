#!/usr/bin/env python3
"""Prints tools/bench.sh lora-vs-full's table from the fine-tuning runs it made.

Usage: lora_vs_full_table.py BATCH NAME REPORT.json PEAK_KIB [NAME REPORT.json PEAK_KIB ...]

Each REPORT.json is what `tern finetune --json` printed for one configuration, and PEAK_KIB
a file holding that process's peak resident set in KiB (GNU time's %M, the kernel's
high-water mark, the same number as VmHWM in /proc/PID/status). The mean step time leaves
out the first epoch, which pays for ONNX Runtime's first allocations; it is each epoch's
training time (validation not counted) over its steps.
"""
import json
import math
import sys


def row(batch, name, report_file, peak_file):
    with open(report_file, encoding="utf-8") as f:
        report = json.load(f)
    with open(peak_file, encoding="utf-8") as f:
        peak_kib = int(f.read().split()[0])
    epochs = report["epochs"]
    if len(epochs) < 2:
        sys.exit(f"{report_file}: {len(epochs)} epoch(s); the step time leaves out the first, so run at least 2")
    steps_per_epoch = math.ceil(report["trainExamples"] / batch)
    timed = epochs[1:]
    step_ms = 1000 * sum(e["trainSeconds"] for e in timed) / (steps_per_epoch * len(timed))
    best = max(epochs, key=lambda e: e["validationAccuracy"])
    return {
        "name": name,
        "parameters": report["trainedParameters"],
        "best": best["validationAccuracy"],
        "best_epoch": best["epoch"],
        "final": epochs[-1]["validationAccuracy"],
        "step_ms": step_ms,
        "peak_mib": peak_kib / 1024,
        "accuracies": [e["validationAccuracy"] for e in epochs],
    }


def main(args):
    if len(args) < 4 or (len(args) - 1) % 3 != 0:
        sys.exit(__doc__)
    batch = int(args[0])
    rows = [row(batch, *args[i:i + 3]) for i in range(1, len(args), 3)]
    print("| configuration | trainable parameters | best validation accuracy (epoch) | final validation accuracy"
          " | mean step ms (epochs 2+) | peak resident MiB |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    for r in rows:
        print(f"| {r['name']} | {r['parameters']:,} | {100 * r['best']:.2f}% ({r['best_epoch']}) | {100 * r['final']:.2f}%"
              f" | {r['step_ms']:.0f} | {r['peak_mib']:.0f} |")
    print()
    for r in rows:
        print(f"{r['name']}: validation accuracy by epoch "
              + ", ".join(f"{100 * accuracy:.2f}%" for accuracy in r["accuracies"]))
    first = rows[0]
    for other in rows[1:]:
        print(f"{first['name']} against {other['name']}: best accuracy {100 * (first['best'] - other['best']):+.2f} points,"
              f" final {100 * (first['final'] - other['final']):+.2f} points;"
              f" step time x{first['step_ms'] / other['step_ms']:.2f}, peak memory x{first['peak_mib'] / other['peak_mib']:.2f},"
              f" trainable parameters x{first['parameters'] / other['parameters']:.3f}")


if __name__ == "__main__":
    main(sys.argv[1:])
