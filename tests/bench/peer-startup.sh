#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The milliseconds from starting a GUI program until its window (title or class containing NAME) is
# mapped, taken from X events by waitmap.c under a private Xvfb, its RSS 1.5 s later, and the CPU
# time its threads had used when the window was mapped.
# usage: tests/bench/peer-startup.sh NAME PROGRAM [ARG...]      prints "MS RSS_KIB CPU_MS"
set -u
source "$(dirname "$(readlink -f "$0")")/peer-lib.sh"
name=$1; shift
trap peer_stop EXIT
peer_start_display
read -r ms app_pid cpu < <("$waitmap" "$name" 60 "$@" 2>/dev/null)
sleep 1.5
echo "$ms $(peer_rss_kib "$app_pid") ${cpu:-0}"
