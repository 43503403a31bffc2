#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Fast check of the Xen tier's harness, run with every test: the scripts parse, the test domains are
# valid libvirt XML, and the dom0 package list (the app's Xen plan, or the fallback) has what a dom0 needs.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
fail=0
for f in "$here"/*.sh; do
  bash -n "$f" || { echo "not ok - $f does not parse"; fail=1; }
done
for f in "$here"/*.py; do
  /usr/bin/python3 -c "import sys; compile(open(sys.argv[1]).read(), sys.argv[1], 'exec')" "$f" || { echo "not ok - $f does not compile"; fail=1; }
done
for f in "$here"/domains/*.xml; do
  virt-xml-validate "$f" domain >/dev/null 2>&1 || { echo "not ok - $f is not a valid domain"; fail=1; }
done
pkgs=$(bash "$here/dom0-image.sh" --print-packages) || { echo "not ok - dom0-image.sh --print-packages failed"; exit 1; }
echo "$pkgs" | head -n1
# The app has the option: its plan must be the list, or the image would not prove it.
if [ -x "${VIRTLAB:-}" ] && "$VIRTLAB" --help-all 2>&1 | grep -q -- '--print-install-plan' &&
   head -n1 <<<"$pkgs" | grep -q fallback; then
  echo "not ok - the app has --print-install-plan but dom0-image.sh fell back to its own list"; fail=1
fi
# xenstore-utils comes with the Xen tools; dom0-image.sh checks the built root for every program it needs.
for need in libvirt-daemon-driver-xen libvirt-clients qemu-system-xen kmod iproute2 busybox; do
  grep -qx "$need" <<<"$pkgs" || { echo "not ok - the dom0 package list lacks $need"; fail=1; }
done
grep -qE '^xen-(utils-4\.17|system-amd64)$' <<<"$pkgs" || { echo "not ok - the dom0 package list has no Xen 4.17 tools"; fail=1; }
[ "$fail" -eq 0 ] && echo "ok - Xen harness: scripts, domains and package list"
exit "$fail"
