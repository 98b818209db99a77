#!/usr/bin/env bash
# Lineage benchmarks: other tools' events from 16 concurrent senders, the lineage graph at depth 5
# on 10,000 datasets and 20,000 jobs, and the cost of lineage on a small commit; on SQLite and on
# PostgreSQL metadata, each against the same work done straight on the database in the same run.
# Usage: bench/run-lineage.sh [--smoke] [--only ingest,graph,commit]
# Does not build: it runs $BUILD_DIR/ducklake (default build/ducklake) as it is. PostgreSQL comes
# from scripts/test-services.sh (started only if it is not already up); the SQL baselines use
# Debian's python3-psycopg2 (installed if missing). Progress goes to stderr, tables to stdout.
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
    *) echo "usage: $0 [--smoke] [--only ingest,graph,commit]" >&2; exit 2 ;;
  esac
done
require_binary
/usr/bin/python3 -c 'import psycopg2' 2>/dev/null || {
  echo "installing python3-psycopg2 for the SQL baselines" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-psycopg2 >/dev/null
}

ensure_services

run_driver bench/lineage_bench.py "${ARGS[@]}"
