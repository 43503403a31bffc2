#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# A Xen HVM guest made as the study's XP guest (CD then disk, localtime clock, USB tablet, VNC) boots the
# tiny isolinux ISO: SeaBIOS and the ISOLINUX prompt appear on its VNC screen through the host's forward.
source "$(dirname "$0")/lib.sh"

drop_domain vl-xen-hvm
check "define the HVM guest" xvirsh define "$xen_dir/domains/hvm-cd-guest.xml"
t0=$(date +%s.%N)
check "start it" xvirsh start vl-xen-hvm
xml=$(xvirsh dumpxml vl-xen-hvm)
vnc_port=$(sed -n "s/.*<graphics type='vnc' port='\([0-9]*\)'.*/\1/p" <<<"$xml")
host_port=$(host_port_for "$vnc_port")
check "its VNC port ($vnc_port) is forwarded to the host (${host_port:-none})" test -n "$host_port"
text=""
for _ in $(seq 90); do
  text=$(vnc_text "$host_port" "$out_dir/hvm-isolinux.png") && contains "$text" 'boot:' && break
  sleep 1
done
echo "# HVM start to ISOLINUX prompt on VNC: $(since "$t0") s"
check "SeaBIOS on its screen" contains "$text" 'SeaBIOS'
check "it booted from the CD" contains "$text" 'Booting from (DVD|DUD)/CD'
check "the ISOLINUX prompt on its screen" contains "$text" 'ISOLINUX'
vnc_type "$host_port" 'hello\n' 1 "$out_dir/hvm-isolinux-typed.png" >/dev/null
text=$(vnc_wait_text "$host_port" 'Loading hello' "$out_dir/hvm-isolinux-typed.png" 60)
check "keys typed through gtk-vnc reach ISOLINUX (it tries to load kernel hello)" contains "$text" 'Loading hello'
check "xl inside dom0 sees an HVM guest" contains "$(dom0 'xl list -l vl-xen-hvm')" '"type": "hvm"'
check "its device model runs in dom0" dom0 'grep -qs qemu-system-i386 /proc/[0-9]*/cmdline'
check "destroy it" xvirsh destroy vl-xen-hvm
check "undefine it" xvirsh undefine vl-xen-hvm
finish
