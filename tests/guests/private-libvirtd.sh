#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Runs a private libvirtd and virtlogd whose configuration and state live in DIR. Started under
# `unshare -m`, it bind-mounts DIR over /etc/libvirt, /run/libvirt and /var/lib/libvirt inside its own
# mount namespace only, so the system's libvirt (and other test runs) are left alone. The client
# socket is DIR/sock/libvirt-sock. This process becomes libvirtd: its PID is libvirtd's PID.
set -eu
dir=$1
mkdir -p "$dir/etc" "$dir/run" "$dir/lib" "$dir/cache" "$dir/log" "$dir/sock"
if [ ! -f "$dir/etc/libvirtd.conf" ]; then
  cp -a /etc/libvirt/. "$dir/etc/"
  cat > "$dir/etc/libvirtd.conf" <<CONF
unix_sock_dir = "$dir/sock"
unix_sock_rw_perms = "0700"
CONF
  # Two daemons that stand for two hosts (a guest moved between them) need host UUIDs of their own:
  # a test leaves one in DIR/host-uuid.
  if [ -f "$dir/host-uuid" ]; then
    printf 'host_uuid = "%s"\n' "$(cat "$dir/host-uuid")" >> "$dir/etc/libvirtd.conf"
  fi
  # A test that wants a user name and password leaves a SASL configuration in DIR/sasl2.
  if [ -d "$dir/sasl2" ]; then
    printf 'auth_unix_rw = "sasl"\nauth_unix_ro = "sasl"\n' >> "$dir/etc/libvirtd.conf"
  else
    printf 'auth_unix_rw = "none"\nauth_unix_ro = "none"\n' >> "$dir/etc/libvirtd.conf"
  fi
  # /dev/kvm here is root's only: QEMU run as libvirt-qemu would see no KVM while libvirt's probe
  # (as root) saw it, and every define would re-probe QEMU's capabilities for half a minute.
  printf 'user = "root"\ngroup = "root"\n' >> "$dir/etc/qemu.conf"
  # Without systemd libvirt finds cgroups in the mount table, where a chroot with /sys bound into
  # it can hide the real ones: keep guests out of cgroups.
  printf 'cgroup_controllers = [ ]\n' >> "$dir/etc/qemu.conf"
fi
# Never autostart a copied network (Debian ships the default NAT one): no traffic may leave loopback.
rm -f "$dir"/etc/qemu/networks/autostart/*
mount --make-rprivate /
mount --bind "$dir/etc" /etc/libvirt
mount --bind "$dir/run" /run/libvirt
mount --bind "$dir/lib" /var/lib/libvirt
mount --bind "$dir/cache" /var/cache/libvirt
mount --bind "$dir/log" /var/log/libvirt
# A test whose daemon stands for another host leaves DIR/var-tmp: that host's own /var/tmp.
[ -d "$dir/var-tmp" ] && mount --bind "$dir/var-tmp" /var/tmp
# SASL reads its configuration (mechanisms, user database) from /etc/sasl2/libvirt.conf.
[ -d "$dir/sasl2" ] && mount --bind "$dir/sasl2" /etc/sasl2
# virtlogd outlives a killed libvirtd, as on a real host; start it only when ours is not running.
if [ ! -f "$dir/virtlogd.pid" ] || ! kill -0 "$(cat "$dir/virtlogd.pid")" 2>/dev/null; then
  virtlogd --daemon --pid-file "$dir/virtlogd.pid"
fi
exec libvirtd --config "$dir/etc/libvirtd.conf" --pid-file "$dir/libvirtd.pid"
