#!/usr/bin/env bash
# Starts a Flywheel cluster in the foreground for ../shared/bench/compare.sh: three storage nodes in
# three AZ labels (also holding the catalog) and one router serving the DynamoDB API on port $1,
# each its own JVM on loopback (`flywheel dev-cluster`), with fresh data. Build first
# (./flywheel build). Stopping this process stops every node.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PORT="$1"; shift
DATA="${BENCH_TMP:-/tmp/ddbbench}/flywheel-cluster-$PORT"
rm -rf "$DATA"
. "$ROOT/bench/find-java.sh"
exec "$JAVA" -Xmx64m -jar "$ROOT/server/target/flywheel-server.jar" dev-cluster --storage-nodes 3 --routers 1 \
  --port "$PORT" --node-port "$((PORT + 1000))" --data-dir "$DATA" "$@"
