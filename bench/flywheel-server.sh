#!/usr/bin/env bash
# Starts the built Flywheel server in the foreground on port $1 with a fresh data directory, for
# ../shared/bench/compare.sh. Build first (./flywheel build). Extra arguments go to `start`.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PORT="$1"; shift
DATA="${BENCH_TMP:-/tmp/ddbbench}/flywheel-$PORT"
rm -rf "$DATA"
. "$ROOT/bench/find-java.sh"
exec "$JAVA" --enable-native-access=ALL-UNNAMED -XX:+UseParallelGC -Xms1g -Xmx1g \
  -jar "$ROOT/server/target/flywheel-server.jar" start --port "$PORT" --data-dir "$DATA" "$@"
