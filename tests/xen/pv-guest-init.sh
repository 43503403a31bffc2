#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# /init of the test PV guest's busybox initrd: say hello on the console, then keep a shell there.
/bin/busybox mkdir -p /proc /sys /dev
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
while read -r m; do insmod "/modules/$m"; done </modules/order
# libvirt's shutdown reaches the kernel through xenstore; the kernel then runs /sbin/poweroff.
mkdir -p /sbin
printf '#!/bin/sh\nsync\nexec /bin/busybox poweroff -f\n' >/sbin/poweroff
chmod 755 /sbin/poweroff
echo "VIRTLAB PV GUEST UP: $(uname -sr), $(grep -c ^processor /proc/cpuinfo) vCPU, up $(cut -d' ' -f1 /proc/uptime) s"
while true; do
  setsid cttyhack sh
  sleep 1
done
