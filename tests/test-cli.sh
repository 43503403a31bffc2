#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The command line: --version, a bad option, a bad page, and --screenshot producing a real PNG.
set -uo pipefail
fail=0
source "$(dirname "$(readlink -f "$0")")/tap.sh"
tmp=$(mktemp -d); on_exit 'rm -rf "$tmp"'

out=$("$VIRTLAB" --version 2>&1); rc=$?
check "--version prints the version" '[ $rc -eq 0 ] && [[ "$out" =~ ^virtlab\ [0-9]+\.[0-9]+\.[0-9]+$ ]]'

out=$("$VIRTLAB" --no-such-option 2>&1); rc=$?
check "a bad option fails with status 2" '[ $rc -eq 2 ]'
check "a bad option names itself" '[[ "$out" == *"--no-such-option"* ]]'
check "a bad option says how to get help" '[[ "$out" == *"--help"* ]]'

out=$("$VIRTLAB" --page nowhere 2>&1); rc=$?
check "a bad page fails with status 2" '[ $rc -eq 2 ]'
check "a bad page is named" '[[ "$out" == *"nowhere"* ]]'
out=$("$VIRTLAB" --page nowhere/bench-image 2>&1); rc=$?
check "a bad page before a part fails with status 2 and is named" '[ $rc -eq 2 ] && [[ "$out" == *"nowhere/bench-image"* ]]'

out=$("$VIRTLAB" --help 2>&1); rc=$?
check "--help lists --screenshot" '[ $rc -eq 0 ] && [[ "$out" == *"--screenshot"* ]]'
usage=$(grep -m1 -A1 '^Usage:' <<<"$out" | tail -n 1)
n=$(grep -o 'RESULT-FILE' <<<"$usage" | wc -l)
check "--help names the result files once in its usage line ($usage)" '[ "$n" -eq 1 ]'

# Run from the build folder, the catalogue built into _build/po is found (LANGUAGE picks it; the
# zh_TW locale itself need not be generated on this machine).
out=$(LANGUAGE=zh_TW LANG=C.UTF-8 LC_ALL= "$VIRTLAB" --help 2>&1); rc=$?
check "uninstalled, --help is in zh_TW with LANGUAGE=zh_TW" '[ $rc -eq 0 ] && [[ "$out" == *"用法"* ]] && [[ "$out" == *"虛擬機器"* ]]'
check "uninstalled, zh_TW --help has no “client” for guest" '[[ "$out" != *"客戶端"* ]]'
# LANG=zh_TW.UTF-8 alone, whether or not this machine has generated that locale.
out=$(LANGUAGE= LC_ALL= LC_MESSAGES= LANG=zh_TW.UTF-8 "$VIRTLAB" --help 2>&1); rc=$?
check "with LANG=zh_TW.UTF-8 alone, --help is in zh_TW" '[ $rc -eq 0 ] && [[ "$out" == *"用法"* ]]'

# host/bench-image: the Host page at its Benchmark Image part (win.show-page('host/bench-image')).
for page in host guests results host/bench-image; do
  shot="$tmp/${page//\//-}.png"
  # A screen of its own: the picture is read back from the X server, and windows of tests running
  # beside this one on the shared display must not cover it.
  out=$(timeout 60 xvfb-run -a -s "-screen 0 1280x1024x24" "$VIRTLAB" --page "$page" --connect test:///default --screenshot "$shot" 2>&1); rc=$?
  check "--screenshot of $page exits 0" '[ $rc -eq 0 ]'
  check "--screenshot of $page prints the path" '[[ "$out" == *"$shot"* ]]'
  size=$(identify -format '%w %h' "$shot" 2>/dev/null)
  read -r w h <<<"$size"
  check "$page screenshot is a window-sized PNG ($size)" '[ "${w:-0}" -ge 600 ] && [ "${h:-0}" -ge 400 ]'
  colours=$(convert "$shot" -colors 256 -format '%k' info: 2>/dev/null)
  check "$page screenshot is not blank ($colours colours)" '[ "${colours:-0}" -ge 8 ]'
done

out=$(timeout 60 "$VIRTLAB" --screenshot /nonexistent-dir/x.png 2>&1); rc=$?
check "a screenshot to an unwritable place fails with a message" '[ $rc -ne 0 ] && [[ "$out" == *"/nonexistent-dir/x.png"* ]]'

exit "$fail"
