#!/usr/bin/env bash
# Batch inference on Spark: MiniLM sentence embeddings on local[2] through TernModel against a
# hand-written mapPartitions over ONNX Runtime's Java API, in one JVM, alternating rounds.
#
#   spark/bench.sh [ROWS [ROUNDS [ROWS_PER_RUN]]]     (defaults 4000 5 64)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
classpath="$root/spark/target/bench.classpath"
cd "$root"
mvn -B -ntp -q -pl spark -am test-compile dependency:build-classpath -Dmaven.javadoc.skip=true \
  -Dmdep.includeScope=test -Dmdep.outputFile="$classpath"
# The JVM options Spark needs on JDK 17, as the spark module's pom states them for its tests.
options="$(sed -n 's:.*<spark.jvm.options>\(.*\)</spark.jvm.options>.*:\1:p' spark/pom.xml)"
# shellcheck disable=SC2086
exec java -Xmx4g $options \
  -cp "$root/spark/target/test-classes:$root/spark/target/classes:$(cat "$classpath")" \
  dev.tern.spark.bench.BatchInferenceBenchmark "$@"
