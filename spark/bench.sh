#!/usr/bin/env bash
# Batch inference on Spark: MiniLM sentence embeddings on local[2] through TernModel against a
# hand-written mapPartitions over ONNX Runtime's Java API, in one JVM, alternating rounds.
# Distributed training (train): steps per second of DistributedTrainer with one task and with
# two on local[2], and the all-reduce's share of a step.
#
#   spark/bench.sh [ROWS [ROUNDS [ROWS_PER_RUN]]]                 (defaults 4000 5 64)
#   spark/bench.sh train [HIDDEN [GLOBAL_BATCH [EPOCHS [ROUNDS]]]]  (defaults 128 64 3 3)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
classpath="$root/spark/target/bench.classpath"
cd "$root"
mvn -B -ntp -q -pl spark -am test-compile dependency:build-classpath -Dmaven.javadoc.skip=true \
  -Dmdep.includeScope=test -Dmdep.outputFile="$classpath"
# The JVM options Spark needs on JDK 17, as the spark module's pom states them for its tests.
options="$(sed -n 's:.*<spark.jvm.options>\(.*\)</spark.jvm.options>.*:\1:p' spark/pom.xml)"
main=dev.tern.spark.bench.BatchInferenceBenchmark
if [[ "${1:-}" == train ]]; then
  main=dev.tern.spark.bench.DistributedTrainingBenchmark
  shift
fi
# shellcheck disable=SC2086
exec java -Xmx4g $options -Dtern.root="$root" \
  -cp "$root/spark/target/test-classes:$root/spark/target/classes:$(cat "$classpath")" \
  "$main" "$@"
