#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# /init of the test tier's Xen dom0: mounts, Xen's daemons, libvirtd --listen, then a root shell on hvc0.
PATH=/usr/sbin:/usr/bin:/sbin:/bin
export PATH
say() { echo "virtlab-dom0: $*"; }

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mountpoint -q /dev || mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts /dev/shm
mount -t devpts -o gid=5,mode=620,ptmxmode=666 devpts /dev/pts
mount -t tmpfs -o mode=755 tmpfs /run
mount -t tmpfs -o mode=1777 tmpfs /tmp
mkdir -p /run/lock /run/xen /run/libvirt /var/log/libvirt/libxl /var/log/xen/console /var/lib/xen \
         /var/lib/xenstored /var/lib/libvirt
# Without these links qemu-dm cannot bind its QMP socket, `virsh console` fails, and Xen's block
# hotplug script spins until libxl kills it after 87 s.
ln -sfn /proc/self/fd /dev/fd
ln -sfn /proc/self/fd/0 /dev/stdin
ln -sfn /proc/self/fd/1 /dev/stdout
ln -sfn /proc/self/fd/2 /dev/stderr
hostname virtlab-dom0

for m in xen-evtchn xen-gntdev xen-gntalloc xen-privcmd xenfs xen-blkback xen-netback loop bridge tun virtio_net; do
  modprobe "$m" || say "modprobe $m failed"
done
mount -t xenfs xenfs /proc/xen || say "cannot mount xenfs"
# boot-dom0.sh's optional second disk: files from the host, and a place to leave files for it.
if [ -b /dev/vdb ]; then mkdir -p /mnt/host && mount -t ext4 /dev/vdb /mnt/host || say "cannot mount /dev/vdb"; fi

# The only network: QEMU's restricted user net, for the host's loopback forwards. No default route.
ip link set lo up
ip link set eth0 up && ip addr add 10.0.2.15/24 dev eth0 || say "no eth0"
# The host's VNC forwards arrive addressed to 127.0.0.1: libxl's VNC servers listen there (libvirt-gconfig
# cannot set a listen address, so the app's guests keep libxl's default) and are reached like local ones.
echo 1 >/proc/sys/net/ipv4/conf/all/route_localnet
echo 1 >/proc/sys/net/ipv4/conf/eth0/route_localnet

/usr/lib/xen-4.17/bin/oxenstored --pid-file=/run/xen/xenstored.pid || say "oxenstored failed"
i=0
until xenstore-read -s / >/dev/null 2>&1 || [ $i -ge 100 ]; do sleep 0.1; i=$((i + 1)); done
/usr/lib/xen-4.17/bin/xen-init-dom0 || say "xen-init-dom0 failed"
/usr/lib/xen-4.17/bin/xenconsoled --pid-file=/run/xen/xenconsoled.pid --log=guest --log-dir=/var/log/xen/console ||
  say "xenconsoled failed"
libvirtd --listen -d || say "libvirtd failed"
say "ready: $(xl info 2>/dev/null | awk '/^xen_version/ {print "Xen " $3}')"

# A root shell on the console for the tests (tests/xen/dom0-shell.py talks to it over the serial socket).
while true; do
  setsid -c sh -c 'stty -echo 2>/dev/null; exec sh -i' </dev/hvc0 >/dev/hvc0 2>&1
  sleep 1
done
