#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# virtlab --export-charts: headless (no display), every format, and clear failures on bad input.
# With an argument, the same for that command (virtlab-export, which takes the same options), and
# that it loads no GTK, libvirt or libosinfo.
set -uo pipefail
cmd=${1:-$VIRTLAB}
fail=0
source "$(dirname "$(readlink -f "$0")")/../tap.sh"
tmp=$(mktemp -d); on_exit 'rm -rf "$tmp"'
study="$VL_TOP_SRCDIR/data/results/xen-kvm-2010.xml"
fixtures="$VL_TOP_SRCDIR/tests/results/fixtures"
run() { env -u DISPLAY -u WAYLAND_DISPLAY "$cmd" "$@"; }

for fmt in png svg pdf; do
  out=$(run --export-charts "$tmp/$fmt" --format "$fmt" "$study" 2>&1); rc=$?
  n=$(ls "$tmp/$fmt"/*."$fmt" 2>/dev/null | wc -l)
  check "$fmt: exits 0 without a display" '[ $rc -eq 0 ]'
  check "$fmt: one file per figure of the study ($n)" '[ "$n" -eq 12 ]'
  check "$fmt: prints the files it wrote" '[ "$(printf "%s\n" "$out" | wc -l)" -eq 12 ] && [[ "$out" == *"010-iozone"* ]]'
done
check "png files are PNG images 800 px wide" \
  '[ "$(identify -format "%m %w\n" "$tmp"/png/*.png | sort -u)" = "PNG 800" ]'
check "svg files are well-formed SVG" 'xmllint --noout "$tmp"/svg/*.svg && grep -q "<svg" "$tmp/svg/001-timed-linux-kernel-compilation.svg"'
check "pdf files are PDF" '[ "$(head -c5 "$tmp/pdf/005-cachebench-test-write.pdf")" = "%PDF-" ] && tail -c 32 "$tmp/pdf/005-cachebench-test-write.pdf" | grep -q "%%EOF"'

out=$(run --export-charts "$tmp/csv" --format csv "$study" "$fixtures/pts2-suite.xml" 2>&1); rc=$?
check "csv: exits 0 and writes one file" '[ $rc -eq 0 ] && [ "$out" = "$tmp/csv/results.csv" ]'
check "csv: merged systems are columns" 'head -1 "$tmp/csv/results.csv" | grep -q "Xen-PV,Xen-HVM,KVM-HVM,pv-guest,kvm-guest"'
check "csv: holds the study's values as printed" 'grep -q "^CacheBench,Test: Write,MB/s,HIB,memory,7995.89,8338.78,7940.70" "$tmp/csv/results.csv"'

out=$(run --export-charts "$tmp/bad" "$study" "$fixtures/bad-non-numeric.xml" 2>&1); rc=$?
check "a bad file fails with status 1" '[ $rc -eq 1 ]'
check "a bad file is named, with its line" '[[ "$out" == *"bad-non-numeric.xml"*"line 47"*"fast"* ]]'
out=$(run --export-charts "$tmp/bad" "$fixtures/bad-billion-laughs.xml" 2>&1); rc=$?
check "an entity attack is refused" '[ $rc -eq 1 ] && [[ "$out" == *"DOCTYPE"* ]]'
out=$(run --export-charts "$tmp/bad" /nonexistent/composite.xml 2>&1); rc=$?
check "a missing file fails with status 1 and is named" '[ $rc -eq 1 ] && [[ "$out" == *"/nonexistent/composite.xml"* ]]'
out=$(run --export-charts "$tmp/x" --format gif "$study" 2>&1); rc=$?
check "an unknown format is a usage error" '[ $rc -eq 2 ] && [[ "$out" == *"gif"* ]]'
out=$(run --export-charts "$tmp/x" 2>&1); rc=$?
check "no result file is a usage error" '[ $rc -eq 2 ] && [[ "$out" == *"result files"* ]]'
out=$(run --export-charts /proc/version/charts "$study" 2>&1); rc=$?
check "an unwritable folder fails and is named" '[ $rc -eq 1 ] && [[ "$out" == *"/proc/version/charts"* ]]'
check "nothing is written on failure" '[ ! -e "$tmp/bad" ] || [ -z "$(ls "$tmp/bad")" ]'
if [ "$(basename "$cmd")" = virtlab-export ]; then
  libs=$(ldd "$cmd")
  check "virtlab-export links GLib, libxml2, cairo and pango" \
    '[[ "$libs" == *libglib-2.0* && "$libs" == *libxml2* && "$libs" == *libcairo* && "$libs" == *libpango* ]]'
  for lib in libgtk libgdk libvirt libosinfo libgvnc libsoup; do
    check "virtlab-export does not load $lib" '! grep -q "$lib" <<<"$libs"'
  done
  out=$(run "$study" 2>&1); rc=$?
  check "virtlab-export without --output is a usage error naming it" '[ $rc -eq 2 ] && [[ "$out" == *"--output"* ]]'
  out=$(run --no-such-option 2>&1); rc=$?
  check "an unknown option is a usage error naming it" '[ $rc -eq 2 ] && [[ "$out" == *"--no-such-option"* ]]'
  out=$(run -o "$tmp/short" --format csv "$study" 2>&1); rc=$?
  check "-o DIR writes there" '[ $rc -eq 0 ] && [ "$out" = "$tmp/short/results.csv" ]'
fi
exit "$fail"
