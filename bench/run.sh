#!/usr/bin/env bash
# Runs DuckLake's benchmarks against fresh servers and prints API-vs-embedded ratios.
# Usage: bench/run.sh [rows for the query bench (default 10000000)] [rows of the ingest CSV
# (default 11000000, about 1 GB)]. Results belong in docs/BENCHMARKS.md.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build}
cmake --build "$BUILD_DIR" --target ducklake ducklake_bench -j 2 >/dev/null
QUERY_ROWS=${1:-10000000}
INGEST_ROWS=${2:-11000000}
scratch=$(mktemp -d /tmp/ducklake-bench.XXXXXX)
trap 'kill $server 2>/dev/null || true; rm -rf "$scratch"' EXIT

start_server() { # data dir, port
  "$BUILD_DIR"/ducklake serve --listen "127.0.0.1:$2" --data-dir "$1" --log-level warn &
  server=$!
  for _ in $(seq 100); do
    curl -sf "http://127.0.0.1:$2/healthz" >/dev/null && return 0
    kill -0 $server 2>/dev/null || { echo "server died" >&2; exit 1; }
    sleep 0.1
  done
  echo "server did not start" >&2; exit 1
}

echo "# DuckLake benchmarks $(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) cores"
start_server "$scratch/query-lake" 18931
"$BUILD_DIR"/bench/ducklake_bench query http://127.0.0.1:18931 "$scratch/query-lake" $server "$scratch" "$QUERY_ROWS"
kill $server; wait $server || true

# A fresh server, so its peak RSS is the upload's alone.
start_server "$scratch/ingest-lake" 18932
"$BUILD_DIR"/bench/ducklake_bench ingest http://127.0.0.1:18932 "$scratch/ingest-lake" $server "$scratch" "$INGEST_ROWS"
kill $server; wait $server || true
