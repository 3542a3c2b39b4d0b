#!/usr/bin/env bash
# Wall time of one `postlint check` on one draft with the default policy (the writer's loop):
# process start, policy load and compile, read, analyse, report. Prints min/median/max of N runs.
#   bench/single_check.sh [DRAFT] [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
draft=${1:-fixtures/drafts/launch-x.md}
runs=${2:-50}
python3 - "$draft" "$runs" <<'PY'
import statistics, subprocess, sys, time
draft, runs = sys.argv[1], int(sys.argv[2])
cmd = ["build/src/postlint", "check", "--policy", "rules/default.yaml", draft]
subprocess.run(cmd, stdout=subprocess.DEVNULL)  # warm the page cache
times = []
for _ in range(runs):
    t = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL)
    times.append((time.perf_counter() - t) * 1000)
print(f"{runs} runs of {' '.join(cmd)}")
print(f"min {min(times):.1f} ms, median {statistics.median(times):.1f} ms, max {max(times):.1f} ms")
PY
