#!/usr/bin/env bash
# Benchmarks of the production backends: DuckLake on PostgreSQL + S3 (Swift s3api on loopback,
# started by scripts/test-services.sh). Usage: bench/run-backends.sh [rows (default 10000000)]
# [rows of the ingest CSV (default 11000000, about 1 GB)].
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build}
cmake --build "$BUILD_DIR" --target ducklake ducklake_bench -j 2 >/dev/null
ROWS=${1:-10000000}
INGEST_ROWS=${2:-11000000}
scratch=$(mktemp -d /tmp/ducklake-bench.XXXXXX)
trap 'kill $server 2>/dev/null || true; rm -rf "$scratch"' EXIT

. bench/common.sh
ensure_services
export AWS_ACCESS_KEY_ID=$DUCKLAKE_TEST_S3_ACCESS_KEY AWS_SECRET_ACCESS_KEY=$DUCKLAKE_TEST_S3_SECRET_KEY
export DUCKLAKE_S3_ENDPOINT=$DUCKLAKE_TEST_S3_ENDPOINT

start_lake_server() { # port, S3 prefix: a server on a fresh PostgreSQL database and that prefix
  local db="bench_$(date +%s%N | tail -c 9)"
  psql -X -q "$DUCKLAKE_TEST_POSTGRES" -c "CREATE DATABASE $db"
  start_server "$1" --data-dir "$scratch/data-$1" --metadata "${DUCKLAKE_TEST_POSTGRES%/*}/$db" --storage "$2"
}

echo "# DuckLake on PostgreSQL + S3, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores"
prefix="s3://ducklake-bench/$(date +%s)"
start_lake_server 18941 "$prefix-scan"
BENCH_S3_PREFIX="$prefix-scan" DUCKLAKE_BENCH_LABEL="PostgreSQL + S3" "$BUILD_DIR"/bench/ducklake_bench backends http://127.0.0.1:18941 "$scratch" $server "$scratch" "$ROWS"
kill $server; wait $server || true

start_lake_server 18942 "$prefix-ingest"
DUCKLAKE_BENCH_LABEL="PostgreSQL + S3" "$BUILD_DIR"/bench/ducklake_bench ingest http://127.0.0.1:18942 "$scratch" $server "$scratch" "$INGEST_ROWS"
kill $server; wait $server || true
