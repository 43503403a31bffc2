# SPDX-License-Identifier: GPL-3.0-or-later
# Sourced by peer-startup.sh and peer-settle.sh: a private Xvfb and session bus, and waitmap built once.
bench_dir=$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")
waitmap=${TMPDIR:-/tmp}/virtlab-bench-waitmap
if [ ! -x "$waitmap" ] || [ "$bench_dir/waitmap.c" -nt "$waitmap" ]; then
  gcc -O2 -o "$waitmap" "$bench_dir/waitmap.c" -lX11 || exit 2
fi

# A display number nobody holds: the first free one from 70 on.
peer_start_display() {
  local n=70
  while [ -e "/tmp/.X$n-lock" ] || [ -e "/tmp/.X11-unix/X$n" ]; do n=$((n + 1)); done
  Xvfb ":$n" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
  xvfb_pid=$!
  for _ in $(seq 1 200); do xdpyinfo -display ":$n" >/dev/null 2>&1 && break; sleep 0.05; done
  export DISPLAY=":$n" NO_AT_BRIDGE=1
  eval "$(dbus-launch --sh-syntax)"
}

peer_stop() {
  [ -n "${app_pid:-}" ] && { kill "$app_pid" 2>/dev/null; wait "$app_pid" 2>/dev/null; }
  [ -n "${DBUS_SESSION_BUS_PID:-}" ] && kill "$DBUS_SESSION_BUS_PID" 2>/dev/null
  [ -n "${xvfb_pid:-}" ] && { kill "$xvfb_pid" 2>/dev/null; wait "$xvfb_pid" 2>/dev/null; }
}

peer_rss_kib() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status" 2>/dev/null || echo 0; }
# user + system CPU time of a process, in clock ticks
peer_cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0; }
