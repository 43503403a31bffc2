#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Benchmark of the benchmark feature (not a test): a quick-profile run of two QEMU (TCG) configurations
# through `virtlab --run-benchmarks` on the embedded driver, and in the same run:
#   - the guest image: build time cold (with --cold: a fresh cache, ~5.5 min and ~2.1 GB) and cached;
#   - per configuration: time from Run to results, time inside the tests (the runner's own timing),
#     Virtlab's overhead (boot, disks, transfer, writing) and its share of the wall time;
#   - the floor: the same guest, kernel command line and disks under plain qemu-system-x86_64
#     (no libvirt, no Virtlab), start to power-off;
#   - per test and system: the spread of its runs (coefficient of variation).
# usage: tests/bench/benchmarks.sh [--cold] [RUNS]   (needs a built _build/, root, Debian's mirror)
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
virtlab=$top/_build/src/virtlab
cold=0
[ "${1:-}" = "--cold" ] && { cold=1; shift; }
runs=${1:-3}
export VL_BENCH_DATA_DIR=$top/data/bench
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

echo "== guest image"
if [ "$cold" = 1 ]; then
  t0=$(now)
  bash "$VL_BENCH_DATA_DIR/vl-bench-image.sh" --cache "$tmp/cold-cache" >/dev/null
  t1=$(now)
  echo "image build, cold:   $(secs "$t0" "$t1") s (mmdebstrap + mke2fs -d + runner)"
  rm -rf "$tmp/cold-cache"
fi
t0=$(now)
image=$(bash "$VL_BENCH_DATA_DIR/vl-bench-image.sh" 2>/dev/null | tail -n1)
t1=$(now)
echo "image, from cache:   $(secs "$t0" "$t1") s  ($image)"
sed -n 's/^build_seconds=/image build when it was made: /p; s/^runner_seconds=/runner written in: /p' "$image/manifest" | sed 's/$/ s/'
echo "root image: $(du -m --apparent-size "$image/root.ext4" | cut -f1) MiB ($(du -m "$image/root.ext4" | cut -f1) MiB allocated)"
echo "initramfs: $(du -k --apparent-size "$image/initrd.img" | cut -f1) KiB (unpacked at every boot; kernel $(du -k --apparent-size "$image/vmlinuz" | cut -f1) KiB)"

echo "== two configurations, quick profile, $runs runs"
root=$tmp/embed
export XDG_DATA_HOME=$tmp/data
t0=$(now)
"$virtlab" --run-benchmarks --config "qemu:///embed?root=$root,qemu-tcg,TCG-A" \
  --config "qemu:///embed?root=$root,qemu-tcg,TCG-B" --runs "$runs" --output "$tmp/result.xml" \
  >"$tmp/run.out" 2>"$tmp/run.err" || { cat "$tmp/run.out" "$tmp/run.err"; exit 1; }
t1=$(now)
echo "whole run (both configurations, Run to result file): $(secs "$t0" "$t1") s"
# "Timing NAME: T s from start to results, B s booting, I s inside the tests, O s overhead, N figures"
sed -n 's/^Timing \(.*\): \([0-9.]*\) s from start to results, \([0-9.]*\) s booting, \([0-9.]*\) s inside the tests.*/\1 \2 \3 \4/p' \
  "$tmp/run.out" | while read -r name total boot tests; do
  awk -v n="$name" -v t="$total" -v b="$boot" -v i="$tests" 'BEGIN {
    printf "%s: Run to results %.1f s; inside the tests %.1f s; outside the tests %.1f s = %.1f %% of the wall time (start to runner %.1f s)\n", n, t, i, t - i, 100 * (t - i) / t, b }'
done

echo "== floor: the same guest under plain QEMU (no libvirt, no Virtlab), $runs runs"
truncate -s 512M "$tmp/scratch.img"; truncate -s 16M "$tmp/results.img"
t0=$(now)
qemu-system-x86_64 -machine q35,accel=tcg -m 1024 -smp 2 -nographic -no-reboot -nic none \
  -kernel "$image/vmlinuz" -initrd "$image/initrd.img" \
  -append "root=/dev/vda ro init=/usr/lib/virtlab/runner console=ttyS0 quiet loglevel=3 panic=1 vl.profile=quick vl.runs=$runs vl.scratch=vdb vl.results=vdc" \
  -drive "file=$image/root.ext4,if=virtio,format=raw,readonly=on" \
  -drive "file=$tmp/scratch.img,if=virtio,format=raw,cache=none,aio=native" \
  -drive "file=$tmp/results.img,if=virtio,format=raw" >"$tmp/qemu.log" 2>&1
t1=$(now)
inside=$(python3 - "$tmp/results.img" <<'EOF'
import sys
data = open(sys.argv[1], "rb").read()
head, _, rest = data.partition(b"\n")
length = int(head.split()[1]); payload = rest[:length]; total = 0.0; i = 0
while i < len(payload):
    nl = payload.index(b"\n", i); name, size = payload[i:nl].rsplit(b" ", 1); size = int(size)
    value = payload[nl + 1:nl + 1 + size]; i = nl + 1 + size + 1
    if name.startswith(b"run.") and name.endswith(b".seconds"): total += float(value)
print("%.1f" % total)
EOF
)
awk -v t="$(secs "$t0" "$t1")" -v i="$inside" 'BEGIN {
  printf "plain QEMU: start to power-off %.1f s; inside the tests %.1f s; outside %.1f s = %.1f %%\n", t, i, t - i, 100 * (t - i) / t }'

echo "== spread of the runs (coefficient of variation = standard deviation / mean)"
python3 - "$tmp/result.xml" <<'EOF'
import statistics, sys, xml.etree.ElementTree as ET
root = ET.parse(sys.argv[1]).getroot()
for result in root.findall("Result"):
    title = result.findtext("Title"); unit = result.findtext("Scale")
    for entry in result.find("Data").findall("Entry"):
        raw = [float(x) for x in (entry.findtext("RawString") or "").split(":") if x]
        if len(raw) >= 2:
            cv = 100 * statistics.stdev(raw) / statistics.mean(raw)
            print("%-32s %-8s mean %10.3f %-8s CV %5.1f %%  (%d runs)" % (title, entry.findtext("Identifier"),
                  statistics.mean(raw), unit, cv, len(raw)))
        else:
            print("%-32s %-8s %s" % (title, entry.findtext("Identifier"), entry.findtext("Value") or "failed"))
EOF
