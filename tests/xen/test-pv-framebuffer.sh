#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# A Xen PV guest with a VNC framebuffer (video model xen, xen keyboard and mouse): the kernel's boot text
# shows on its screen through the host's forward, and keys typed through gtk-vnc reach its shell.
source "$(dirname "$0")/lib.sh"

drop_domain vl-xen-pv-fb
check "define the PV guest with a framebuffer" xvirsh define "$xen_dir/domains/pv-guest-fb.xml"
t0=$(date +%s.%N)
check "start it" xvirsh start vl-xen-pv-fb
vnc_port=$(xvirsh dumpxml vl-xen-pv-fb | sed -n "s/.*<graphics type='vnc' port='\([0-9]*\)'.*/\1/p")
host_port=$(host_port_for "$vnc_port")
check "its VNC port ($vnc_port) is forwarded to the host (${host_port:-none})" test -n "$host_port"
text=""
for _ in $(seq 90); do
  text=$(vnc_text "$host_port" "$out_dir/pv-framebuffer.png") && contains "$text" 'built-in shell' && break
  sleep 1
done
echo "# PV start to shell prompt on its framebuffer: $(since "$t0") s"
check "the kernel's boot text is on its framebuffer" contains "$text" 'Run /init as init process'
# OCR may break the banner's long line in two (seen: "IRTLAB PU GUEST UP:" / "Linux 6.1…"): match its middle.
check "the initrd's banner is on its framebuffer" contains "$text" 'GUEST UP'
vnc_type "$host_port" 'expr 123400 - 1\n' 1 "$out_dir/pv-framebuffer-typed.png" >/dev/null
text=$(vnc_wait_text "$host_port" '^123399' "$out_dir/pv-framebuffer-typed.png" 60)
check "keys typed through gtk-vnc reach its shell (expr printed 123399)" contains "$text" '^123399'
check "destroy it" xvirsh destroy vl-xen-pv-fb
check "undefine it" xvirsh undefine vl-xen-pv-fb
finish
