#!/usr/bin/env bash
# Import benchmark for the fp32 all-MiniLM-L6-v2 model, from any directory:
#   1. JMH: time per import (avgt, ms) and allocation per import (-prof gc: gc.alloc.rate.norm)
#      for OnnxImporter.read(Path) vs read(byte[]), side by side;
#   2. retained heap (and mapped/direct buffers) while holding an imported model.
# Arguments go to JMH, e.g.  tools/bench.sh -f 1 -wi 3 -i 5
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# bin/tern builds the fat jar (and unpacks the models) when missing or stale.
"$root/bin/tern" --version > /dev/null
jar="$root/tools/target/tern.jar"
cd "$root"  # the benchmarks find the model relative to the repository root

java -cp "$jar" org.openjdk.jmh.Main ImportBenchmark -prof gc "$@"
java -Xms1g -Xmx1g -cp "$jar" dev.tern.bench.RetainedHeap tools/target/models/all-minilm-l6-v2.onnx
