#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs a libFuzzer target for a bounded time from seed folders (none: from nothing); new inputs go to
# a temporary corpus that is removed afterwards. Any crash, leak or timeout fails. Prints TAP.
# usage: run-fuzzer.sh FUZZER SECONDS [SEED_DIR...]
# The time: SECONDS, or 45 in CI (CI=true), or VL_FUZZ_SECONDS when set.
set -uo pipefail
fuzzer=$(realpath "$1"); seconds=$2; shift 2
[ "${CI:-}" = "true" ] && seconds=45
seconds=${VL_FUZZ_SECONDS:-$seconds}
name=$(basename "$fuzzer")
corpus=$(mktemp -d); trap 'rm -rf "$corpus"' EXIT
seeds=()
for d in "$@"; do [ -d "$d" ] && seeds+=("$d"); done
echo "1..1"
cd "$corpus"
# libFuzzer exits 77 on a finding by default, which test runners read as "skipped": make it 1.
"$fuzzer" -max_total_time="$seconds" -rss_limit_mb=2048 -max_len=131072 -timeout=10 \
  -error_exitcode=1 -timeout_exitcode=1 \
  -print_final_stats=1 -artifact_prefix="$corpus/" "$corpus" "${seeds[@]}" >"$corpus/log" 2>&1
status=$?
tail -60 "$corpus/log" | sed 's/^/# /'
# Keep what crashed, for the log.
for f in "$corpus"/crash-* "$corpus"/leak-* "$corpus"/timeout-*; do
  [ -e "$f" ] && { echo "# artifact: $f"; head -c 600 "$f" | od -c | head -20 | sed 's/^/# /'; }
done
runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$corpus/log" | tail -1)
if [ "$status" -eq 0 ]; then
  echo "ok 1 - $name: ${runs:-?} runs in $seconds s, no crash, leak or timeout"
else
  echo "not ok 1 - $name: exit status $status after ${runs:-?} runs"
fi
exit "$status"
