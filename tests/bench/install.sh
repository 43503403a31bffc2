#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Benchmark of the install tier (not a test): the test machine's image build (cold and cached), its
# boot from GRUB, each step of the app's KVM and Xen plans inside it (the runner's own step times),
# the restart into Xen and the time until libvirt answers on xen:///system. Figures with units; the
# peer measured in the same run is the machine's plain boot (the floor any restart costs).
# Usage: tests/bench/install.sh [--no-cold]   (--no-cold skips the cold image build, ~4 min)
# Needs root, like tests/install/.
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
inst="$top/tests/install"
now() { date +%s.%N; }
since() { awk -v a="$(now)" -v b="$1" 'BEGIN { printf "%.1f", a - b }'; }
cold=1; [ "${1:-}" = "--no-cold" ] && cold=0

echo "== install tier benchmark, $(date -u +%FT%TZ), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
if [ "$cold" = 1 ]; then
  tmp_cache=$(mktemp -d /tmp/virtlab-install-cache.XXXXXX)
  t0=$(now); XDG_CACHE_HOME=$tmp_cache bash "$inst/image.sh" >/dev/null 2>&1
  echo "image build, cold (empty cache, .debs from the mirror, GRUB boot): $(since "$t0") s"
  t0=$(now); XDG_CACHE_HOME=$tmp_cache bash "$inst/image.sh" >/dev/null 2>&1
  echo "image build, cached (same inputs):                                  $(since "$t0") s"
  rm -rf "$tmp_cache"
fi
out=$(mktemp -d /tmp/virtlab-install-bench.XXXXXX)
XEN_TESTS=${INSTALL_BENCH_TESTS:-test-kvm-plan test-xen-plan}
INSTALL_FAULTS=0 bash "$inst/run-install-tests.sh" $XEN_TESTS >"$out/tier.txt" 2>&1
base=$(sed -n 's/^# console logs and outputs: \([^ ]*\) .*/\1/p' "$out/tier.txt")
tail -n1 "$out/tier.txt"
[ -f "$base/timings" ] || { echo "no timings: see $out/tier.txt"; exit 1; }
awk '{
  unit = ($1 == "image") ? "image (cached, in the tier)" : $1
  printf "%-40s %8.1f s\n", unit, $2
}' "$base/timings"
echo "# per-step lines: kvm-KIND / xen-KIND are the runner's step times inside the machine (TCG, 2 vCPUs);"
echo "# boot-grub is the plain boot (QEMU start to systemd up), the floor of xen-reboot-to-shell."
