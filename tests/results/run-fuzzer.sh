#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs the loader's libFuzzer target for a bounded time from the fixtures and the real PTS samples;
# new inputs go to a temporary corpus that is removed afterwards. Any crash or leak fails the test.
set -uo pipefail
fuzzer=$(realpath "$1"); seconds=$2; shift 2
corpus=$(mktemp -d); trap 'rm -rf "$corpus"' EXIT
seeds=()
for d in "$@"; do [ -d "$d" ] && seeds+=("$d"); done
cd "$corpus"
# libFuzzer exits 77 on a finding by default, which test runners read as "skipped": make it 1.
"$fuzzer" -max_total_time="$seconds" -rss_limit_mb=2048 -max_len=131072 -timeout=10 \
  -error_exitcode=1 -timeout_exitcode=1 \
  -print_final_stats=1 -artifact_prefix="$corpus/" "$corpus" "${seeds[@]}" 2>&1 | tail -25
status=${PIPESTATUS[0]}
# Keep what crashed, for the log.
for f in "$corpus"/crash-* "$corpus"/leak-* "$corpus"/timeout-*; do
  [ -e "$f" ] && { echo "artifact: $f"; head -c 600 "$f" | od -c | head -20; }
done
exit "$status"
