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

. bench/common.sh

echo "# DuckLake benchmarks $(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) cores"
start_server 18931 --data-dir "$scratch/query-lake"
"$BUILD_DIR"/bench/ducklake_bench query http://127.0.0.1:18931 "$scratch/query-lake" $server "$scratch" "$QUERY_ROWS"
kill $server; wait $server || true

# A fresh server, so its peak RSS is the upload's alone.
start_server 18932 --data-dir "$scratch/ingest-lake"
"$BUILD_DIR"/bench/ducklake_bench ingest http://127.0.0.1:18932 "$scratch/ingest-lake" $server "$scratch" "$INGEST_ROWS"
kill $server; wait $server || true
