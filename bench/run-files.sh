#!/usr/bin/env bash
# Files API benchmarks (volumes and objects): a 1 GiB object PUT and GET, listing 100,000 objects,
# 10,000 small uploads from 16 clients; on the embedded lake (SQLite + local directory) and on
# PostgreSQL + S3 (Swift), each against the same work done straight on the store in the same run.
# Usage: bench/run-files.sh [--smoke] [--only transfer,listing,small] [--full-s3-listing]
#   --smoke: tiny sizes, seconds, for CI; --only: run just those sections; --full-s3-listing: list
#   100,000 objects on S3 too, even where filling them takes long (about 30 min with Swift here)
# Does not build: it runs $BUILD_DIR/ducklake (default build/ducklake) as it is. PostgreSQL and S3
# come from scripts/test-services.sh (started only if they are not already up). bench/files_bench.py
# does the work; progress goes to stderr, the result tables to stdout.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build}
. bench/common.sh
ARGS=()
while [ $# -gt 0 ]; do
  case "$1" in
    --smoke) ARGS+=(--smoke); shift ;;
    --full-s3-listing) ARGS+=(--full-s3-listing); shift ;;
    --only) [ $# -ge 2 ] || { echo "usage: $0 [--smoke] [--only SECTIONS]" >&2; exit 2; }
            ARGS+=(--only "$2"); shift 2 ;;
    *) echo "usage: $0 [--smoke] [--only transfer,listing,small] [--full-s3-listing]" >&2; exit 2 ;;
  esac
done
require_binary

command -v nginx >/dev/null || {
  echo "installing nginx: the HTTP baseline of the GET into /dev/null" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light >/dev/null
}

ensure_services

run_driver bench/files_bench.py "${ARGS[@]}"
