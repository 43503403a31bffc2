#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Slow test: debootstrap a minimal Debian 12, run the Debian KVM plan's package steps in it through
# the real helper (--root: chroot), then the probe on that system reports the packages installed.
# Runs when VIRTLAB_SLOW=1 (otherwise it is skipped, saying so); needs root and Debian's mirror.
set -uo pipefail
fail=0
source "$(dirname "$(readlink -f "$0")")/../tap.sh"
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

helper="$VL_TOP_BUILDDIR/src/host/virtlab-host-helper"
[ "${VIRTLAB_SLOW:-0}" = 1 ] || skip_all "slow (about 5 minutes, Debian's mirror): run with VIRTLAB_SLOW=1"
[ "$(id -u)" -eq 0 ] || { tap_echo "not ok - this test needs root (debootstrap and chroot)"; exit 1; }

# The mirror this machine already uses, from deb822 sources or the one-line format.
mirror=$(sed -n 's/^URIs: *\([^ ]*\).*/\1/p' /etc/apt/sources.list.d/*.sources 2>/dev/null | grep -v security | head -1)
[ -n "$mirror" ] || mirror=$(awk '$1 == "deb" && $3 == "bookworm" { print $2; exit }' /etc/apt/sources.list 2>/dev/null)
mirror=${mirror:-http://deb.debian.org/debian}

root=$(mktemp -d /var/tmp/virtlab-slow-XXXXXX)
cleanup() {
  umount "$root/proc" 2>/dev/null
  rm -rf --one-file-system "$root"
}
on_exit cleanup

t0=$(now)
debootstrap --variant=minbase bookworm "$root" "$mirror" >"$root.debootstrap.log" 2>&1; rc=$?
t1=$(now)
check "debootstrap of a minimal Debian 12 from $mirror ($(secs "$t0" "$t1") s)" '[ $rc -eq 0 ]'
[ $rc -eq 0 ] || { tail -20 "$root.debootstrap.log" | sed "s/^/# /"; rm -f "$root.debootstrap.log"; exit 1; }
rm -f "$root.debootstrap.log"

# A chroot must not start daemons on this machine: the Debian way to say so is policy-rc.d.
printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
chmod +x "$root/usr/sbin/policy-rc.d"
mount -t proc proc "$root/proc"

plan=$("$VIRTLAB" --print-install-plan kvm --distribution debian --host-root "$root" 2>&1)
packages=$(sed -n 's/^packages: //p' <<<"$plan")
check "the plan for the fresh system installs the KVM packages ($packages)" \
  '[[ "$packages" == *qemu-system-x86* && "$packages" == *libvirt-daemon-system* ]]'

# The package steps of the plan, exactly as the page sends them: one request, then its answer.
t2=$(now)
coproc HELPER { "$helper" --root "$root" 2>&1; }
out=""
send() {
  local line
  printf '%s\n' "$1" >&"${HELPER[1]}"
  while IFS= read -r line <&"${HELPER[0]}"; do
    out+="$line"$'\n'
    case "$line" in step-done|step-failed*|refused*|cancelled) break ;; esac
  done
}
send "refresh-packages"
send "$(printf 'install-packages\t%s' "${packages// /$'\t'}")"
exec {HELPER[1]}>&-
wait "$HELPER_PID"; rc=$?
t3=$(now)
check "the helper ran both steps ($(secs "$t2" "$t3") s)" \
  '[ $rc -eq 0 ] && [ "$(grep -c "^step-done" <<<"$out")" -eq 2 ]'
check "apt reported its progress on the status fd" 'grep -q "^progress " <<<"$out"'
grep -E '^(step-failed|refused)' <<<"$out"
grep -E '^output (E:|dpkg: error)' <<<"$out" | head -20

after=$("$VIRTLAB" --print-install-plan kvm --distribution debian --host-root "$root" 2>&1)
check "the probe of that system finds the packages installed: no package step remains" \
  '! grep -q "^kind: install-packages" <<<"$after" && ! grep -q "^kind: refresh-packages" <<<"$after"'
check "the plan still loads the module, starts libvirt and defines the pool" \
  'grep -q "^kind: enable-service" <<<"$after" && grep -q "^kind: define-storage-pool" <<<"$after"'

echo "# timing: debootstrap $(secs "$t0" "$t1") s, package steps $(secs "$t2" "$t3") s, total $(secs "$t0" "$(now)") s"
exit "$fail"
