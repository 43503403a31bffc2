#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# How long checking this computer takes: Virtlab's probe + plan (virtlab --print-install-plan,
# which also pays for the process start) against libvirt's own checker, virt-host-validate,
# measured in the same run. Prints figures, not verdicts.
# Usage: tests/bench/host-check.sh [BUILDDIR] [RUNS]
set -uo pipefail
build=${1:-_build}
runs=${2:-20}
virtlab="$build/src/virtlab"
export GSETTINGS_SCHEMA_DIR="$build/data" GSETTINGS_BACKEND=memory

median_ms() {
  local -a times=()
  for ((i = 0; i < runs; i++)); do
    local t0 t1
    t0=$(date +%s%N)
    "$@" >/dev/null 2>&1
    t1=$(date +%s%N)
    times+=($(( (t1 - t0) / 1000 )))
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{ a[NR] = $1 } END { m = a[int((NR + 1) / 2)]; printf "%.1f ms (min %.1f ms, max %.1f ms)", m / 1000, a[1] / 1000, a[NR] / 1000 }'
}

peak_rss_kib() {
  if [ -x /usr/bin/time ]; then /usr/bin/time -f '%M' "$@" 2>&1 >/dev/null | tail -1; else echo "?"; fi
}

echo "runs: $runs"
echo "virtlab --print-install-plan kvm:     $(median_ms "$virtlab" --print-install-plan kvm), peak RSS $(peak_rss_kib "$virtlab" --print-install-plan kvm) KiB"
echo "virtlab --print-install-plan xen:     $(median_ms "$virtlab" --print-install-plan xen)"
if command -v virt-host-validate >/dev/null; then
  echo "peer: virt-host-validate qemu:        $(median_ms virt-host-validate qemu), peak RSS $(peak_rss_kib virt-host-validate qemu) KiB"
else
  echo "peer: virt-host-validate is not installed (package libvirt-clients)"
fi
echo "floor: /bin/true:                     $(median_ms /bin/true)"
