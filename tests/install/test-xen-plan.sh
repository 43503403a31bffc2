#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The app's Debian Xen plan in a real Debian 12 (systemd, GRUB, no network): printed by the app for the
# machine's own probe, run by virtlab-host-helper through the page's runner, including its GRUB file
# and update-grub; then the restart the page asks for. GRUB's default entry must boot the Xen
# hypervisor with the plan's dom0_mem; there `xl info` shows it, libvirt answers on xen:///system, the
# app's probe says "Xen dom0" with that memory, a PV guest starts, and a second run has nothing to do.
source "$(dirname "$0")/lib.sh"
xen_packages="xen-system-amd64 qemu-system-xen qemu-utils libvirt-daemon-driver-xen libvirt-daemon-system libvirt-clients"

boot_with_packages xen || { not_ok "the test machine comes up with the Xen plan's packages"; finish; }
packages_run=$(cat "$out_dir/xen-packages.txt")
check "the app's plan for this machine installed the Xen packages" contains "$packages_run" "^packages: $xen_packages\$"
check "its package steps succeeded (runner, helper)" contains "$packages_run" '^state: succeeded$'
# Debian 12's Xen packages already make "with Xen hypervisor" GRUB's default (seen here: the disk kept
# after the package step boots Xen, with all memory in dom0 and no dom0_mem); the plan's own GRUB file
# adds dom0_mem. So from the cache the remaining steps run in that dom0; the plan must still finish.
if [ -n "$(vm 'cat /sys/hypervisor/type 2>/dev/null')" ]; then
  echo "# after the package step and a restart the machine runs Xen already (Debian's default entry)"
  check "without the plan's dom0_mem yet" bash -c "! grep -aq 'Command line:.*dom0_mem' '$VM_STATE/console.log'"
else
  ok "it does not run under Xen yet"
fi

# ---- fault: a GRUB file of ours is already there (an earlier set-up with another dom0 size) ----
old_cfg='# an earlier Virtlab set-up
GRUB_CMDLINE_XEN_DEFAULT="dom0_mem=512M,max:512M"'
vm "mkdir -p /etc/default/grub.d && printf '%s\n' '$old_cfg' >/etc/default/grub.d/virtlab-xen.cfg" >/dev/null

# The whole plan as the page shows it to the user "tester" (the app's --print-install-plan code, with
# the steps the package step already did marked done: Debian's packages enable their own services).
plan_all=$(vm 'runuser -u tester -- /mnt/host/install-run print xen all')
echo "$plan_all" >"$out_dir/xen-plan-all.txt"
# The plan's dom0 size: a quarter of the machine's memory in 256 MiB steps, 1-4 GiB.
mem_kib=$(vm "awk '/MemTotal/ {print \$2}' /proc/meminfo")
mib=$(( mem_kib / 1024 / 4 / 256 * 256 )); [ "$mib" -lt 1024 ] && mib=1024; [ "$mib" -gt 4096 ] && mib=4096
option="dom0_mem=${mib}M,max:${mib}M"
echo "# the machine has $mem_kib KiB: the plan should give dom0 $option"
check "the plan writes /etc/default/grub.d/virtlab-xen.cfg" contains "$plan_all" '^file: /etc/default/grub.d/virtlab-xen.cfg$'
check "with $option" contains "$plan_all" "^\\| GRUB_CMDLINE_XEN_DEFAULT=\"$option\"\$"
check "it runs update-grub" contains "$plan_all" '^command: update-grub$'
check "it enables the Xen services with systemd" contains "$plan_all" '^command: systemctl enable --now xen'
check "it ends with the restart" test "$(grep '^kind:' <<<"$plan_all" | tail -n1)" = "kind: reboot"
# What is left to do now: the runner gets this.
plan=$(vm 'runuser -u tester -- /mnt/host/install-run print xen')
echo "$plan" >"$out_dir/xen-plan.txt"
check "the plan printed now has no package step left" bash -c "! grep -q '^kind: install-packages' '$out_dir/xen-plan.txt'"
echo "# steps left after the package step: $(grep '^kind:' <<<"$plan" | cut -d' ' -f2 | tr '\n' ' ')"

