#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Guest-list benchmark (not a test): 1000 guests in a libvirt test-driver file. For Virtlab's Guests
# page and virt-manager, in the same run: time from exec until the window is mapped and until the app
# is idle with every row listed (CPU time flat for 1 s), CPU used, RSS; and `virsh list --all`.
# usage: tests/bench/guests.sh [RUNS] [GUESTS]   (needs a built _build/)
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
bench="$top/tests/bench"
runs=${1:-3}
guests=${2:-1000}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

command -v virt-manager >/dev/null || apt-get install -y -q --no-install-recommends virt-manager >/dev/null
python3 "$bench/make-testdriver.py" "$guests" "$tmp/nodes.xml"
uri="test://$tmp/nodes.xml"
export GSETTINGS_SCHEMA_DIR="$top/_build/data" GSETTINGS_BACKEND=memory

# best of RUNS by time-to-idle; the other figures are those of that run
best_settle() {
  local name=$1; shift
  local bm=0 bs=999999 bc=0 br=0
  for _ in $(seq 1 "$runs"); do
    read -r mapped settled cpu rss < <("$bench/peer-settle.sh" "$name" "$@")
    if [ "${settled:-0}" -gt 0 ] && [ "$settled" -lt "$bs" ]; then bm=$mapped; bs=$settled; bc=$cpu; br=$rss; fi
  done
  echo "$bm $bs $bc $br"
}
best_virsh() {
  local best=999999
  for _ in $(seq 1 "$runs"); do
    local t0 t1 ms n
    t0=$(date +%s%N)
    n=$(virsh -q -c "$uri" list --all | grep -c guest-)
    t1=$(date +%s%N)
    ms=$(( (t1 - t0) / 1000000 ))
    [ "$n" -eq "$guests" ] || { echo "virsh listed $n of $guests guests" >&2; exit 1; }
    [ "$ms" -lt "$best" ] && best=$ms
  done
  echo "$best"
}

read -r v_map v_idle v_cpu v_rss < <(best_settle Virtlab "$top/_build/src/virtlab" --connect "$uri" --page guests)
read -r m_map m_idle m_cpu m_rss < <(best_settle "Virtual Machine Manager" virt-manager --no-fork --connect "$uri")
s_ms=$(best_virsh)

echo "$guests guests (test driver), best of $runs runs"
printf '%-26s %10s %10s %10s %8s\n' program mapped idle CPU RSS
printf '%-26s %7d ms %7d ms %7d ms %5d MB\n' "Virtlab (Guests page)" "$v_map" "$v_idle" "$v_cpu" $((v_rss / 1024))
printf '%-26s %7d ms %7d ms %7d ms %5d MB\n' "virt-manager" "$m_map" "$m_idle" "$m_cpu" $((m_rss / 1024))
printf '%-26s %10s %7d ms\n' "virsh list --all" "-" "$s_ms"
awk -v vi="$v_idle" -v mi="$m_idle" -v s="$s_ms" -v vr="$v_rss" 'BEGIN {
  printf "virt-manager idle / Virtlab idle: %.1fx  (target >= 10x)\n", mi / vi
  printf "Virtlab idle / virsh:             %.1fx  (target <= 2x)\n", vi / s
  printf "Virtlab RSS:                      %d MB (target <= 120 MB)\n", vr / 1024
}'
