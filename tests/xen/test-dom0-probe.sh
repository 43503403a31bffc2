#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The app's host probe (tests/xen/xen-probe.c over vl-host-probe.c) run inside the live dom0 says
# "Xen dom0"; the files it read, copied out, give the same report: they are the fast tests' fixture
# tests/xen/fixtures/dom0-sysroot (refreshed with XEN_UPDATE_FIXTURE=1).
source "$(dirname "$0")/lib.sh"
pkgs="xen-system-amd64 xen-hypervisor-4.17-amd64 libvirt-daemon-driver-xen qemu-system-xen qemu-utils kvm-absent-package"

check "the probe program is on dom0's host disk" dom0 'test -x /mnt/host/xen-probe'
report=$(dom0 "/mnt/host/xen-probe / $pkgs")
echo "$report" | sed 's/^/# dom0: /'
check "the probe in dom0 reports Xen dom0" contains "$report" '^role: Xen dom0$'
check "it reads /sys/hypervisor/type xen" contains "$report" '^hypervisor-type: xen$'
check "it sees dom0's 2 vCPUs" contains "$report" '^cpus: 2$'
check "it sees Debian 12" contains "$report" '^distribution: debian 12$'
check "it sees the plan's xen-system-amd64 installed" contains "$report" '^package xen-system-amd64: installed$'
check "it sees the plan's qemu-utils installed (qemu-img for qcow2 volumes)" contains "$report" '^package qemu-utils: installed$'
check "it sees libvirtd's socket" contains "$report" 'libvirt-sockets: .*/run/libvirt/libvirt-sock'
check "harvest the files it read" dom0 'sh /mnt/host/harvest-sysroot.sh'
again=$(dom0 "/mnt/host/xen-probe /mnt/host/sysroot $pkgs")
check "the harvested sysroot gives the same report" test "$report" = "$again"
dom0 "/mnt/host/xen-probe /mnt/host/sysroot $pkgs >/mnt/host/probe.txt; cd /; sync; umount /mnt/host" >/dev/null
rm -rf "$out_dir/dom0-sysroot"
debugfs -R "rdump /sysroot $out_dir" "$XEN_STATE/host.ext4" >/dev/null 2>&1
mv "$out_dir/sysroot" "$out_dir/dom0-sysroot" 2>/dev/null
debugfs -R "cat /probe.txt" "$XEN_STATE/host.ext4" 2>/dev/null >"$out_dir/dom0-probe.txt"
dom0 'mount -t ext4 /dev/vdb /mnt/host' >/dev/null
check "the sysroot came out of dom0's disk" test -f "$out_dir/dom0-sysroot/proc/xen/capabilities"
host_report=$("$top/_build/tests/xen/xen-probe" "$out_dir/dom0-sysroot" $pkgs)
check "on the host, the copied sysroot gives dom0's report" test "$host_report" = "$report"
fixture="$xen_dir/fixtures"
if [ "${XEN_UPDATE_FIXTURE:-0}" = 1 ]; then
  rm -rf "$fixture/dom0-sysroot"
  mkdir -p "$fixture"
  cp -r "$out_dir/dom0-sysroot" "$fixture/dom0-sysroot"
  echo "$report" >"$fixture/dom0-probe.txt"
  echo "# fixture refreshed: $fixture"
fi
finish