# What the host page's probe reads of the machine now (tests/host's replay of this run).
vm 'bash /mnt/host/snapshot-root.sh' 300 >"$out_dir/xen-root-after-packages.b64" 2>/dev/null
t0=$(now)
run_plan xen xen-run-1 2400; rc=$?
t=$(since "$t0")
check "the runner ran the plan's remaining steps through the helper ($t s)" test "$rc" -eq 0
grep -E '^(@[0-9.]+ (step |step-time)|state:|error:|reboot-needed:|total:)' "$out_dir/xen-run-1.txt"
grep -E '^@[0-9.]+ output (E:|dpkg: error|Failed|Job for)' "$out_dir/xen-run-1.txt" | head -n 10
awk '$2 == "step-time" {print "xen-" $3, $4}' "$out_dir/xen-run-1.txt" | while read -r n s; do timing "$n" "$s"; done
timing xen-plan-rest "$t"
check "the page is left asking for the restart" grep -qx 'reboot-needed: yes' "$out_dir/xen-run-1.txt"
vm 'cat /root/xen-run-1.log' >"$out_dir/xen-run-1.log" 2>/dev/null
check "the GRUB file holds the plan's setting" vm "grep -qx 'GRUB_CMDLINE_XEN_DEFAULT=\"$option\"' /etc/default/grub.d/virtlab-xen.cfg"
vm 'cat /boot/grub/grub.cfg' >"$out_dir/grub.cfg"
check "the boot menu has a Xen entry with $option" grep -q "multiboot.*/boot/xen.*$option" "$out_dir/grub.cfg"
check "the earlier GRUB file is kept as virtlab-xen.cfg~" vm "printf '%s\n' '$old_cfg' | cmp -s - /etc/default/grub.d/virtlab-xen.cfg~"
check "and it does not reach the boot menu (no 512M)" bash -c "! grep -q 'dom0_mem=512M' '$out_dir/grub.cfg'"
# grub.cfg sets default="${next_entry}" for a one-time choice, else the configured default: the last.
default=$(sed -n 's/^ *set default="\(.*\)"$/\1/p' "$out_dir/grub.cfg" | grep -v next_entry | tail -n1)
echo "# grub.cfg: set default=\"$default\""
check "GRUB's default entry is the Xen one" contains "$default" 'Xen hypervisor'

# ---- fault: no room left where update-grub writes (/boot is on the root file system here) ----
# Before the plan's own restart: the helper asked to write the menu again must fail with
# update-grub's own message and leave the menu byte for byte the one the plan wrote; the plan's
# restart below then boots that menu into Xen (one reboot proves both).
if [ "${INSTALL_FAULTS:-1}" = 1 ]; then
  vm 'free=$(( $(stat -f -c %f /) * $(stat -f -c %S /) )); fallocate -l $(( free - 65536 )) /virtlab-fill; dd if=/dev/zero of=/virtlab-fill2 bs=4k 2>/dev/null; df -h / | tail -n1' 300 | sed 's/^/# full: /'
  # The helper's stdin stays open until the step has ended: closed input means "the app went away",
  # and the helper cancels what runs (seen: "cancelled" instead of update-grub's answer).
  t0=$(now)
  full=$(vm 'coproc H { /mnt/host/virtlab-host-helper 2>&1; }; printf "update-grub\n" >&"${H[1]}"; while read -r -t 900 line <&"${H[0]}"; do echo "$line"; case $line in step-done*|step-failed*|refused*) break;; esac; done; exec {H[1]}>&-; wait' 1000)
  timing xen-full-disk-update-grub "$(since "$t0")"
  echo "$full" >"$out_dir/update-grub-full.txt"
  echo "$full" | grep -E '^(step-failed|output .*(space|error))' | head -n 5 | sed 's/^/# /'
  check "update-grub on a full disk: the helper reports the step failed" contains "$full" '^step-failed '
  check "with the tool's message (no space left)" contains "$full" '[Nn]o space left'
  vm 'rm -f /virtlab-fill /virtlab-fill2; sync' >/dev/null
  vm 'cat /boot/grub/grub.cfg' >"$out_dir/grub-after-full.cfg"
  check "the boot menu is still the one the plan wrote, byte for byte (Xen entry, $option)" cmp -s "$out_dir/grub.cfg" "$out_dir/grub-after-full.cfg"
  check "and whole (ends with 41_custom's end)" bash -c "tail -n 3 '$out_dir/grub-after-full.cfg' | grep -q '### END /etc/grub.d/41_custom ###'"
