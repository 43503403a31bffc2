#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Guest-list benchmark (not a test): 1000 guests in a libvirt test-driver file. For Virtlab's Guests
# page and virt-manager, in the same run: time from exec until the window is mapped and until the app
# is idle with every row listed (CPU time flat for 1 s), CPU used, RSS; and `virsh list --all`.
# Each run starts Virtlab and then virt-manager, so every ratio compares two programs measured under
# the same load; the target (>= 10x) must hold in every run, so the worst run's ratio is the figure.
# usage: tests/bench/guests.sh [RUNS] [GUESTS]   (needs a built _build/)
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
bench="$top/tests/bench"
runs=${1:-5}
guests=${2:-1000}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

command -v virt-manager >/dev/null || apt-get install -y -q --no-install-recommends virt-manager >/dev/null
python3 "$bench/make-testdriver.py" "$guests" "$tmp/nodes.xml"
uri="test://$tmp/nodes.xml"
export GSETTINGS_SCHEMA_DIR="$top/_build/data" GSETTINGS_BACKEND=memory

virsh_ms() {
  local t0 t1 n
  t0=$(date +%s%N)
  n=$(virsh -q -c "$uri" list --all | grep -c guest-)
  t1=$(date +%s%N)
  [ "$n" -eq "$guests" ] || { echo "virsh listed $n of $guests guests" >&2; exit 1; }
  echo $(( (t1 - t0) / 1000000 ))
}

echo "$guests guests (test driver), $runs runs; each run measures Virtlab, virt-manager and virsh in turn; load average $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-4s %-24s %10s %10s %10s %8s\n' run program mapped idle CPU RSS
worst=999999; best=0; worst_run=0; sum=0; v_best=999999; s_best=999999
for run in $(seq 1 "$runs"); do
  read -r v_map v_idle v_cpu v_rss < <("$bench/peer-settle.sh" Virtlab "$top/_build/src/virtlab" --connect "$uri" --page guests)
  read -r m_map m_idle m_cpu m_rss < <("$bench/peer-settle.sh" "Virtual Machine Manager" virt-manager --no-fork --connect "$uri")
  s_ms=$(virsh_ms)
  printf '%-4s %-24s %7d ms %7d ms %7d ms %5d MB\n' "$run" "Virtlab (Guests page)" "$v_map" "$v_idle" "$v_cpu" $((v_rss / 1024))
  printf '%-4s %-24s %7d ms %7d ms %7d ms %5d MB\n' "" "virt-manager" "$m_map" "$m_idle" "$m_cpu" $((m_rss / 1024))
  printf '%-4s %-24s %10s %7d ms\n' "" "virsh list --all" "-" "$s_ms"
  ratio=$(awk -v m="$m_idle" -v v="$v_idle" 'BEGIN { printf "%d", (v > 0 ? m * 100 / v : 0) }')
  printf '%-4s virt-manager idle / Virtlab idle: %d.%02dx\n' "" $((ratio / 100)) $((ratio % 100))
  [ "$ratio" -lt "$worst" ] && { worst=$ratio; worst_run=$run; }
  [ "$ratio" -gt "$best" ] && best=$ratio
  [ "$v_idle" -lt "$v_best" ] && { v_best=$v_idle; v_rss_best=$v_rss; }
  [ "$s_ms" -lt "$s_best" ] && s_best=$s_ms
  sum=$((sum + ratio))
done
printf 'virt-manager idle / Virtlab idle: worst %d.%02dx (run %d), best %d.%02dx, mean %d.%02dx  (target >= 10x in every run)\n' \
  $((worst / 100)) $((worst % 100)) "$worst_run" $((best / 100)) $((best % 100)) $((sum / runs / 100)) $((sum / runs % 100))
awk -v vi="$v_best" -v s="$s_best" -v vr="$v_rss_best" 'BEGIN {
  printf "Virtlab idle / virsh (best runs):  %.1fx  (target <= 2x)\n", vi / s
  printf "Virtlab RSS:                       %d MB (target <= 120 MB)\n", vr / 1024
}'
