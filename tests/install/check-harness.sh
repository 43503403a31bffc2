#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Fast check of the install tier's harness, run with every test: the scripts parse, the package lists
# come from the app's plans, and the plan runner the test machine runs needs nothing but GLib.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
fail=0
for f in "$here"/*.sh "$here"/../lib/*.sh; do
  bash -n "$f" || { echo "not ok - $f does not parse"; fail=1; }
done
for f in "$here"/../lib/*.py; do
  /usr/bin/python3 -c "import sys; compile(open(sys.argv[1]).read(), sys.argv[1], 'exec')" "$f" || { echo "not ok - $f does not compile"; fail=1; }
done
pkgs=$(bash "$here/image.sh" --print-packages) || { echo "not ok - image.sh --print-packages failed"; exit 1; }
for need in qemu-system-x86 libvirt-daemon-system xen-system-amd64 libvirt-daemon-driver-xen; do
  grep -qw -- "$need" <<<"$pkgs" || { echo "not ok - the plans' package lists lack $need"; fail=1; }
done
run_bin=${VL_TOP_BUILDDIR:-$here/../../_build}/tests/install/install-run
if [ -x "$run_bin" ]; then
  extra=$(ldd "$run_bin" | awk '{print $1}' | grep -vE '^(linux-vdso|/lib64/ld-linux|lib(c|m|glib-2\.0|gio-2\.0|gobject-2\.0|gmodule-2\.0|pcre2-8|z|mount|selinux|ffi|blkid)\.so)' || true)
  [ -z "$extra" ] || { echo "not ok - install-run needs more than GLib: $extra"; fail=1; }
else
  echo "not ok - no $run_bin"; fail=1
fi
[ "$fail" -eq 0 ] && echo "ok - install harness: scripts, the plans' packages, install-run links GLib only"
exit "$fail"
