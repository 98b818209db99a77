#!/usr/bin/env bash
# Python client benchmarks: client.sql(...).df() of 1,000,000 rows against curl + pandas.read_csv of
# the same result as CSV, and client.write_table of a ~1 GB frame against frame.to_csv + a curl
# ingest, with the peak RSS the client adds; on the embedded lake, in the same run.
# Usage: bench/run-python.sh [--smoke] [--only sql,write]
#   --smoke: 20,000 rows (one run) and a ~5 MB frame, seconds, for CI
# Does not build: it runs $BUILD_DIR/ducklake (default build/ducklake). bench/python_bench.py does
# the work; progress goes to stderr, the result tables to stdout. What an interrupted run leaves
# (its server) is removed on exit, or by: bench/python_bench.py --cleanup --scratch SCRATCH
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build}
. bench/common.sh
ARGS=()
while [ $# -gt 0 ]; do
  case "$1" in
    --smoke) ARGS+=(--smoke); shift ;;
    --only) [ $# -ge 2 ] || { echo "usage: $0 [--smoke] [--only SECTIONS]" >&2; exit 2; }
            ARGS+=(--only "$2"); shift 2 ;;
    *) echo "usage: $0 [--smoke] [--only sql,write]" >&2; exit 2 ;;
  esac
done
require_binary
command -v curl >/dev/null || { echo "curl is missing: it is the HTTP baseline" >&2; exit 1; }

run_driver bench/python_bench.py "${ARGS[@]}"
