#!/usr/bin/env bash
# Tern's benchmarks, from any directory. The first argument picks one; the rest go to JMH.
#
#   tools/bench.sh import    [JMH args]  ImportBenchmark (-prof gc) on the fp32 MiniLM, then
#                                         RetainedHeap: heap held by an imported model
#   tools/bench.sh sessions  [JMH args]  SessionCreationBenchmark, then SessionMemory: resident
#                                         memory per session creation path, one fresh JVM each
#   tools/bench.sh inference [JMH args]  InferenceBenchmark: Tern's executor against ORT by hand
#   tools/bench.sh varying-batch [JMH args]
#                                         VaryingBatchBenchmark: the executor running the MLP with batch
#                                         sizes that change from run to run, beside one size kept
#   tools/bench.sh memory    [RUNS]       RunMemoryCheck: heap and resident memory over a million runs
#   tools/bench.sh serving   [JMH args]  ServingBenchmark: one inference of the example MLP through
#                                         the executor, the server's service, gRPC and REST
#   tools/bench.sh load                   ServerLoadBenchmark: the server under concurrent load (MLP and
#                                         int8 MiniLM, with and without dynamic batching), then a soak
#   tools/bench.sh batching [--models mlp,int8,fp32] [--rounds R] [--duels D]
#                                         BatchingBenchmark: digits MLP, int8 and fp32 MiniLM over gRPC
#                                         at concurrency 32 and 1 on every instances x threads setup
#                                         ({1,2} x {1,2}), unbatched and batched, the best of each and
#                                         their ratios, then each model's per-row cost at batch 1 and 16
#   tools/bench.sh p50-baseline BASE [ROUNDS] [SECONDS]
#                                         tools/bench/p50_baseline.sh: gRPC p50 at concurrency 1 of
#                                         this checkout's tern serve against BASE's, rounds alternated
#   tools/bench.sh adapters  [ROUNDS]     AdapterServingBenchmark: a tern serve process with MiniLM and 3
#                                         LoRA adapters against one with the 3 merged MiniLMs: resident
#                                         memory of each, latency with an adapter against the merged model
#   tools/bench.sh train     [--rounds R] [--threads 1 2] [--models M ...]
#                                         Tern's training step against PyTorch's (Debian's
#                                         python3-torch over OpenBLAS, installed when run as root) for
#                                         the MLP, CNN, autoencoder, LSTM classifier, GAN and MiniLM:
#                                         per model, its JMH benchmark then its tools/bench/*_torch.py
#                                         script, back to back; the sequence R times (default 2), a
#                                         table per round and the median ratios (tools/bench/train_rounds.py)
#   tools/bench.sh train-before-after [--base COMMIT] [--rounds R] [--threads 1 2]
#                                         The MLP, CNN and MiniLM steps of this tree against a base
#                                         commit's jar (default: the commit before the multi-loss
#                                         API), alternating jars, after/before ratios
#                                         (tools/bench/train_before_after.py)
#   tools/bench.sh quantize  [JMH args]  tern quantize --per-channel of the fp32 MiniLM, then one
#                                         inference at 1 thread (InferenceBenchmark.ternRun, batch 1,
#                                         128 tokens) of fp32, ONNX Runtime's int8 and Tern's int8,
#                                         then the three compared on data/sentences.txt (cosine to
#                                         fp32) and timed in turn in one JVM
#                                         (compress's MiniLmQuantizationComparison; QUANTIZE_SECONDS,
#                                         default 60, sets how long)
#   tools/bench.sh lora-vs-full [EPOCHS [LORA_LR FULL_LR]]
#                                         tern finetune of MiniLM with a new head on data/glosses.tsv,
#                                         twice, one JVM each: rank-8 LoRA on all six layers' attention
#                                         and feed-forward weights, then the last two layers in full;
#                                         a table of trainable parameters, validation accuracy, step
#                                         time and peak resident memory (default: 3 epochs, 1e-3, 2e-4)
#
# Example: tools/bench.sh import -f 2 -wi 5 -i 10
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
which="${1:-}"
shift || true
# The PyTorch a user would have: Debian's python3-torch runs on whatever libblas.so.3 the
# alternatives system points at, the reference BLAS unless libopenblas0-pthread is installed.
# Checked before the build so that a missing piece fails fast.
torch_setup() {
  local missing=()
  /usr/bin/python3 -c 'import torch' 2> /dev/null || missing+=(python3-torch)
  dpkg-query -W -f '${Status}' libopenblas0-pthread 2> /dev/null | grep -q 'ok installed' || missing+=(libopenblas0-pthread)
  if ((${#missing[@]} > 0)); then
    if [[ "$(id -u)" != 0 ]]; then
      echo "PyTorch's benchmark needs ${missing[*]}; install with: sudo apt-get install -y ${missing[*]}" >&2
      exit 2
    fi
    apt-get install -y "${missing[@]}"
  fi
  # Prints the BLAS that PyTorch has mapped and fails unless it is OpenBLAS.
  torch_env 1 /usr/bin/python3 "$root/tools/bench/torch_blas.py"
}

# Runs a command with PyTorch's threads limited to $1: OpenMP's and OpenBLAS's pools size
# themselves from these variables, not from torch.set_num_threads, and fight over the cores
# otherwise. OPENBLAS_CORETYPE is unset so that OpenBLAS picks its own kernel for this CPU.
torch_env() {
  local threads="$1"
  shift
  env -u OPENBLAS_CORETYPE OMP_NUM_THREADS="$threads" OPENBLAS_NUM_THREADS="$threads" "$@"
}

if [[ "$which" == train ]]; then
  torch_setup
fi
if [[ "$which" == lora-vs-full && ! -x /usr/bin/time ]]; then
  echo "lora-vs-full reads each run's peak memory with GNU time; install it with: sudo apt-get install -y time" >&2
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
  varying-batch)
    java -cp "$jar" org.openjdk.jmh.Main VaryingBatchBenchmark "$@"
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
  batching)
    echo "$(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
    java -Xms1g -Xmx1g -cp "$jar" dev.tern.bench.BatchingBenchmark "$@"
    ;;
  p50-baseline)
    tools/bench/p50_baseline.sh "$jar" "$@"
    ;;
  adapters)
    java -cp "$jar" dev.tern.bench.AdapterServingBenchmark "$@"
    ;;
  train)
    /usr/bin/python3 tools/bench/train_rounds.py --jar "$jar" "$@"
    ;;
  train-before-after)
    /usr/bin/python3 tools/bench/train_before_after.py --jar "$jar" "$@"
    ;;
  quantize)
    models=tools/target/models
    "$root/bin/tern" quantize "$models/all-minilm-l6-v2.onnx" "$models/all-minilm-l6-v2-tern-q.onnx" --per-channel
    java -cp "$jar" org.openjdk.jmh.Main 'InferenceBenchmark.ternRun' \
      -p benchCase=minilm/1,minilm-q/1,minilm-tern-q/1 "$@"
    # The comparison lives in compress's tests, beside the MiniLM test that shares its embedding code.
    classpath="$root/compress/target/bench.classpath"
    mvn -B -ntp -q -pl compress -am test-compile dependency:build-classpath -Dmaven.javadoc.skip=true \
      -Dmdep.includeScope=test -Dmdep.outputFile="$classpath"
    java -Dtern.root="$root" -cp "$root/compress/target/test-classes:$root/compress/target/classes:$(cat "$classpath")" \
      dev.tern.compress.quantize.MiniLmQuantizationComparison "$models/all-minilm-l6-v2.onnx" \
      "$models/all-minilm-l6-v2-q.onnx" "$models/all-minilm-l6-v2-tern-q.onnx" "${QUANTIZE_SECONDS:-60}"
    ;;
  lora-vs-full)
    epochs="${1:-3}"
    lora_lr="${2:-1e-3}"
    full_lr="${3:-2e-4}"
    batch=32
    runs="$(mktemp -d)"
    trap 'rm -rf "$runs"' EXIT
    models=tools/target/models
    # Both see the same stratified 1,600 / 400 split, tokens, batches and schedule; only the
    # weights trained and the learning rate differ. The heap is fixed so that its growth is
    # the same in both; the peak resident set is GNU time's %M, the kernel's high-water mark.
    common=(finetune "$models/all-minilm-l6-v2.onnx" --train data/glosses.tsv --split 0.2 --seed 7
      --text-column text --label-column label --tokenizer "$models/all-minilm-l6-v2-tokenizer.json"
      --max-tokens 32 --batch "$batch" --epochs "$epochs" --schedule warmup-cosine --json)
    lora=(--lora 8 --lora-alpha 16 --lora-targets encoder --lr "$lora_lr")
    full=(--trainable encoder.layer.4 encoder.layer.5 --lr "$full_lr")
    echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
    /usr/bin/time -f %M -o "$runs/lora.peak" java -Xmx1g -jar "$jar" "${common[@]}" "${lora[@]}" \
      --out "$runs/lora.onnx" > "$runs/lora.json"
    echo "load average after LoRA: $(cut -d' ' -f1-3 /proc/loadavg)"
    /usr/bin/time -f %M -o "$runs/full.peak" java -Xmx1g -jar "$jar" "${common[@]}" "${full[@]}" \
      --out "$runs/full.onnx" > "$runs/full.json"
    echo "load average after full: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "$(uname -m), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//');" \
      "$epochs epochs, lr $lora_lr (LoRA) and $full_lr (full)"
    /usr/bin/python3 tools/bench/lora_vs_full_table.py "$batch" \
      "LoRA rank 8, 36 projections + head" "$runs/lora.json" "$runs/lora.peak" \
      "layers 4-5 in full + head" "$runs/full.json" "$runs/full.peak"
    ;;
  *)
    echo "usage: tools/bench.sh import|sessions|inference|varying-batch|memory|serving|load|batching|p50-baseline|adapters|train|train-before-after|quantize|lora-vs-full [arguments]" >&2
    exit 2
    ;;
esac
