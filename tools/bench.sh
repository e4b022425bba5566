#!/usr/bin/env bash
# Tern's benchmarks, from any directory. The first argument picks one; the rest go to JMH.
#
#   tools/bench.sh import    [JMH args]  ImportBenchmark (-prof gc) on the fp32 MiniLM, then
#                                         RetainedHeap: heap held by an imported model
#   tools/bench.sh sessions  [JMH args]  SessionCreationBenchmark, then SessionMemory: resident
#                                         memory per session creation path, one fresh JVM each
#   tools/bench.sh inference [JMH args]  InferenceBenchmark: Tern's executor against ORT by hand
#   tools/bench.sh memory    [RUNS]       RunMemoryCheck: heap and resident memory over a million runs
#   tools/bench.sh serving   [JMH args]  ServingBenchmark: one inference of the example MLP through
#                                         the executor, the server's service, gRPC and REST
#   tools/bench.sh load                   ServerLoadBenchmark: the server under concurrent load (MLP and
#                                         int8 MiniLM, with and without dynamic batching), then a soak
#   tools/bench.sh adapters  [ROUNDS]     AdapterServingBenchmark: a tern serve process with MiniLM and 3
#                                         LoRA adapters against one with the 3 merged MiniLMs: resident
#                                         memory of each, latency with an adapter against the merged model
#   tools/bench.sh train     [JMH args]  TrainStepBenchmark (digits MLP and CNN, 1 and 2 threads) and
#                                         EncoderStepBenchmark (MiniLM fine-tuning at 8x128), then the
#                                         same models in PyTorch (tools/bench/train_step_torch.py and
#                                         encoder_step_torch.py, Debian's python3-torch), then a
#                                         side-by-side table
#   tools/bench.sh quantize  [JMH args]  tern quantize --per-channel of the fp32 MiniLM, then one
#                                         inference at 1 thread (InferenceBenchmark.ternRun, batch 1,
#                                         128 tokens) of fp32, ONNX Runtime's int8 and Tern's int8
#
# Example: tools/bench.sh import -f 2 -wi 5 -i 10
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
which="${1:-}"
shift || true
# Checked before the build so that a missing PyTorch fails fast; the script never installs it.
if [[ "$which" == train ]] && ! /usr/bin/python3 -c 'import torch' 2> /dev/null; then
  echo "PyTorch is missing for /usr/bin/python3; install it with: sudo apt-get install -y python3-torch" >&2
  exit 2
fi

# bin/tern builds the fat jar (and unpacks the models) when missing or stale.
"$root/bin/tern" --version > /dev/null
jar="$root/tools/target/tern.jar"
cd "$root"  # the benchmarks find the models relative to the repository root

case "$which" in
  import)
    java -cp "$jar" org.openjdk.jmh.Main ImportBenchmark -prof gc "$@"
    java -Xms1g -Xmx1g -cp "$jar" dev.tern.bench.RetainedHeap tools/target/models/all-minilm-l6-v2.onnx
    ;;
  sessions)
    java -cp "$jar" org.openjdk.jmh.Main SessionCreationBenchmark "$@"
    # A fixed, pre-touched heap keeps heap growth out of the resident-memory readings.
    for path in compile open path bytes; do
      java -Xms512m -Xmx512m -XX:+AlwaysPreTouch -cp "$jar" dev.tern.bench.SessionMemory "$path"
    done
    ;;
  inference)
    java -cp "$jar" org.openjdk.jmh.Main InferenceBenchmark "$@"
    ;;
  memory)
    java -Xms256m -Xmx256m -cp "$jar" dev.tern.bench.RunMemoryCheck "$@"
    ;;
  serving)
    java -cp "$jar" org.openjdk.jmh.Main ServingBenchmark "$@"
    ;;
  load)
    # A fixed heap makes the soak's heap and resident-memory readings comparable from step to step.
    java -Xms1g -Xmx1g -cp "$jar" dev.tern.bench.ServerLoadBenchmark
    ;;
  adapters)
    java -cp "$jar" dev.tern.bench.AdapterServingBenchmark "$@"
    ;;
  train)
    tern_csv="$(mktemp)"
    torch_out="$(mktemp)"
    trap 'rm -f "$tern_csv" "$torch_out"' EXIT
    java -cp "$jar" org.openjdk.jmh.Main 'TrainStepBenchmark|EncoderStepBenchmark' -rf csv -rff "$tern_csv" "$@"
    /usr/bin/python3 tools/bench/train_step_torch.py | tee "$torch_out"
    /usr/bin/python3 tools/bench/encoder_step_torch.py | tee -a "$torch_out"
    echo
    echo "$(uname -m), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
    # JMH's CSV rows end in ...,"ms/op",MODEL,THREADS and CRLF; the PyTorch lines are MODEL THREADS MS.
    awk 'NR == FNR { torch[$1 " " $2] = $3; next }
             { sub(/\r$/, "") }
             FNR == 1 { print "| model | threads | Tern ms/step | PyTorch ms/step | Tern/PyTorch |"
                        print "| --- | ---: | ---: | ---: | ---: |"; next }
             { key = $8 " " $9; printf "| %s | %s | %.3f | %.3f | %.2f |\n", $8, $9, $5, torch[key], $5 / torch[key] }' \
      FS=' ' "$torch_out" FS=, "$tern_csv"
    ;;
  quantize)
    models=tools/target/models
    "$root/bin/tern" quantize "$models/all-minilm-l6-v2.onnx" "$models/all-minilm-l6-v2-tern-q.onnx" --per-channel
    java -cp "$jar" org.openjdk.jmh.Main 'InferenceBenchmark.ternRun' \
      -p benchCase=minilm/1,minilm-q/1,minilm-tern-q/1 "$@"
    ;;
  *)
    echo "usage: tools/bench.sh import|sessions|inference|memory|serving|load|adapters|train|quantize [arguments]" >&2
    exit 2
    ;;
esac
