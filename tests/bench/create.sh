#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Benchmark (not a test): create + start of the same guest through Virtlab's VlGuestCreator and through
# virt-install, on one private libvirtd started here (its own socket and state, software emulation).
# Usage: tests/bench/create.sh [BUILD_DIR] [ROUNDS]     (needs: libvirtd, virsh, virt-install, xorriso)
set -euo pipefail

BUILD=${1:-_build}
ROUNDS=${2:-3}
BENCH=$(realpath "$BUILD/tests/guests/bench-create")
[ -x "$BENCH" ] || { echo "build first: $BENCH is missing" >&2; exit 1; }

# A daemon of its own: as root it runs as "nobody" in session mode, so its sockets, pid files and QEMU
# state all live under this folder and no other libvirtd on the machine is touched.
DIR=$(mktemp -d /tmp/vl-bench-create-XXXXXX)
chmod 755 "$DIR"
mkdir -p "$DIR/home/.config/libvirt" "$DIR/run" "$DIR/pool"
# No virtlogd: QEMU writes its log itself, so the only process to end is the daemon (and its guests).
echo 'stdio_handler = "file"' > "$DIR/home/.config/libvirt/qemu.conf"
ENVV=(env HOME="$DIR/home" XDG_RUNTIME_DIR="$DIR/run" XDG_CONFIG_HOME="$DIR/home/.config"
      XDG_CACHE_HOME="$DIR/home/.cache" XDG_DATA_HOME="$DIR/home/.local/share")
AS=()
if [ "$(id -u)" = 0 ]; then
  chown -R nobody:nogroup "$DIR/home" "$DIR/run" "$DIR/pool"
  AS=(runuser -u nobody --)
fi
chmod 700 "$DIR/run"
URI="qemu:///session?socket=$DIR/run/libvirt/libvirt-sock"
DAEMON_PID=

cleanup() {
  if [ -n "$DAEMON_PID" ]; then
    for dom in $(virsh -q -c "$URI" list --name 2>/dev/null); do
      virsh -q -c "$URI" destroy "$dom" >/dev/null 2>&1 || true
    done
    kill "$DAEMON_PID" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$DAEMON_PID" 2>/dev/null || break; sleep 0.1; done
  fi
  rm -rf "$DIR"
}
trap cleanup EXIT

(cd "$DIR" && "${AS[@]}" "${ENVV[@]}" libvirtd --daemon --pid-file "$DIR/run/libvirtd.pid")
for _ in $(seq 100); do [ -S "$DIR/run/libvirt/libvirt-sock" ] && [ -s "$DIR/run/libvirtd.pid" ] && break; sleep 0.1; done
DAEMON_PID=$(cat "$DIR/run/libvirtd.pid")
echo "private libvirtd: PID $DAEMON_PID, $URI"

# Both tools find the same directory pool; QEMU's capabilities are probed once, before any timing.
virsh -q -c "$URI" "pool-define-as default dir --target $DIR/pool; pool-build default; pool-start default" >/dev/null
virsh -q -c "$URI" capabilities >/dev/null
echo x > "$DIR/readme.txt"
xorriso -as mkisofs -quiet -V TINY -o "$DIR/tiny.iso" "$DIR/readme.txt" 2>/dev/null
chmod 644 "$DIR/tiny.iso"

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

remove_guest() {
  virsh -q -c "$URI" "destroy $1; undefine $1; vol-delete --pool default $1.qcow2" >/dev/null
}

# Prints "process_ms inner_ms": the whole run, and the creator's own create+start after connecting.
run_virtlab() {
  local t0 out; t0=$(now_ms)
  out=$("$BENCH" "$URI" "$1" "$DIR/tiny.iso")
  echo "$(( $(now_ms) - t0 )) $(echo "$out" | awk '/create\+start/ {print $2}')"
}

# The same guest: TCG, 128 MiB, 1 vCPU, new 1 GiB qcow2 in pool "default", the ISO as CD, no NIC, VNC.
run_virt_install() {
  local t0; t0=$(now_ms)
  virt-install --connect "$URI" --name "$1" --virt-type qemu --memory 128 --vcpus 1 \
    --disk pool=default,size=1,format=qcow2 --cdrom "$DIR/tiny.iso" --os-variant generic \
    --network none --graphics vnc --noautoconsole --wait 0 >/dev/null 2>&1
  echo $(( $(now_ms) - t0 ))
}

VL=() VI=() IN=()
for i in $(seq "$ROUNDS"); do
  # Alternate who goes first, so neither always meets a warmer cache.
  if [ $((i % 2)) = 1 ]; then
    r=$(run_virtlab "vl-$i"); b=$(run_virt_install "vi-$i")
  else
    b=$(run_virt_install "vi-$i"); r=$(run_virtlab "vl-$i")
  fi
  a=${r% *}; inner=${r#* }
  [ "$(virsh -q -c "$URI" domstate "vl-$i")" = running ] || { echo "vl-$i is not running" >&2; exit 1; }
  [ "$(virsh -q -c "$URI" domstate "vi-$i")" = running ] || { echo "vi-$i is not running" >&2; exit 1; }
  echo "round $i: Virtlab creator $a ms (of which create+start after connecting: $inner ms), virt-install $b ms (process start to guest running)"
  VL+=("$a"); VI+=("$b"); IN+=("$inner")
  remove_guest "vl-$i"; remove_guest "vi-$i"
done

median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }
m_vl=$(median "${VL[@]}"); m_vi=$(median "${VI[@]}")
echo "median over $ROUNDS rounds: Virtlab creator $m_vl ms, virt-install $m_vi ms; creator's create+start alone $(median "${IN[@]}") ms"
awk -v a="$m_vl" -v b="$m_vi" 'BEGIN { printf "ratio Virtlab / virt-install: %.2fx (target <= 1.1x)\n", a / b }'
