#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The Xen tier: build (or take from the cache) the dom0 image, boot it under QEMU, run tests/xen/test-*.sh
# against it, stop it. The last line is the summary: "N passed, N failed".
# Usage: tests/xen/run-xen-tests.sh [test-name ...]     (needs root; VIRTLAB=path of the built app)
set -uo pipefail
# The VNC and app checks need an X display and a D-Bus session.
if [ -z "${DISPLAY:-}" ] && [ -z "${VL_XEN_UNDER_XVFB:-}" ]; then
  export VL_XEN_UNDER_XVFB=1 NO_AT_BRIDGE=1
  exec xvfb-run -a -s "-screen 0 1280x1024x24" dbus-run-session -- bash "$0" "$@"
fi
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
t_start=$(date +%s)

export XEN_STATE
XEN_STATE=$(mktemp -d /tmp/virtlab-xen.XXXXXX)
export XEN_OUT=${XEN_OUT:-$XEN_STATE/out}
stop() { bash "$here/boot-dom0.sh" --stop "$XEN_STATE"; }
trap stop EXIT
trap 'stop; exit 130' INT TERM HUP

t0=$(date +%s)
bash "$here/dom0-image.sh" >/dev/null || { echo "the dom0 image could not be built"; echo "0 passed, 1 failed"; exit 1; }
t_image=$(( $(date +%s) - t0 ))
# dom0's second disk: the app's probe program and the script that copies its inputs out.
export VIRTLAB_XEN_HOST_DIR="$XEN_STATE/host"
mkdir -p "$VIRTLAB_XEN_HOST_DIR"
cp "$here/harvest-sysroot.sh" "$VIRTLAB_XEN_HOST_DIR/"
top_build=$(cd "$here/../.." && pwd)/_build
if [ -x "$top_build/tests/xen/xen-probe" ]; then cp "$top_build/tests/xen/xen-probe" "$VIRTLAB_XEN_HOST_DIR/"; fi
t0=$(date +%s)
if ! XEN_URI=$(bash "$here/boot-dom0.sh" "$XEN_STATE" | tail -n1) || [ -z "$XEN_URI" ]; then
  echo "the dom0 did not boot"; echo "0 passed, 1 failed"; exit 1
fi
export XEN_URI
t_boot=$(( $(date +%s) - t0 ))
echo "# dom0 image: ${t_image} s, boot to URI: ${t_boot} s, $XEN_URI"

if [ $# -gt 0 ]; then tests=("$@"); else
  mapfile -t tests < <(cd "$here" && ls test-*.sh | sort)
fi
passed=0 failed=0 skipped=0
for t in "${tests[@]}"; do
  t=${t%.sh}
  echo "# ---- $t"
  t0=$(date +%s)
  # A test may ask for more than 600 s in a "# timeout: S" line of its head.
  limit=$(sed -n '1,5s/^# timeout: \([0-9][0-9]*\)$/\1/p' "$here/$t.sh")
  # Exit status 77: the test says why it does not run here (skipped, not passed).
  rc=0; timeout "${limit:-600}" bash "$here/$t.sh" || rc=$?
  if [ $rc -eq 0 ]; then passed=$((passed + 1)); elif [ $rc -eq 77 ]; then skipped=$((skipped + 1))
  else failed=$((failed + 1)); fi
  echo "# $t: $(( $(date +%s) - t0 )) s"
done
echo "# serial log and screenshots: $XEN_STATE (whole tier: $(( $(date +%s) - t_start )) s)"
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
