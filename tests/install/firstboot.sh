#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# The install tier's first boot (tests/install/image.sh boots the new disk once with this as init):
# install GRUB for BIOS on the disk and write its menu from inside, then power off.
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
mount -t proc proc /proc 2>/dev/null
mount -t sysfs sysfs /sys 2>/dev/null
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mount -o remount,rw /
ok=1
grub-install --target=i386-pc /dev/vda || ok=0
[ $ok = 1 ] && { update-grub || ok=0; }
# The first boot by GRUB runs systemd: it must not start with a used machine-id.
: >/etc/machine-id
rm -f /usr/local/sbin/virtlab-firstboot
sync
[ $ok = 1 ] && echo VIRTLAB-GRUB-OK
mount -o remount,ro /
sync
echo o >/proc/sysrq-trigger
sleep 30
