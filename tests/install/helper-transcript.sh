#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs in the install tier's test machine in place of the helper: starts the real
# /mnt/host/virtlab-host-helper with the same arguments, passes the runner's requests and the
# helper's lines on unchanged, and appends each of them, with the time ($EPOCHREALTIME: no process
# per line), to $VL_HELPER_TRANSCRIPT: "TIME > REQUEST" for what the runner asked, "TIME LINE" for
# what the helper said. tests/host/fixtures/install-vm/ holds such a record, replayed to the Host
# page by tests/host/replay-helper.py (the host-page-replay test).
out=${VL_HELPER_TRANSCRIPT:-/root/helper-transcript.txt}
while IFS= read -r request; do
  printf '%s > %s\n' "$EPOCHREALTIME" "$request" >>"$out"
  printf '%s\n' "$request"
done |
  /mnt/host/virtlab-host-helper "$@" 2>&1 |
  while IFS= read -r line; do
    printf '%s %s\n' "$EPOCHREALTIME" "$line" >>"$out"
    printf '%s\n' "$line"
  done
