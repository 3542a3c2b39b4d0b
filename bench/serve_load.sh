#!/usr/bin/env bash
# Starts `postlint serve` with the default policy on a free loopback port and drives it at a
# fixed request rate with bench/serve_load.cpp; prints req/s, latency percentiles, errors and
# the server's memory over the run.
#   bench/serve_load.sh [RATE] [SECONDS]     (default 1000 req/s for 300 s)
set -euo pipefail
cd "$(dirname "$0")/.."
rate=${1:-1000}
seconds=${2:-300}
make build >/dev/null
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
build/src/postlint serve --policy rules/default.yaml --port "$port" --no-access-log 2>/dev/null &
pid=$!
trap 'kill $pid 2>/dev/null' EXIT
sleep 1
build/bench/serve_load --port "$port" --rate "$rate" --seconds "$seconds" --pid "$pid"
