#!/usr/bin/env bash
# CLI transfer benchmarks (ducklake cp): one 1 GiB file up and down (default flags and -j 8), and
# 10,000 small files in 100 folders up and down with cp -r (-j 4 and -j 16); on the embedded lake
# (SQLite + local directory), each against the same transfers by curl through the same API (one
# PUT / GET; one curl process with --parallel for the small files) and by cp on local disk, in the
# same run; with the CLI's peak RSS.
# Usage: bench/run-cli.sh [--smoke] [--only big,small]
#   --smoke: 16 MiB and 200 files, one run each, seconds, for CI; --only: run just those sections
# Does not build: it runs a copy of $BUILD_DIR/ducklake (default build/ducklake), taken as it is
# when the run starts, so a rebuild meanwhile does not change the run. bench/cli_bench.py does the
# work; progress goes to stderr, the result tables to stdout. What an interrupted run leaves (its
# server) is removed on exit, or by: bench/cli_bench.py --cleanup --scratch SCRATCH
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
    *) echo "usage: $0 [--smoke] [--only big,small]" >&2; exit 2 ;;
  esac
done
require_binary
command -v curl >/dev/null || { echo "curl is missing: it is the HTTP baseline" >&2; exit 1; }

run_driver bench/cli_bench.py "${ARGS[@]}"
