#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# A Xen PV guest (Debian kernel + busybox initrd, no NIC, pty console) on the live dom0, through virsh:
# defined, started, its console read and written, shut down, undefined. Then one with a qdisk file,
# a blkback-through-loop file from a directory pool inside dom0, and a NIC on a dom0 bridge.
source "$(dirname "$0")/lib.sh"
console() { /usr/bin/python3 "$xen_dir/guest-console.py" "$XEN_URI" "$@"; }

drop_domain vl-xen-pv
check "define the PV guest" xvirsh define "$xen_dir/domains/pv-guest.xml"
t0=$(date +%s.%N)
check "start the PV guest" xvirsh start vl-xen-pv
echo "# PV start: $(since "$t0") s"
check "it runs" contains "$(xvirsh domstate vl-xen-pv)" '^running'
text=$(console vl-xen-pv 'VIRTLAB PV GUEST UP: Linux 6\.1' '' 90)
check "its console shows the busybox init's banner" contains "$text" 'VIRTLAB PV GUEST UP: Linux 6\.1'
text=$(console vl-xen-pv 'PV-ECHO-42 6\.1' 'echo PV-ECHO-$((6*7)) $(uname -r)\n' 60)
check "a command typed on its console runs in the guest" contains "$text" 'PV-ECHO-42 6\.1'
check "xl inside dom0 sees it too" contains "$(dom0 'xl list')" '^vl-xen-pv '
check "xenconsoled logged its console" dom0 'grep -q "VIRTLAB PV GUEST UP" /var/log/xen/console/guest-vl-xen-pv.log'
xvirsh shutdown vl-xen-pv >/dev/null
for _ in $(seq 60); do contains "$(xvirsh domstate vl-xen-pv 2>&1)" 'shut off' && break; sleep 1; done
check "a clean shutdown (xenstore -> /sbin/poweroff) stops it" contains "$(xvirsh domstate vl-xen-pv)" 'shut off'
check "undefine it" xvirsh undefine vl-xen-pv
# libxl's driver finishes a guest's shutdown in a worker thread: an undefine that comes first leaves
# it transient until that cleanup ran, so give it a few seconds to be gone.
gone() { ! xvirsh list --all --name | grep -qx vl-xen-pv; }
for _ in $(seq 30); do gone && break; sleep 0.5; done
check "it is gone" gone

# ---- with disks and a NIC ----
drop_domain vl-xen-pv-disks
xvirsh pool-destroy vl-pool >/dev/null 2>&1; xvirsh pool-undefine vl-pool >/dev/null 2>&1
check "a directory pool inside dom0" xvirsh pool-create-as vl-pool dir --target /var/lib/virtlab/pool
check "a 16 MiB volume for qdisk" xvirsh vol-create-as vl-pool vl-qdisk.img 16M --format raw
check "a 24 MiB volume for blkback" xvirsh vol-create-as vl-pool vl-blkback.img 24M --format raw
check "a bridge with no address and no uplink in dom0" dom0 'ip link show vlbr0 >/dev/null 2>&1 || { ip link add vlbr0 type bridge && ip link set vlbr0 up; }'
check "define the PV guest with disks and a NIC" xvirsh define "$xen_dir/domains/pv-guest-disks.xml"
t0=$(date +%s.%N)
check "start it" xvirsh start vl-xen-pv-disks
echo "# PV with disks + NIC start: $(since "$t0") s"
probe='echo SIZES $(cat /sys/block/xvdb/size) $(cat /sys/block/xvdc/size) MAC $(cat /sys/class/net/eth0/address)\n'
text=$(console vl-xen-pv-disks 'SIZES [0-9]+ [0-9]+ MAC [0-9a-f:]+' "$probe" 120)
check "the guest sees the qdisk disk (32768 sectors)" contains "$text" 'SIZES 32768 '
check "the guest sees the blkback disk (49152 sectors)" contains "$text" 'SIZES [0-9]+ 49152 '
check "the guest sees its NIC" contains "$text" 'MAC 00:16:3e:00:00:42'
check "blkback went through a loop device in dom0" dom0 'losetup -a | grep -q vl-blkback.img'
check "the vif is a port of vlbr0" dom0 'ls /sys/class/net/vlbr0/brif/ | grep -q "^vif"'
check "destroy it" xvirsh destroy vl-xen-pv-disks
check "undefine it" xvirsh undefine vl-xen-pv-disks
check "delete its volumes" bash -c "virsh -q -c '$XEN_URI' vol-delete vl-qdisk.img --pool vl-pool && virsh -q -c '$XEN_URI' vol-delete vl-blkback.img --pool vl-pool"
check "the volumes are gone from dom0" dom0 '! ls /var/lib/virtlab/pool/ | grep -q img'
xvirsh pool-destroy vl-pool >/dev/null 2>&1
finish
