#!/usr/bin/env bash
# The web app's benchmarks (bench/web_bench.mjs) against a fresh embedded server serving the built
# app. Usage: bench/run-web.sh [--smoke] — --smoke: small sizes, one run, for a quick check.
# Does not build: it runs $BUILD_DIR/ducklake with $BUILD_DIR/web (make build makes both).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build}
SIZES=(--rows 1000000 --objects 100000 --runs 5)
[ "${1:-}" = "--smoke" ] && SIZES=(--rows 20000 --objects 2000 --runs 1)
for needed in "$BUILD_DIR/ducklake" "$BUILD_DIR/web/index.html" web/node_modules/playwright-core; do
  [ -e "$needed" ] || { echo "$needed is missing: run make build first" >&2; exit 1; }
done
scratch=$(mktemp -d /tmp/ducklake-web-bench.XXXXXX)
trap 'kill $server 2>/dev/null || true; rm -rf "$scratch"' EXIT
. bench/common.sh
start_server 18941 --data-dir "$scratch/lake" --auth none
node bench/web_bench.mjs http://127.0.0.1:18941 "${SIZES[@]}"
