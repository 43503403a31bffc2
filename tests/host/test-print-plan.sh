#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# virtlab --print-install-plan: the plan as text for scripts, and clear messages for bad input.
set -uo pipefail
fail=0
source "$(dirname "$(readlink -f "$0")")/../tap.sh"
roots="$VL_TOP_SRCDIR/tests/fixtures/sysroots"

out=$("$VIRTLAB" --print-install-plan xen --distribution debian --all-steps --host-root "$roots/amd-svm-kvm-not-loaded" 2>&1); rc=$?
check "the Debian Xen plan prints" '[ $rc -eq 0 ] && [[ "$out" == *"target: xen"* ]]'
pkgs=$(sed -n 's/^packages: //p' <<<"$out")
check "its package line lists every Xen package ($pkgs)" \
  '[ "$pkgs" = "xen-system-amd64 qemu-system-xen qemu-utils libvirt-daemon-driver-xen libvirt-daemon-system libvirt-clients" ]'
check "it ends with the reboot" '[[ "$(grep "^kind:" <<<"$out" | tail -1)" == "kind: reboot" ]]'

out=$("$VIRTLAB" --print-install-plan kvm --host-root "$roots/intel-vtx-kvm-loaded" 2>&1); rc=$?
check "a finished KVM host needs no step" '[ $rc -eq 0 ] && [[ "$out" == *"steps: 0"* ]]'

out=$("$VIRTLAB" --print-install-plan kvm --host-root "$roots/amd-svm-kvm-not-loaded" 2>&1); rc=$?
check "an AMD host loads kvm_amd" '[ $rc -eq 0 ] && grep -qx "command: modprobe kvm_amd" <<<"$out"'

out=$("$VIRTLAB" --print-install-plan kvm --distribution fedora --host-root "$roots/no-flags" 2>&1); rc=$?
check "a Fedora plan uses dnf" '[ $rc -eq 0 ] && grep -q "^command: dnf install --assumeyes qemu-kvm" <<<"$out"'

out=$("$VIRTLAB" --print-install-plan vmware 2>&1); rc=$?
check "an unknown hypervisor fails with status 2 and is named" '[ $rc -eq 2 ] && [[ "$out" == *"vmware"* ]]'

out=$("$VIRTLAB" --print-install-plan kvm --distribution gentoo 2>&1); rc=$?
check "an unknown distribution fails with status 2 and is named" '[ $rc -eq 2 ] && [[ "$out" == *"gentoo"* ]]'

out=$("$VIRTLAB" --print-install-plan kvm --host-root /nonexistent/root 2>&1); rc=$?
check "a missing root fails and is named" '[ $rc -eq 1 ] && [[ "$out" == *"/nonexistent/root"* ]]'

# A container (process 1 is not an init system): KVM starts the daemon now and says so; Xen is
# refused with the reason.
box=$(mktemp -d)
mkdir -p "$box/proc/1" "$box/etc"
echo process_api > "$box/proc/1/comm"
cp "$roots/amd-svm-kvm-not-loaded/etc/os-release" "$box/etc/"
out=$("$VIRTLAB" --print-install-plan kvm --host-root "$box" 2>&1); rc=$?
check "without an init system the daemon is only started" \
  '[ $rc -eq 0 ] && grep -qx "command: service libvirtd start" <<<"$out" && ! grep -q "update-rc.d\|systemctl" <<<"$out"'
check "and the plan says nothing starts it at boot" '[[ "$out" == *"nothing can start the daemon at boot"* ]]'
out=$("$VIRTLAB" --print-install-plan xen --host-root "$box" 2>&1); rc=$?
check "Xen without an init system is refused and says why" \
  '[ $rc -eq 1 ] && [[ "$out" == *"cannot become a Xen dom0"* ]] && [[ "$out" == *"process_api"* ]]'
rm -rf "$box"

exit "$fail"
