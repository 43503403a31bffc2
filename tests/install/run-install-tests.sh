#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The install tier: build (or take from the cache) the test machine, then run tests/install/test-*.sh,
# each on a fresh copy-on-write overlay of it, stopping the machine after each.
# The last line is the summary: "N passed, N failed".
# Usage: tests/install/run-install-tests.sh [test-name ...]   (needs root; VIRTLAB=path of the built app)
set -uo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/../.." && pwd)
build=${VL_TOP_BUILDDIR:-$top/_build}
t_start=$(date +%s)
base=$(mktemp -d /tmp/virtlab-install.XXXXXX)
export INSTALL_TIMINGS=$base/timings INSTALL_COLD=$base/cold
: >"$INSTALL_TIMINGS"; : >"$INSTALL_COLD"
current=""
stop() { [ -n "$current" ] && bash "$here/boot-vm.sh" --stop "$current"; }
trap stop EXIT
trap 'stop; exit 130' INT TERM HUP

t0=$(date +%s)
bash "$here/image.sh" >/dev/null || { echo "the test machine image could not be built"; echo "0 passed, 1 failed"; exit 1; }
echo "image $(( $(date +%s) - t0 ))" >>"$INSTALL_TIMINGS"
for p in "$build/tests/install/install-run" "$build/src/host/virtlab-host-helper"; do
  [ -x "$p" ] || { echo "no $p: build first (ninja -C _build)"; echo "0 passed, 1 failed"; exit 1; }
done

if [ $# -gt 0 ]; then tests=("$@"); else
  mapfile -t tests < <(cd "$here" && ls test-*.sh | sort)
fi
passed=0 failed=0
for t in "${tests[@]}"; do
  t=${t%.sh}
  echo "# ---- $t"
  export VM_STATE=$base/$t
  current=$VM_STATE
  mkdir -p "$VM_STATE/host"
  # The machine's third disk: the helper and the plan runner, as built here.
  cp "$build/tests/install/install-run" "$build/src/host/virtlab-host-helper" "$here/helper-transcript.sh" \
    "$here/snapshot-root.sh" "$VM_STATE/host/"
  t0=$(date +%s)
  # Under emulation on a loaded 2-core machine the Xen plan's package step alone took 36 min.
  if timeout "${INSTALL_TEST_TIMEOUT:-5400}" bash "$here/$t.sh"; then
    passed=$((passed + 1)); good=1
  else
    failed=$((failed + 1)); good=0
  fi
  echo "# $t: $(( $(date +%s) - t0 )) s"
  bash "$here/boot-vm.sh" --stop "$VM_STATE"
  current=""
  # The overlays are large after a plan: keep the logs, and the disk only when the test failed.
  rm -f "$VM_STATE/host.ext4"
  [ "$good" = 1 ] && rm -f "$VM_STATE/disk.qcow2"
done
echo "# console logs and outputs: $base (whole tier: $(( $(date +%s) - t_start )) s)"
# The package steps are cached (tests/install/lib.sh, boot_with_packages); say when they were not.
if [ -s "$INSTALL_COLD" ]; then
  echo "# the package steps ran cold for: $(tr '\n' ' ' <"$INSTALL_COLD")(their inputs changed or no cache yet):"
  echo "# this run of the tier exceeds the CI budget; the next one boots the kept disks"
else
  echo "# the package steps came from the cache (tier within the CI budget)"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
