#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Start-up benchmark (not a test): time from exec to the mapped main window, and RSS 1.5 s later,
# best of N runs, for Virtlab, the bare GTK 3 window (floor.c) and virt-manager, in the same run.
# floor.c as it is loads GDK's GL (Mesa), which Virtlab switches off; two more rows show the floor
# with GL off, alone and linked against Virtlab's libraries, so the cost of loading those libraries
# and of Virtlab's own work before the map are printed apart.
# usage: tests/bench/startup.sh [RUNS]   (needs a built _build/)
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
bench="$top/tests/bench"
runs=${1:-5}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

command -v virt-manager >/dev/null || apt-get install -y -q --no-install-recommends virt-manager >/dev/null
gcc -O2 -o "$tmp/floor" "$bench/floor.c" $(pkg-config --cflags --libs gtk+-3.0)
# The same window linked (not calling them) against every library Virtlab links: what loading them
# costs alone. Virtlab switches GDK's GL off (GDK_GL=disable); these two rows do the same.
gcc -O2 -o "$tmp/floor-libs" "$bench/floor.c" -Wl,--no-as-needed \
  $(pkg-config --cflags --libs gtk+-3.0 gtk-vnc-2.0 libvirt-gobject-1.0 libvirt-gconfig-1.0 libvirt \
    libosinfo-1.0 libsoup-3.0 libxml-2.0 pangocairo) -lm

export GSETTINGS_SCHEMA_DIR="$top/_build/data" GSETTINGS_BACKEND=memory
# best of RUNS: the smallest time, and the RSS of that run; the smallest CPU time at the map
best() {
  local name=$1; shift
  local bms=999999 brss=0 bcpu=999999
  for _ in $(seq 1 "$runs"); do
    read -r ms rss cpu < <("$bench/peer-startup.sh" "$name" "$@")
    if [ "${ms:-0}" -gt 0 ] && [ "$ms" -lt "$bms" ]; then bms=$ms; brss=$rss; fi
    cpu=${cpu%.*}
    if [ "${cpu:-0}" -gt 0 ] && [ "$cpu" -lt "$bcpu" ]; then bcpu=$cpu; fi
  done
  echo "$bms $brss $bcpu"
}
read -r v_ms v_rss v_cpu < <(best Virtlab "$top/_build/src/virtlab" --page host)
read -r f_ms f_rss f_cpu < <(best floor "$tmp/floor")
read -r m_ms m_rss m_cpu < <(best "Virtual Machine Manager" virt-manager --no-fork --connect test:///default)
read -r n_ms n_rss n_cpu < <(best floor env GDK_GL=disable "$tmp/floor")
read -r l_ms l_rss l_cpu < <(best floor env GDK_GL=disable "$tmp/floor-libs")

echo "best of $runs runs each; load average $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-28s %8s %10s %14s\n' program mapped RSS "CPU at map"
printf '%-28s %6d ms %7d MB %11d ms\n' "Virtlab (host page)" "$v_ms" $((v_rss / 1024)) "$v_cpu"
printf '%-28s %6d ms %7d MB %11d ms\n' "floor.c (bare GTK 3 window)" "$f_ms" $((f_rss / 1024)) "$f_cpu"
printf '%-28s %6d ms %7d MB %11d ms\n' "virt-manager 4.1" "$m_ms" $((m_rss / 1024)) "$m_cpu"
printf '%-28s %6d ms %7d MB %11d ms\n' "floor.c, GL off" "$n_ms" $((n_rss / 1024)) "$n_cpu"
printf '%-28s %6d ms %7d MB %11d ms   (%d libraries, Virtlab %d)\n' "floor.c + libs, GL off" \
  "$l_ms" $((l_rss / 1024)) "$l_cpu" "$(ldd "$tmp/floor-libs" | wc -l)" "$(ldd "$top/_build/src/virtlab" | wc -l)"
awk -v v="$v_ms" -v f="$f_ms" -v m="$m_ms" -v vr="$v_rss" -v fr="$f_rss" -v vc="$v_cpu" -v fc="$f_cpu" 'BEGIN {
  printf "Virtlab / floor:        %.2fx   (target <= 1.20x)\n", v / f
  printf "CPU at map, Virtlab - floor: %+d ms (what the machine load cannot hide)\n", vc - fc
  printf "virt-manager / Virtlab: %.2fx   (target >= 3.5x)\n", m / v
  printf "Virtlab RSS - floor RSS: %+d MB (target <= +20 MB)\n", (vr - fr) / 1024
}'
awk -v v="$v_ms" -v n="$n_ms" -v l="$l_ms" -v vc="$v_cpu" -v nc="$n_cpu" -v lc="$l_cpu" 'BEGIN {
  printf "with GL off in all three: loading Virtlab\x27s libraries %+d ms mapped, %+d ms CPU; Virtlab\x27s own work %+d ms mapped, %+d ms CPU\n", l - n, lc - nc, v - l, vc - lc
}'
