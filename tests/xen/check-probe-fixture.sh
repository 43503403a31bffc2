#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Fast test: the app's host probe on the sysroot copied out of the live Xen dom0 (test-dom0-probe.sh)
# gives the report the probe gave inside that dom0: Xen dom0, 2 CPUs, Debian 12, the plan's packages.
set -uo pipefail
source "$(dirname "$(readlink -f "$0")")/../tap.sh"
probe=$1
fixtures=$(cd "$(dirname "$0")" && pwd)/fixtures
pkgs="xen-system-amd64 xen-hypervisor-4.17-amd64 libvirt-daemon-driver-xen qemu-system-xen qemu-utils kvm-absent-package"
got=$("$probe" "$fixtures/dom0-sysroot" $pkgs) || { tap_echo "not ok - the probe failed on the dom0 sysroot"; exit 1; }
diff -u "$fixtures/dom0-probe.txt" <(echo "$got") | sed 's/^/# /'
check "the probe's report on the dom0 sysroot is what it said inside dom0" \
  'diff -q "$fixtures/dom0-probe.txt" <(echo "$got") >/dev/null'
check "the dom0 sysroot is seen as Xen dom0" "grep -qx 'role: Xen dom0' <<<\"\$got\""
exit "$fail"
