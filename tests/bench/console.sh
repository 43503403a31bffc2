#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Time from opening a guest's console to its first frame: Virtlab's VlConsole (through libvirt's
# graphics socket) and remote-viewer (VNC over TCP, a new process: exec until its window is mapped,
# and until the guest's text shows in it), the same TCG guest, in the same run on one private Xvfb.
# "First frame on screen" is the same test for both: 300+ pixels of VGA grey (#a0-#b0) read back
# from the X server (firstframe.c for the peer, the helper itself for Virtlab).
# usage: tests/bench/console.sh [BUILD_DIR] [ROUNDS]
set -euo pipefail
here=$(dirname "$(readlink -f "$0")")
top=$(readlink -f "$here/../..")
build=$(readlink -f "${1:-$top/_build}")
rounds=${2:-5}

if [ -z "${VL_BENCH_INSIDE:-}" ]; then
  export VL_BENCH_INSIDE=1
  exec xvfb-run -a -s "-screen 0 1280x1024x24" dbus-run-session -- "$0" "$build" "$rounds"
fi

bench=$build/tests/guests/console-bench
[ -x "$bench" ] || { echo "build first: ninja -C $build" >&2; exit 2; }
command -v remote-viewer >/dev/null || { echo "remote-viewer (package virt-viewer) is missing" >&2; exit 2; }

tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
gcc -O2 -o "$tmp/firstframe" "$here/firstframe.c" -lX11
mkfifo "$tmp/hold"
export GSETTINGS_SCHEMA_DIR=$build/data GSETTINGS_BACKEND=memory NO_AT_BRIDGE=1 GDK_BACKEND=x11

# The helper times its consoles, prints the guest's VNC port, and keeps the guest running until
# the fifo closes; run-with-embed-root.sh ends any QEMU it might leave.
"$top/tests/guests/run-with-embed-root.sh" "$bench" "$rounds" < "$tmp/hold" > "$tmp/out" 2> "$tmp/err" &
helper=$!
exec 3> "$tmp/hold"
for _ in $(seq 1 600); do grep -q '^port ' "$tmp/out" 2>/dev/null && break; sleep 0.1; done
port=$(awk '/^port /{print $2}' "$tmp/out")
[ -n "$port" ] || { exec 3>&-; wait $helper || true; cat "$tmp/err" >&2; echo "the guest did not come up" >&2; exit 1; }

: > "$tmp/peer"
for _ in $(seq 1 "$rounds"); do
  read -r mapped frame pid < <("$tmp/firstframe" "remote-viewer" 30 remote-viewer "vnc://127.0.0.1:$port" 2>/dev/null)
  echo "$mapped $frame" >> "$tmp/peer"
  kill "$pid" 2>/dev/null || true
  while kill -0 "$pid" 2>/dev/null; do sleep 0.05; done
done
exec 3>&-
wait $helper

echo "console: opening to first frame, $rounds rounds each, the same TCG guest (SeaBIOS screen)"
awk '/^virtlab /{printf "  virtlab        handshake %6.1f ms, framebuffer filled %6.1f ms, first frame on screen %6.1f ms\n", $2, $3, $4}' "$tmp/out"
awk '/^virtlab-tcp /{printf "  virtlab (TCP)  handshake %6.1f ms, framebuffer filled %6.1f ms, first frame on screen %6.1f ms\n", $2, $3, $4}' "$tmp/out"
awk '{printf "  remote-viewer  window mapped %6.1f ms,                                  first frame on screen %6.1f ms\n", $1, $2}' "$tmp/peer"
awk '/^virtlab /{n++; s+=$4} END{if(n) printf "virtlab       first frame on screen, mean %7.1f ms (console opened in the running app, libvirt graphics socket)\n", s/n}' "$tmp/out"
awk '/^virtlab-tcp /{n++; s+=$4} END{if(n) printf "virtlab (TCP) first frame on screen, mean %7.1f ms (same, read-only libvirt: the <graphics> address)\n", s/n}' "$tmp/out"
awk '{n++; s+=$2; m+=$1} END{if(n) printf "remote-viewer first frame on screen, mean %7.1f ms (exec of a new process; window mapped at %.1f ms)\n", s/n, m/n}' "$tmp/peer"
