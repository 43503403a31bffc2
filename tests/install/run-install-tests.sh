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
# The CI budget: INSTALL_BUDGET_S, the seconds this tier may still take (unset: no limit; build-aux/
# test.sh sets it from the 30 minutes of a CI run). A test whose expected time does not fit what is
# left is skipped, with the reason. Expected seconds on this 2-core machine (cached = its package
# steps' disk kept, cold = they run first), overridable by INSTALL_EXPECT_<COLD|CACHED>_<KVM|XEN>:
# Xen cold 1357 s (session 5, load 2-9) and 1631 s (session 6, two reboots, load 3-7), cached 436 s
# (session 6, two reboots, load 0.5-1.5); KVM cold 1065 s (load 3-9) and 710 s (load ~1), cached 209 s
# (session 6, load ~1). The cached figures below keep a margin for a loaded machine.
expect() {  # expect cold|cached kvm|xen
  local v="INSTALL_EXPECT_${1^^}_${2^^}"
  if [ -n "${!v:-}" ]; then echo "${!v}"; return; fi
  case "$1-$2" in
    cached-kvm) echo 350 ;;  cached-xen) echo 650 ;;
    cold-kvm) echo 1300 ;;   cold-xen) echo 1800 ;;
    *) echo 3600 ;;
  esac
}
package_cached() {  # package_cached TARGET: the disk after its package steps is kept for these inputs
  ( export VM_STATE=$base/.keys; source "$here/lib.sh" >/dev/null 2>&1
    k=$(package_key "$1" 2>/dev/null) && [ -f "$package_cache/$1-$k/disk.qcow2" ] )
}
passed=0 failed=0 skipped=0
for t in "${tests[@]}"; do
  t=${t%.sh}
  echo "# ---- $t"
  if [ -n "${INSTALL_BUDGET_S:-}" ]; then
    target=${t#test-}; target=${target%-plan}
    path=cold; package_cached "$target" && path=cached
    need=$(expect "$path" "$target")
    left=$(( INSTALL_BUDGET_S - ($(date +%s) - t_start) ))
    if [ "$need" -gt "$left" ]; then
      echo "# SKIP $t: its package steps are $path here and it takes about $need s; $left s are left of the CI budget"
      echo "$t ($path, about $need s, $left s left)" >>"$base/skipped"
      skipped=$((skipped + 1))
      continue
    fi
    echo "# $t: package steps $path, about $need s expected, $left s left of the budget"
  fi
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
elif [ $((passed + failed)) -gt 0 ]; then
  echo "# the package steps came from the cache"
fi
if [ "$skipped" -gt 0 ]; then
  echo "# skipped for the CI budget: $(tr '\n' ' ' <"$base/skipped")"
  echo "$passed passed, $failed failed, $skipped skipped"
else
  echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ]
