#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The app makes Xen guests on the live dom0 and shows them (tests/xen/xen-app-guests.c): a PV guest and an
# HVM guest from the tiny ISO through its spec and creator, started by its lifecycle code, their screens
# in its console widget (read by tesseract), keys typed into them, the HVM console reconnecting after a
# restart; a PV guest with a new qcow2 volume in a directory pool and a NIC on an isolated dom0 bridge,
# shut down gracefully and deleted with its volume by the app, each step checked with virsh and in dom0.
source "$(dirname "$0")/lib.sh"
bin=$top/_build/tests/xen/xen-app-guests

if [ ! -x "$bin" ]; then
  not_ok "no $bin: build the app first (ninja -C _build)"
  finish
fi
# The PV guest's NIC goes on this bridge: no address and no uplink, so nothing leaves dom0.
check "a bridge with no address and no uplink in dom0" dom0 'ip link show vlbr0 >/dev/null 2>&1 || { ip link add vlbr0 type bridge && ip link set vlbr0 up; }'
XEN_DIR=$xen_dir XEN_OUT=$out_dir GSETTINGS_SCHEMA_DIR="$top/_build/data" GSETTINGS_BACKEND=memory \
  timeout 900 "$bin" --verbose >"$out_dir/xen-app-guests.log" 2>&1
rc=$?
grep -E '^(ok|not ok)|^# (app-made|creator|console|dom0|screen)|Bail' "$out_dir/xen-app-guests.log"
check "the app's spec, creator, lifecycle and console on Xen PV and HVM guests" test "$rc" -eq 0
for png in app-pv-console app-pv-console-typed app-hvm-seabios app-hvm-isolinux app-hvm-typed app-hvm-reconnected; do
  [ -f "$out_dir/$png.png" ] && echo "# screenshot: $out_dir/$png.png"
done
finish
