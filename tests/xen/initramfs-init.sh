#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The dom0's first stage (busybox initramfs): load virtio and ext4, mount the root disk, run its /init.
/bin/busybox mkdir -p /proc /sys /dev /newroot
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t devtmpfs devtmpfs /dev
while read -r m; do
  insmod "/modules/$m" || echo "initramfs: insmod $m failed"
done </modules/order
i=0
while [ ! -b /dev/vda ] && [ $i -lt 200 ]; do sleep 0.1; i=$((i + 1)); done
# The disk is attached with snapshot=on: writes land in QEMU's throw-away overlay, the image stays clean.
if ! mount -t ext4 -o rw,noatime /dev/vda /newroot; then
  echo "initramfs: cannot mount the root disk /dev/vda"
  exec sh
fi
mount --move /dev /newroot/dev
umount /proc
exec switch_root /newroot /init
