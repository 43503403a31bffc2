#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs a test with a fresh qemu:///embed root, and afterwards ends any QEMU that the test left
# running in it (the embedded driver's guests outlive the test process, e.g. after a failed assert).
root=$(mktemp -d "${TMPDIR:-/tmp}/virtlab-embed-XXXXXX") || exit 1
export VL_TEST_EMBED_ROOT="$root"
"$@"
status=$?
for pidfile in $(find "$root" -name '*.pid' 2>/dev/null); do
  pid=$(cat "$pidfile" 2>/dev/null)
  case "$pid" in
    ''|*[!0-9]*) continue ;;
  esac
  if grep -q "$root" "/proc/$pid/cmdline" 2>/dev/null; then
    echo "ending QEMU $pid left behind in $root" >&2
    kill "$pid" 2>/dev/null
    # A test that leaves a guest running is wrong even if its asserts passed.
    [ "$status" -eq 0 ] && status=1
  fi
done
rm -rf "$root"
exit $status