fi

# The emulated CPU, not the plan: Xen on this AMD-vendor qemu64 hides SEP and TCG lacks VME, and
# libvirt's libxl driver then finds no CPU model ("Cannot find suitable CPU model for given data")
# and libvirtd stops (seen here after the restart). The Xen tier's image makes the same edit.
vm "sed -i \"/<feature name='sep'\\/>/d\" /usr/share/libvirt/cpu_map/x86_kvm64.xml" >/dev/null
check "(test machine) cpu_map x86_kvm64 without sep, as in the Xen tier" vm "! grep -q \"name='sep'\" /usr/share/libvirt/cpu_map/x86_kvm64.xml"

# ---- the restart: the page's restart bar; the user restarts ----
# (After the full-disk fault above: this boot is also that fault's proof that the machine boots.)
t0=$(now)
t=$(reboot_vm) && ok "the machine restarts and comes up again ($t s)" || { not_ok "the machine comes up after the restart"; finish; }
timing xen-reboot-to-shell "$t"
check "it runs under Xen now" test "$(vm 'cat /sys/hypervisor/type')" = xen
for _ in $(seq 120); do vm 'virsh -c xen:///system version' 30 >/dev/null 2>&1 && break; sleep 2; done
timing xen-reboot-to-libvirt "$(since "$t0")"
check "Xen 4.17 started from GRUB (console)" grep -aq 'Xen version 4\.17' "$VM_STATE/console.log"
info=$(vm 'xl info')
echo "$info" >"$out_dir/xl-info.txt"
check "xl info: Xen 4.17" contains "$info" '^xen_version +: 4\.17'
check "xl info: Xen's command line has $option" contains "$info" "^xen_commandline +:.*$option"
dom0_mib=$(vm "xl list 0 | awk 'NR==2 {print \$3}'")
check "xl list: dom0 has about $mib MiB ($dom0_mib)" test "${dom0_mib:-0}" -ge $(( mib - 32 )) -a "${dom0_mib:-0}" -le "$mib"
check "libvirt answers on xen:///system" contains "$(vm 'virsh -c xen:///system version')" 'Running hypervisor: Xen 4\.17'
check "tester (in the libvirt group) reaches xen:///system" vm 'runuser -l tester -c "virsh -c xen:///system list --all" | grep -q Domain-0'
probe=$(vm '/mnt/host/install-run probe xen-system-amd64')
echo "$probe" | sed 's/^/# probe: /'
check "the app's probe says Xen dom0" contains "$probe" '^role: Xen dom0$'
probe_kib=$(sed -n 's/^mem-total-kib: //p' <<<"$probe")
check "with dom0's memory (${probe_kib} KiB, at most $mib MiB)" test "${probe_kib:-0}" -le $(( mib * 1024 )) -a "${probe_kib:-0}" -gt $(( mib * 1024 * 8 / 10 ))

# A PV guest: the machine's own Debian kernel and initramfs, no disk, no NIC.
# (One line: the test shell wraps a command in "( … )", which a here-document cannot end in.)
vm 'k=$(ls /boot/vmlinuz-* | tail -n1); i=$(ls /boot/initrd.img-* | tail -n1); echo "<domain type=\"xen\"><name>vl-pv</name><memory unit=\"MiB\">256</memory><vcpu>1</vcpu><os><type arch=\"x86_64\" machine=\"xenpv\">linux</type><kernel>$k</kernel><initrd>$i</initrd><cmdline>console=hvc0 panic=0</cmdline></os><on_crash>preserve</on_crash><devices><console type=\"pty\"/></devices></domain>" >/tmp/vl-pv.xml' >/dev/null
check "define a PV guest" vm 'virsh -c xen:///system define /tmp/vl-pv.xml'
t0=$(now)
check "it starts" vm 'virsh -c xen:///system start vl-pv'
timing xen-pv-guest-start "$(since "$t0")"
check "it runs (libvirt)" contains "$(vm 'virsh -c xen:///system domstate vl-pv')" '^running'
check "xl sees it" contains "$(vm 'xl list')" '^vl-pv '
vm 'virsh -c xen:///system destroy vl-pv; virsh -c xen:///system undefine vl-pv' >/dev/null

