#!/usr/bin/env bash
# Tern's coverage-guided fuzz targets (Jazzer @FuzzTest), from any directory.
#
#   tools/fuzz.sh [--runs N] [--time DURATION] [TARGET...]
#       fuzzes each TARGET (all by default) in turn, for N executions (default 1000000) or for
#       DURATION (Jazzer's form: 30s, 10m, 2h; default 24h), whichever comes first, then prints one
#       line per target: executions, seconds, executions per second, coverage, corpus, findings
#   tools/fuzz.sh list     the targets
#   tools/fuzz.sh seeds    rebuilds the committed seed corpora: runs the *FuzzSeedsTest classes,
#                          which check each seed and write it under <module>/target/fuzz-seeds/,
#                          and copies those into <module>/src/test/resources/
#
# A normal build (mvn test) replays every target's committed inputs instead, without fuzzing.
#
# Each target fuzzes in its own test JVM (Jazzer fuzzes one @FuzzTest per run) with a 1 GiB heap,
# so an input that makes the code allocate without bound ends in an OutOfMemoryError, and a
# 60-second limit per input, so a hang is a finding. The corpus the fuzzer grows is kept in
# <module>/target/fuzz-corpus/<target>/ and carried over to the next run. A finding (a crash,
# an exception other than the documented ones, a hang, an OutOfMemoryError) stops the target; its
# input is written into the target's inputs folder (src/test/resources/.../<Class>Inputs/<method>/),
# where every later build replays it, and the script exits 1 once all targets have run.
#
# Coverage is libFuzzer's count of covered edges ("cov") and features ("ft") in the instrumented
# code: Tern's own classes (the reactor's target/classes), not its libraries.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

# name module test-class#method
targets=(
  "import-bytes onnx-import dev.tern.onnx.OnnxImportFuzzTest#modelBytes"
  "import-external onnx-import dev.tern.onnx.OnnxImportFuzzTest#externalData"
  "rest-json server dev.tern.server.internal.InferRequestFuzzTest#restJson"
  "rest-binary server dev.tern.server.internal.InferRequestFuzzTest#binaryTensors"
  "grpc-infer server dev.tern.server.internal.InferRequestFuzzTest#grpcInfer"
)

usage() {
  echo "usage: tools/fuzz.sh [--runs N] [--time DURATION] [TARGET...] | list | seeds" >&2
  exit 2
}

target_line() {
  local line
  for line in "${targets[@]}"; do
    if [[ "${line%% *}" == "$1" ]]; then
      echo "$line"
      return
    fi
  done
  echo "tools/fuzz.sh: no target '$1'; the targets are: $(list_names)" >&2
  exit 2
}

list_names() {
  local line names=()
  for line in "${targets[@]}"; do
    names+=("${line%% *}")
  done
  echo "${names[*]}"
}

seeds() {
  mvn -B -ntp -q -pl onnx-import,server -am test -Dtest='*FuzzSeedsTest' -Dsurefire.failIfNoSpecifiedTests=false
  local module
  for module in onnx-import server; do
    cp -r "$module/target/fuzz-seeds/." "$module/src/test/resources/"
    echo "$module: $(find "$module/target/fuzz-seeds" -type f | wc -l) seeds copied into $module/src/test/resources/"
  done
}

# Fuzzes one target; appends its summary line to $summary.
fuzz() {
  local name module test
  read -r name module test <<< "$(target_line "$1")"
  local corpus="$root/$module/target/fuzz-corpus/$name"
  local log="$root/$module/target/fuzz-$name.log"
  mkdir -p "$corpus"
  echo "== $name ($test): $runs executions or $duration; log in ${log#"$root"/}"
  local status=0
  # JAZZER_FUZZ turns the @FuzzTest from replaying its inputs to fuzzing; jazzer.internal.arg.N are
  # libFuzzer's arguments (0 is the program name): the corpus folder, then flags.
  JAZZER_FUZZ=1 mvn -B -ntp -pl "$module" -am test -Dtest="$test" -Dsurefire.failIfNoSpecifiedTests=false \
      -DargLine=-Xmx1g -Djazzer.hooks=true \
      -Djazzer.max_executions="$runs" -Djazzer.max_duration="$duration" \
      -Djazzer.internal.arg.0=fuzz -Djazzer.internal.arg.1="$corpus" \
      -Djazzer.internal.arg.2=-timeout=60 -Djazzer.internal.arg.3=-report_slow_units=60 \
      > "$log" 2>&1 || status=$?
  # libFuzzer's last status line: "#123 DONE cov: 1 ft: 2 corp: 3/4Kb ... exec/s: 5 ...", then "Done 123 runs in 6 second(s)".
  local final done_line
  final="$(grep -a -E '^#[0-9]+[[:space:]]+(DONE|pulse|NEW|REDUCE)' "$log" | tail -1 || true)"
  done_line="$(grep -a -E '^Done [0-9]+ runs in [0-9]+ second' "$log" | tail -1 || true)"
  local executions seconds cov ft corp
  executions="$(sed -E 's/^Done ([0-9]+) runs.*/\1/' <<< "$done_line")"
  seconds="$(sed -E 's/^Done [0-9]+ runs in ([0-9]+) second.*/\1/' <<< "$done_line")"
  cov="$(sed -E 's/.* cov: ([0-9]+).*/\1/' <<< "$final")"
  ft="$(sed -E 's/.* ft: ([0-9]+).*/\1/' <<< "$final")"
  corp="$(sed -E 's/.* corp: ([^ ]+).*/\1/' <<< "$final")"
  # Jazzer stops a target at its first finding.
  local findings=0
  if [[ $status -ne 0 ]]; then
    findings="build failed, see the log"
    if grep -a -q 'FuzzTestFindingException' "$log"; then
      findings=1
    fi
    failed=1
  fi
  local rate="-"
  if [[ -n "$seconds" && "$seconds" -gt 0 ]]; then
    rate=$((executions / seconds))
  fi
  printf '| %s | %s | %s | %s | %s | %s | %s | %s |\n' "$name" "${executions:--}" "${seconds:--}" "$rate" \
      "${cov:--}" "${ft:--}" "${corp:--}" "$findings" >> "$summary"
}

runs=1000000
duration=24h
case "${1:-}" in
  list)
    list_names | tr ' ' '\n'
    exit 0
    ;;
  seeds)
    seeds
    exit 0
    ;;
esac
selected=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --runs) [[ $# -ge 2 ]] || usage; runs="$2"; shift 2 ;;
    --time) [[ $# -ge 2 ]] || usage; duration="$2"; shift 2 ;;
    -*) usage ;;
    *) target_line "$1" > /dev/null; selected+=("$1"); shift ;;
  esac
done
[[ ${#selected[@]} -gt 0 ]] || read -r -a selected <<< "$(list_names)"

summary="$(mktemp)"
trap 'rm -f "$summary"' EXIT
failed=0
for name in "${selected[@]}"; do
  fuzz "$name"
done
echo
echo "$(uname -m), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(java -version 2>&1 | head -1)"
echo "| target | executions | seconds | exec/s | coverage (edges) | features | corpus (entries/size) | findings |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
cat "$summary"
exit "$failed"
