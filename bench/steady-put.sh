#!/usr/bin/env bash
# Steady-state PutItem, side by side: Flywheel (this checkout's build) and DynamoDB Local
# (in memory and on disk), started with the shared harness's scripts, measured with wrk
# (2 threads x 16 connections) in interleaved rounds. Needs ../shared/bench/setup.sh done and
# ./flywheel build. Usage: bench/steady-put.sh [SECONDS] [ROUNDS]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SHARED="${SHARED_BENCH:-$ROOT/../shared/bench}"
SECONDS_PER_RUN="${1:-10}"; ROUNDS="${2:-2}"
export BENCH_LUA_DIR="$SHARED/lua" BENCH_N=20000 BENCH_THREADS=2 BENCH_TMP="${BENCH_TMP:-/tmp/ddbbench}"
declare -A CMD=(
  [flywheel]="$ROOT/bench/flywheel-server.sh 8230"
  [ddblocal-mem]="$SHARED/servers/ddblocal.sh mem 8231"
  [ddblocal-disk]="$SHARED/servers/ddblocal.sh disk 8232"
)
declare -A PORT=([flywheel]=8230 [ddblocal-mem]=8231 [ddblocal-disk]=8232)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT
for s in flywheel ddblocal-mem ddblocal-disk; do
  ${CMD[$s]} > "/tmp/steady-put-$s.log" 2>&1 &
  PIDS+=($!)
done
for s in flywheel ddblocal-mem ddblocal-disk; do
  for _ in $(seq 1 120); do
    curl -s -o /dev/null "http://127.0.0.1:${PORT[$s]}/" && break
    sleep 0.5 # waiting for a child process to listen: polling is the only signal there is
  done
  "$SHARED/prepare.sh" "${PORT[$s]}" 20000 > "/tmp/steady-put-prepare-$s.log" 2>&1 || true
done
for r in $(seq 1 "$ROUNDS"); do
  order=(flywheel ddblocal-mem ddblocal-disk)
  [ $((r % 2)) -eq 0 ] && order=(ddblocal-disk ddblocal-mem flywheel)
  for s in "${order[@]}"; do
    line=$(wrk -t2 -c16 -d"${SECONDS_PER_RUN}s" --timeout 10s --latency -s "$ROOT/bench/put.lua" \
      "http://127.0.0.1:${PORT[$s]}/" | grep '^BENCH')
    echo "round $r $s $line"
  done
done
