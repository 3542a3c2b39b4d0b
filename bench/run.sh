#!/usr/bin/env bash
# Generates the benchmark corpus (deterministic) and runs the throughput benchmarks.
#   bench/run.sh [COUNT]      default COUNT=20000
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-20000}
generator=${POSTLINT_GEN_POSTS:-../shared/bench/gen_posts.py}
corpus=build/bench-corpus-${count}.jsonl
make build >/dev/null
if [ ! -s "$corpus" ]; then
  python3 "$generator" --count "$count" --seed 1 > "$corpus"
fi
POSTLINT_BENCH_CORPUS="$corpus" build/bench/postlint_bench --benchmark_min_time=2 "${@:2}"
