#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The app on the live Xen dom0: its connection, host details (Xen 4.17, 2 CPUs, the memory, xen / hvm /
# xenpvh guests), guest list with Domain-0, events and lifecycle (tests/xen/xen-app-check.c), and the
# guests page drawn with the connection (screenshot, read with tesseract).
source "$(dirname "$0")/lib.sh"
check_bin=${XEN_APP_CHECK:-$top/_build/tests/xen/xen-app-check}

drop_domain vl-xen-pv
if [ -x "$check_bin" ]; then
  XEN_PV_XML="$xen_dir/domains/pv-guest.xml" "$check_bin" --verbose >"$out_dir/xen-app-check.log" 2>&1
  rc=$?
  grep -E '^(ok|not ok|# (host|guest|PV|connection))' "$out_dir/xen-app-check.log"
  check "the app's connection, host info, guest list, events and lifecycle on Xen" test "$rc" -eq 0
else
  not_ok "no $check_bin: build the app first (ninja -C _build)"
fi
drop_domain vl-xen-pv

png="$out_dir/app-guests-xen.png"
rm -f "$png"
GSETTINGS_SCHEMA_DIR="$top/_build/data" GSETTINGS_BACKEND=memory \
  timeout 60 "$VIRTLAB" --connect "$XEN_URI" --page guests --screenshot "$png" >/dev/null 2>&1
check "the app draws its guests page connected to Xen ($png)" test -s "$png"
if [ -s "$png" ]; then
  # Read the sidebar's first row and the list's first row apart, scaled up: tesseract reads small
  # print in a whole window badly.
  side=$(convert "$png" -crop 250x70+5+52 -resize 300% png:- | tesseract stdin - 2>/dev/null)
  row=$(convert "$png" -crop 870x26+256+121 -resize 300% png:- | tesseract stdin - 2>/dev/null)
  text="$side
$row"
  echo "$text" >"$out_dir/app-guests-xen.txt"
  # tesseract reads this font's 0 as o at times.
  check "the sidebar shows the connection as Xen on 127.0.0.1, connected" contains "$text" 'Xen on 127\.0\.0\.1'
  check "the guest list shows Domain-0" contains "$text" 'Domain-[0oO]'
  check "Domain-0 is running, Xen paravirtualized" contains "$text" 'Running +Xen paravirtualized'
fi
finish
