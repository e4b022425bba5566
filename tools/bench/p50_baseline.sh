#!/usr/bin/env bash
# The gRPC p50 at concurrency 1 of this checkout's server against an older commit's, on the same
# machine at the same time (tools/bench.sh p50-baseline BASE [ROUNDS] [SECONDS]).
#
# Builds BASE's fat jar from `git archive` in a temporary folder (Maven offline, so BASE's
# dependencies must already be in ~/.m2; nothing is installed there), starts both servers with
# their built-in example model on free ports, and alternates `tern loadgen --protocol grpc
# --concurrency 1` rounds between them with this checkout's client, the order swapped every round
# so that a drift in the machine's load falls on both alike. Prints each round's p50s and their
# ratio, then the medians. Arguments: the current fat jar, BASE, rounds (default 6), seconds
# measured per round (default 10).
set -euo pipefail

jar="$1"
base="$2"
rounds="${3:-6}"
seconds="${4:-10}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/tern-p50-baseline.XXXXXX")"
server_pids=()

cleanup() {
  for pid in "${server_pids[@]}"; do
    kill "$pid" 2> /dev/null || true
    wait "$pid" 2> /dev/null || true
  done
  rm -rf "$work"
}
trap cleanup EXIT

base_commit="$(git -C "$root" rev-parse --short "$base^{commit}")"
echo "building $base_commit's server in $work/base (Maven offline; log $work/build.log)" >&2
mkdir "$work/base"
git -C "$root" archive "$base_commit" | tar -x -C "$work/base"
if ! (cd "$work/base" && mvn -B -ntp -o -pl tools -am package -Dmaven.test.skip=true \
      -Dmaven.javadoc.skip=true -Dmaven.source.skip=true) > "$work/build.log" 2>&1; then
  grep '\[ERROR\]' "$work/build.log" | head -20 >&2
  echo "the build of $base_commit failed" >&2
  exit 1
fi
base_jar="$work/base/tools/target/tern.jar"

# Starts `tern serve` (example model, free ports) from jar $1 in the background, logging to $2.
launch_server() {
  java -Xms512m -Xmx512m -jar "$1" serve --http-port 0 --grpc-port 0 > "$2" 2>&1 &
  server_pids+=("$!")
}

# Waits for the server logging to $1 to listen and prints its gRPC port.
grpc_port() {
  local line
  for _ in $(seq 1 600); do
    line="$(grep -m1 '^tern: serving' "$1" || true)"
    if [[ -n "$line" ]]; then
      sed -E 's/.* and gRPC on [^ ]*:([0-9]+) .*/\1/' <<< "$line"
      return
    fi
    sleep 0.1
  done
  echo "a server did not start within 60 s; its log $1:" >&2
  cat "$1" >&2
  exit 1
}

# Prints the p50 in microseconds of one loadgen round against gRPC port $1.
p50_micros() {
  java -jar "$jar" loadgen --url "127.0.0.1:$1" --protocol grpc --model mlp --concurrency 1 \
    --warmup 2 --duration "$seconds" --json 2> /dev/null \
    | grep -o '"p50": *[0-9.eE+-]*' | head -1 | sed -E 's/.*: *//' | awk '{ printf "%.1f\n", $1 * 1000 }'
}

launch_server "$base_jar" "$work/base.log"
launch_server "$jar" "$work/current.log"
base_port="$(grpc_port "$work/base.log")"
current_port="$(grpc_port "$work/current.log")"
current_commit="$(git -C "$root" rev-parse --short HEAD)"
if [[ -n "$(git -C "$root" status --porcelain --untracked-files=no)" ]]; then
  current_commit="$current_commit (with uncommitted changes)"
fi
echo "$(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "base $base_commit on gRPC port $base_port, current $current_commit on $current_port;" \
  "$rounds rounds of $seconds s at concurrency 1 (2 s warmup each)"
echo
echo "| round | base p50 | current p50 | current/base |"
echo "| ---: | ---: | ---: | ---: |"
results="$work/rounds.txt"
for round in $(seq 1 "$rounds"); do
  if ((round % 2 == 1)); then
    base_p50="$(p50_micros "$base_port")"
    current_p50="$(p50_micros "$current_port")"
  else
    current_p50="$(p50_micros "$current_port")"
    base_p50="$(p50_micros "$base_port")"
  fi
  ratio="$(awk -v c="$current_p50" -v b="$base_p50" 'BEGIN { printf "%.3f", c / b }')"
  echo "$base_p50 $current_p50 $ratio" >> "$results"
  echo "| $round | $base_p50 us | $current_p50 us | $ratio |"
done
# The median of a column: the middle value, or the mean of the two middle ones.
median() {
  cut -d' ' -f"$1" "$results" | sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
echo
echo "median: base p50 $(median 1) us, current p50 $(median 2) us, current/base $(median 3)" \
  "(load average at the end $(cut -d' ' -f1-3 /proc/loadavg))"
