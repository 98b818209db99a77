#!/usr/bin/env bash
# Table-versioning benchmarks (small commits, time travel over 1,000 snapshots, compaction of many
# small files) on the embedded lake (SQLite) and on PostgreSQL metadata, both with local storage so
# the catalog is what differs. Usage: bench/run-versioning.sh [files for the compaction bench
# (default 10000)]. PostgreSQL comes from scripts/test-services.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build}
cmake --build "$BUILD_DIR" --target ducklake ducklake_bench -j 2 >/dev/null
FILES=${1:-10000}
scratch=$(mktemp -d /tmp/ducklake-bench.XXXXXX)
trap 'kill $server 2>/dev/null || true; rm -rf "$scratch"' EXIT

. bench/common.sh

echo "# DuckLake table versioning, $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores"
echo; echo "# Metadata on SQLite (embedded)"
start_server 18951 --data-dir "$scratch/sqlite"
DUCKLAKE_BENCH_LABEL=SQLite "$BUILD_DIR"/bench/ducklake_bench versioning http://127.0.0.1:18951 "$scratch/sqlite" $server "$scratch" "$FILES"
kill $server; wait $server || true

echo; echo "# Metadata on SQLite, data inlining off: every commit writes a Parquet file"
start_server 18953 --data-dir "$scratch/sqlite-files" --data-inlining-row-limit 0
DUCKLAKE_BENCH_LABEL="SQLite, no inlining" "$BUILD_DIR"/bench/ducklake_bench commits http://127.0.0.1:18953 "$scratch/sqlite-files" $server "$scratch/sqlite-files"
kill $server; wait $server || true

ensure_services
pg_lake() { # a fresh PostgreSQL database for one server
  local db="bench_$(date +%s%N | tail -c 9)"
  psql -X -q "$DUCKLAKE_TEST_POSTGRES" -c "CREATE DATABASE $db"
  echo "${DUCKLAKE_TEST_POSTGRES%/*}/$db"
}
echo; echo "# Metadata on PostgreSQL"
mkdir -p "$scratch/pg" "$scratch/pg-files"
start_server 18952 --data-dir "$scratch/pg" --metadata "$(pg_lake)"
DUCKLAKE_BENCH_LABEL=PostgreSQL "$BUILD_DIR"/bench/ducklake_bench versioning http://127.0.0.1:18952 "$scratch/pg" $server "$scratch/pg" "$FILES"
kill $server; wait $server || true

echo; echo "# Metadata on PostgreSQL, data inlining off"
start_server 18954 --data-dir "$scratch/pg-files" --metadata "$(pg_lake)" --data-inlining-row-limit 0
DUCKLAKE_BENCH_LABEL="PostgreSQL, no inlining" "$BUILD_DIR"/bench/ducklake_bench commits http://127.0.0.1:18954 "$scratch/pg-files" $server "$scratch/pg-files"
kill $server; wait $server || true
