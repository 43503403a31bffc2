#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# One check as TAP: runs PROGRAM with ARGS; ok when it exits 0. A program that is not installed is a
# skip with the reason, so the test is registered and shows as skipped, not silently left out.
# usage: tests/tap-run.sh [--needs TOOL]... NAME PROGRAM [ARG...]
source "$(dirname "$(readlink -f "$0")")/tap.sh"
needs=()
while [ "${1:-}" = "--needs" ]; do needs+=("$2"); shift 2; done
name=$1; program=$2; shift 2
for tool in "$program" "${needs[@]}"; do
  command -v "$tool" >/dev/null 2>&1 || skip_all "$tool is not installed (needed by: $name)"
done
out=$("$program" "$@" 2>&1); rc=$?
[ -n "$out" ] && printf '%s\n' "$out" | head -40 | sed 's/^/# /'
check "$name" '[ $rc -eq 0 ]'
exit 0
