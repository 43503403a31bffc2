#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# As peer-startup.sh, and then until the program is idle: its CPU time unchanged for one second.
# usage: tests/bench/peer-settle.sh NAME PROGRAM [ARG...]
# prints "MAPPED_MS SETTLED_MS CPU_MS RSS_KIB" (settled: when its CPU time last changed)
set -u
source "$(dirname "$(readlink -f "$0")")/peer-lib.sh"
name=$1; shift
trap peer_stop EXIT
peer_start_display
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
t0=$(now_ms)
read -r mapped app_pid _ < <("$waitmap" "$name" 120 "$@" 2>/dev/null)
ticks=$(peer_cpu_ticks "$app_pid"); changed=$(now_ms)
while :; do
  sleep 0.05
  t=$(now_ms); c=$(peer_cpu_ticks "$app_pid")
  [ "$c" != "$ticks" ] && { ticks=$c; changed=$t; }
  [ $((t - changed)) -ge 1000 ] || [ $((t - t0)) -ge 120000 ] && break
done
echo "$mapped $((changed - t0)) $((ticks * 1000 / $(getconf CLK_TCK))) $(peer_rss_kib "$app_pid")"
