#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Run in the live dom0: copy what the app's host probe reads into /mnt/host/sysroot (a fixture).
set -e
d=/mnt/host/sysroot
rm -rf "$d"
mkdir -p "$d"
kver=$(uname -r)
for f in proc/cpuinfo proc/meminfo proc/modules proc/sys/kernel/osrelease proc/xen/capabilities \
         sys/hypervisor/type etc/os-release usr/lib/os-release etc/group \
         "lib/modules/$kver/modules.builtin" "lib/modules/$kver/modules.dep"; do
  [ -e "/$f" ] || continue
  mkdir -p "$d/$(dirname "$f")"
  cat "/$f" >"$d/$f"
done
# sys/module: a directory per module, with initstate for the loadable ones (how the probe tells them).
for m in /sys/module/*; do
  n=$(basename "$m")
  mkdir -p "$d/sys/module/$n"
  if [ -e "$m/initstate" ]; then cat "$m/initstate" >"$d/sys/module/$n/initstate"; fi
  # git keeps no empty folder: mark the built-in modules' folders.
  [ -e "$d/sys/module/$n/initstate" ] || : >"$d/sys/module/$n/.keep"
done
# The package database cut to the stanzas the plans ask about (the rest is mmdebstrap's minbase).
mkdir -p "$d/var/lib/dpkg"
awk 'BEGIN { RS = ""; ORS = "\n\n" } /^Package: (xen|libvirt|qemu|linux-image|grub|base-files)/' \
  /var/lib/dpkg/status >"$d/var/lib/dpkg/status"
ln -s ../run "$d/var/run"
# libvirt's socket: an empty file stands for it (the probe only checks that it exists).
if [ -S /run/libvirt/libvirt-sock ]; then mkdir -p "$d/run/libvirt" && : >"$d/run/libvirt/libvirt-sock"; fi
echo "harvested $(find "$d" -type f | wc -l) files"
