#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# What libvirt's libxl driver answers to a move (issue 17, Move to Another Host) on the one dom0 of the
# tier: a live move to the same host, a storage copy and an offline move. Its own words are printed
# ("# libvirt: …") for the help and the issue's note; the guest must run on as it was after each.
source "$(dirname "$0")/lib.sh"

name=vl-xen-migrate
drop_domain "$name"
sed "s|<name>vl-xen-pv</name>|<name>$name</name>|" "$xen_dir/domains/pv-guest.xml" > "$out_dir/$name.xml"
check "define a PV guest" xvirsh define "$out_dir/$name.xml"
check "start it" xvirsh start "$name"

try_move() {  # try_move WHAT FLAGS...: refused by libvirt, its words printed, the guest still running
  local what=$1; shift
  local said
  if said=$(xvirsh migrate "$@" "$name" "$XEN_URI" 2>&1); then
    not_ok "$what: refused"
  else
    ok "$what: refused"
  fi
  echo "# libvirt ($what): $(tr '\n' ' ' <<<"$said")"
  check "$what: the guest still runs" contains "$(xvirsh domstate "$name")" '^running'
}
try_move "live to the same host" --live --persistent --undefinesource
try_move "live with storage copy" --live --persistent --undefinesource --copy-storage-all
try_move "offline" --offline --persistent --undefinesource
drop_domain "$name"
finish
