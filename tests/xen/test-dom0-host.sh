#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The live dom0 answers as a Xen host like the study's `xm info`, and reaches no network.
source "$(dirname "$0")/lib.sh"

ver=$(xvirsh version)
check "libvirt reports a Xen 4.17 hypervisor" contains "$ver" 'Running hypervisor: Xen 4\.17'
info=$(xvirsh nodeinfo)
check "2 CPUs" contains "$info" '^CPU\(s\): +2$'
mem_kib=$(awk '/Memory size/ {print $3}' <<<"$info")
check "about 4 GiB of host memory (${mem_kib} KiB)" test "${mem_kib:-0}" -gt 3900000
caps=$(xvirsh capabilities)
for t in xen hvm xenpvh; do
  check "capabilities offer os type $t" contains "$caps" "<os_type>$t</os_type>"
done
check "the guest list shows Domain-0 running" contains "$(xvirsh list --all)" '^ *0 +Domain-0 +running'

xl=$(dom0 'xl info')
check "xl info inside dom0: Xen 4.17" contains "$xl" '^xen_version +: 4\.17'
check "xl info inside dom0: 2 CPUs" contains "$xl" '^nr_cpus +: 2$'
check "libvirt's QEMU driver is not in the image" dom0 '! ls /usr/lib/x86_64-linux-gnu/libvirt/connection-driver/ | grep -q qemu'
check "cpu_map x86_kvm64 has no sep feature" dom0 "! grep -q \"name='sep'\" /usr/share/libvirt/cpu_map/x86_kvm64.xml"
check "dom0 has no default route" dom0 '! ip route | grep -q default'
check "dom0 reaches no outside name" dom0 '! timeout 5 busybox wget -q -O /dev/null http://deb.debian.org/'
check "dom0 reaches no outside address (TCP to 1.1.1.1:80)" dom0 '! timeout 5 busybox nc -w 3 1.1.1.1 80 </dev/null'
check "/dev/fd and /dev/stdin exist in dom0" dom0 'test -e /dev/fd/0 && test -e /dev/stdin'
finish