# ---- a second run changes nothing ----
again=$(vm 'runuser -u tester -- /mnt/host/install-run print xen')
echo "$again" >"$out_dir/xen-plan-after.txt"
check "the plan printed in dom0 for tester has no step left" contains "$again" '^steps: 0$'
grep -E '^(step |kind:|status:)' "$out_dir/xen-plan-after.txt" | sed 's/^/# left for tester: /'
again_root=$(vm '/mnt/host/install-run print xen')
echo "$again_root" >"$out_dir/xen-plan-after-root.txt"
check "and for root" contains "$again_root" '^steps: 0$'
run_plan xen xen-run-2 300; rc=$?
check "a second run of the plan succeeds" test "$rc" -eq 0
check "and runs nothing" bash -c "! grep -q '^@[0-9.]* step ' '$out_dir/xen-run-2.txt'"

# ---- the undo of the plan's boot settings (vl_install_plan_new_undo, run by the page's runner) ----
# The earlier virtlab-xen.cfg (kept as ~ by the GRUB step) comes back; it does not set
# XEN_OVERRIDE_GRUB_DEFAULT, so Virtlab's virtlab-no-xen-default.cfg sets it to "0" (else Debian's
# xen.cfg makes Xen the default again); the menu is written again, keeps the Xen entry, and the
# machine then boots Debian without Xen: the second and last reboot of this test.
vm 'VL_HELPER_TRANSCRIPT=/root/xen-undo.helper /mnt/host/install-run undo xen tester /mnt/host/helper-transcript.sh /root/xen-undo.log' 600 >"$out_dir/xen-undo.txt"
vm 'cat /root/xen-undo.helper' 120 >"$out_dir/xen-undo.helper.txt" 2>/dev/null
grep -E '^(@[0-9.]+ (step |output [PRW])|state:|error:)' "$out_dir/xen-undo.txt" | sed 's/^/# undo: /'
check "the plan's undo ran through the helper (GRUB file, update-grub)" grep -qx 'state: succeeded' "$out_dir/xen-undo.txt"
check "the earlier GRUB file is back" vm "printf '%s\n' '$old_cfg' | cmp -s - /etc/default/grub.d/virtlab-xen.cfg"
check "and its backup ~ is gone" vm '! test -e /etc/default/grub.d/virtlab-xen.cfg~'
check "the helper says it wrote virtlab-no-xen-default.cfg (the earlier file does not choose)" grep -q 'output Wrote /etc/default/grub.d/virtlab-no-xen-default.cfg: the computer starts without Xen' "$out_dir/xen-undo.txt"
check "which sets XEN_OVERRIDE_GRUB_DEFAULT=\"0\"" vm "grep -qx 'XEN_OVERRIDE_GRUB_DEFAULT=\"0\"' /etc/default/grub.d/virtlab-no-xen-default.cfg"
check "update-grub no longer says it makes Xen the default" bash -c "! grep -q 'GRUB_DEFAULT changed to boot into Xen' '$out_dir/xen-undo.txt'"
vm 'cat /boot/grub/grub.cfg' >"$out_dir/grub-undone.cfg"
check "the menu carries the earlier setting again (dom0_mem=512M)" grep -q 'multiboot.*/boot/xen.*dom0_mem=512M' "$out_dir/grub-undone.cfg"
check "and not the plan's $option" bash -c "! grep -q '$option' '$out_dir/grub-undone.cfg'"
check "the Xen entry stays in the boot menu" grep -q "^menuentry '.*with Xen hypervisor'" "$out_dir/grub-undone.cfg"
default=$(sed -n 's/^ *set default="\(.*\)"$/\1/p' "$out_dir/grub-undone.cfg" | grep -v next_entry | tail -n1)
check "GRUB's default entry is no longer Xen (set default=\"$default\")" bash -c "! grep -q 'Xen hypervisor' <<<'$default'"
t=$(reboot_vm) && ok "after the undo the machine boots ($t s)" || not_ok "after the undo the machine boots"
timing xen-reboot-after-undo "${t:-0}"
check "without Xen" test -z "$(vm 'cat /sys/hypervisor/type 2>/dev/null')"
check "the Xen packages stay installed" contains "$(vm "dpkg-query -W -f='\${Status}' xen-system-amd64")" '^install ok installed$'
finish
