#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Fast check of the Xen tier's harness, run with every test: the scripts parse, the test domains are
# valid libvirt XML, and the dom0 package list (always the app's Xen plan) has what a dom0 needs.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/../tap.sh"
for f in "$here"/*.sh; do
  bash -n "$f" || { tap_echo "not ok - $f does not parse"; fail=1; }
done
for f in "$here"/*.py; do
  /usr/bin/python3 -c "import sys; compile(open(sys.argv[1]).read(), sys.argv[1], 'exec')" "$f" || { tap_echo "not ok - $f does not compile"; fail=1; }
done
for f in "$here"/domains/*.xml; do
  virt-xml-validate "$f" domain >/dev/null 2>&1 || { tap_echo "not ok - $f is not a valid domain"; fail=1; }
done
check "scripts parse, domains are valid" '[ $fail -eq 0 ]'
pkgs=$(bash "$here/dom0-image.sh" --print-packages) || { tap_echo "not ok - dom0-image.sh --print-packages failed"; exit 1; }
echo "# $(head -n1 <<<"$pkgs")"
# One list, the app's plan: there is no other to fall back to.
check "the dom0 package list is the app's Xen plan" 'head -n1 <<<"$pkgs" | grep -q -- "virtlab --print-install-plan xen"'
# xenstore-utils comes with the Xen tools; dom0-image.sh checks the built root for every program it needs.
for need in libvirt-daemon-driver-xen libvirt-clients qemu-system-xen qemu-utils kmod iproute2 busybox; do
  check "the dom0 package list has $need" 'grep -qx "$need" <<<"$pkgs"'
done
check "the dom0 package list has the Xen 4.17 tools" "grep -qE '^xen-(utils-4\\.17|system-amd64)\$' <<<\"\$pkgs\""
exit "$fail"
