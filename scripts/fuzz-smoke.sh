#!/usr/bin/env bash
# Runs every libFuzzer target for a while from its checked-in corpus (tests/fuzz/corpus/<target>);
# inputs it finds go to a scratch directory, crashes to the scratch directory's artifacts/.
# Usage: scripts/fuzz-smoke.sh <directory of the *_fuzz binaries> <seconds per target>
# Prints one line per target and "N passed, N failed"; exits 1 if any target failed.
set -uo pipefail
cd "$(dirname "$0")/.."
binaries=$1 seconds=$2
scratch=$(mktemp -d /tmp/ducklake-fuzz.XXXXXX)
trap 'rm -rf "$scratch"' EXIT
passed=0 failed=0
for corpus in tests/fuzz/corpus/*/; do
  target=$(basename "$corpus")
  mkdir -p "$scratch/$target" "$scratch/artifacts"
  if "$binaries/${target}_fuzz" -max_total_time="$seconds" -max_len=4096 -rss_limit_mb=2048 \
       -artifact_prefix="$scratch/artifacts/$target-" "$scratch/$target" "$corpus" >"$scratch/$target.log" 2>&1; then
    echo "fuzz $target: $(grep -E '^Done' "$scratch/$target.log" | tail -1)"
    passed=$((passed + 1))
  else
    echo "fuzz $target: FAILED"
    grep -E 'ERROR|SUMMARY|Test unit written' -A3 "$scratch/$target.log" | head -40
    for artifact in "$scratch"/artifacts/"$target"-*; do
      [ -f "$artifact" ] && { echo "input that failed (base64):"; base64 -w0 "$artifact"; echo; }
    done
    failed=$((failed + 1))
  fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
