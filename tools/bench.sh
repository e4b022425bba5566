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
#
# Example: tools/bench.sh import -f 2 -wi 5 -i 10
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# bin/tern builds the fat jar (and unpacks the models) when missing or stale.
"$root/bin/tern" --version > /dev/null
jar="$root/tools/target/tern.jar"
cd "$root"  # the benchmarks find the models relative to the repository root

which="${1:-}"
shift || true
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
  *)
    echo "usage: tools/bench.sh import|sessions|inference|memory|serving|load [arguments]" >&2
    exit 2
    ;;
esac
