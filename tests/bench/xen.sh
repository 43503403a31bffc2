#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Benchmark of the Xen tier (not a test): dom0 image build (cold and cached), boot to URI, PV guest
# create+start (the app's creator when it exists, against virsh define + start of the same XML) and
# HVM start to the first VNC frame. Prints figures with units. Needs root, like tests/xen/.
# Usage: tests/bench/xen.sh [--no-cold]   (--no-cold skips the cold image build, ~1 min)
set -uo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
xen="$top/tests/xen"
now() { date +%s.%N; }
since() { awk -v a="$(now)" -v b="$1" 'BEGIN { printf "%.1f", a - b }'; }
cold=1; [ "${1:-}" = "--no-cold" ] && cold=0

if [ -z "${DISPLAY:-}" ] && [ -z "${VL_BENCH_UNDER_XVFB:-}" ]; then
  export VL_BENCH_UNDER_XVFB=1 NO_AT_BRIDGE=1
  exec xvfb-run -a -s "-screen 0 1280x1024x24" dbus-run-session -- bash "$0" "$@"
fi

echo "== Xen tier benchmark, $(date -u +%FT%TZ), $(nproc) cores"
if [ "$cold" = 1 ]; then
  tmp_cache=$(mktemp -d /tmp/virtlab-xen-cache.XXXXXX)
  t0=$(now); XDG_CACHE_HOME=$tmp_cache bash "$xen/dom0-image.sh" >/dev/null 2>&1
  echo "image build, cold (empty cache):   $(since "$t0") s"
  t0=$(now); XDG_CACHE_HOME=$tmp_cache bash "$xen/dom0-image.sh" >/dev/null 2>&1
  echo "image build, cached (same inputs): $(since "$t0") s"
  rm -rf "$tmp_cache"
fi
bash "$xen/dom0-image.sh" >/dev/null 2>&1 || { echo "no dom0 image"; exit 1; }

export XEN_STATE
XEN_STATE=$(mktemp -d /tmp/virtlab-xen-bench.XXXXXX)
trap 'bash "$xen/boot-dom0.sh" --stop "$XEN_STATE"' EXIT
t0=$(now)
XEN_URI=$(bash "$xen/boot-dom0.sh" "$XEN_STATE" 2>/dev/null | tail -n1)
[ -n "$XEN_URI" ] || { echo "dom0 did not boot"; exit 1; }
echo "boot to URI (QEMU start until virsh nodeinfo answers): $(since "$t0") s"
export XEN_URI
source "$xen/lib.sh"

# PV create+start: the app's creator (when built), then virsh define + start of the XML the app wrote
# (of tests/xen/domains/pv-guest.xml without the app), alternating, on the same dom0.
pv_xml="$xen/domains/pv-guest.xml"
app_bench="$top/_build/tests/xen/xen-create-bench"
runs=3
app_times=() virsh_times=()
for i in $(seq $runs); do
  if [ -x "$app_bench" ]; then
    drop_domain vl-xen-pv
    if t=$("$app_bench" "$XEN_URI" "$XEN_STATE/app-pv.xml"); then
      app_times+=("$t"); pv_xml="$XEN_STATE/app-pv.xml"
    else
      echo "the app's creator failed: $t"
    fi
  fi
  drop_domain vl-xen-pv
  t0=$(now)
  xvirsh define "$pv_xml" >/dev/null && xvirsh start vl-xen-pv >/dev/null
  virsh_times+=("$(since "$t0")")
  drop_domain vl-xen-pv
done
echo "PV define+start, virsh ($runs runs, XML: $(basename "$pv_xml")): ${virsh_times[*]} s"
if [ ${#app_times[@]} -gt 0 ]; then
  echo "PV create+start, the app's creator (${#app_times[@]} runs): ${app_times[*]} s"
  awk -v a="${app_times[*]}" -v v="${virsh_times[*]}" 'BEGIN {
    n = split(a, x, " "); m = split(v, y, " "); for (i = 1; i <= n; i++) sa += x[i]; for (i = 1; i <= m; i++) sv += y[i]
    printf "PV create+start, app / virsh (means): %.2fx (target <= 1.1x)\n", (sa / n) / (sv / m) }'
else
  echo "PV create+start through the app: not measured (no $app_bench in this build)"
fi

drop_domain vl-xen-hvm
xvirsh define "$xen/domains/hvm-cd-guest.xml" >/dev/null
t0=$(now)
xvirsh start vl-xen-hvm >/dev/null
t_started=$(since "$t0")
vnc_port=$(xvirsh dumpxml vl-xen-hvm | sed -n "s/.*<graphics type='vnc' port='\([0-9]*\)'.*/\1/p")
host_port=$(host_port_for "$vnc_port")
first=""
for _ in $(seq 600); do
  if timeout 10 gvnccapture -q "127.0.0.1:$((host_port - 5900))" "$XEN_STATE/hvm-first.png" >/dev/null 2>&1; then
    first=$(since "$t0"); break
  fi
  sleep 0.1
done
prompt=""
for _ in $(seq 120); do
  if vnc_text "$host_port" "$XEN_STATE/hvm-prompt.png" | grep -q 'boot:'; then prompt=$(since "$t0"); break; fi
  sleep 0.5
done
drop_domain vl-xen-hvm
echo "HVM (tiny ISO): virsh start returned after ${t_started} s, first VNC frame at ${first:-never} s, ISOLINUX prompt at ${prompt:-never} s"
