#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs in the install tier's test machine: what the app's host probe reads of this system, as a
# small tree (a gzipped tar, base64 on stdout): os-release, the users and groups, /proc's processor,
# memory, modules, kernel and PID 1, dpkg's status (Package, Status and Version only), the enabled
# units and rc2.d links, libvirt's sockets and /dev/kvm (as empty files), Virtlab's GRUB file and the menu.
# tests/host's replay of the Host page (test-host-replay.c) checks this very system from it.
set -eu
s=$(mktemp -d)
mkdir -p "$s/etc" "$s/proc/sys/kernel" "$s/proc/1" "$s/var/lib/dpkg" "$s/run"
cat /etc/os-release >"$s/etc/os-release"
cp /etc/passwd /etc/group "$s/etc/"
for f in cpuinfo meminfo modules sys/kernel/osrelease 1/comm; do cat "/proc/$f" >"$s/proc/$f" 2>/dev/null || rm -f "$s/proc/$f"; done
awk '/^(Package|Status|Version): / {print} /^$/ {print}' /var/lib/dpkg/status >"$s/var/lib/dpkg/status"
[ -d /run/systemd/system ] && mkdir -p "$s/run/systemd/system"
for d in /etc/systemd/system/*.wants /etc/rc2.d; do
  [ -d "$d" ] || continue
  mkdir -p "$s$d"
  for u in "$d"/*; do [ -e "$u" ] || [ -L "$u" ] && : >"$s$u"; done
done
for p in /run/libvirt/libvirt-sock /run/libvirt/virtqemud-sock /run/libvirt/virtxend-sock; do
  [ -e "$p" ] && mkdir -p "$s$(dirname "$p")" && : >"$s$p"
done
[ -e /dev/kvm ] && mkdir -p "$s/dev" && : >"$s/dev/kvm"
for f in /etc/default/grub.d/virtlab-xen.cfg /boot/grub/grub.cfg; do
  [ -f "$f" ] && mkdir -p "$s$(dirname "$f")" && cp "$f" "$s$f"
done
tar -C "$s" -czf - . | base64
rm -rf "$s"
