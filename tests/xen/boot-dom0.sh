#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Boot the cached Xen dom0 under QEMU (TCG) and print its libvirt URI once libvirt answers.
#
# Usage: tests/xen/boot-dom0.sh [STATE_DIR]      boot (builds the image first if needed)
#        tests/xen/boot-dom0.sh --stop STATE_DIR  stop the QEMU whose PID is in STATE_DIR/qemu.pid
# STATE_DIR (default: a new /tmp/virtlab-xen.XXXXXX) receives:
#   qemu.pid      the QEMU process: the only thing to kill
#   serial.sock   Xen's com1 (Xen, then dom0's hvc0 with a root shell): see dom0-shell.py
#   serial.log    everything the serial port printed
#   uri           xen+tcp://127.0.0.1:PORT/system
#   ports         "vnc DOM0PORT HOSTPORT" lines: 127.0.0.1:HOSTPORT reaches dom0's DOM0PORT
#   host.ext4     with VIRTLAB_XEN_HOST_DIR=DIR: DIR's files on a second disk, mounted read-write at
#                 /mnt/host in dom0 (programs from the build tree; what dom0 leaves there for the host)
# The VM's only network is QEMU's user net with restrict=on: no packet from it leaves QEMU; only
# the host's 127.0.0.1 forwards below reach into dom0 (libvirt 16509 and VNC ports).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

log() { echo "boot-dom0: $*" >&2; }

stop_dom0() {  # $1 = state dir
  local pid
  pid=$(cat "$1/qemu.pid" 2>/dev/null) || return 0
  if kill "$pid" 2>/dev/null; then
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$1/qemu.pid"
}

if [ "${1:-}" = "--stop" ]; then
  [ -n "${2:-}" ] || { log "usage: $0 --stop STATE_DIR"; exit 2; }
  stop_dom0 "$2"
  exit 0
fi

state=${1:-$(mktemp -d /tmp/virtlab-xen.XXXXXX)}
mkdir -p "$state"
state=$(cd "$state" && pwd)
timeout_s=${VIRTLAB_XEN_BOOT_TIMEOUT:-420}
image=$(bash "$here/dom0-image.sh" | tail -n1)
[ -f "$image/root.ext4" ] || { log "no dom0 image"; exit 1; }

# Free 127.0.0.1 ports: one for libvirt, four for dom0's first VNC ports (5900-5903, libxl's
# automatic ones), and two forwarded to the same port number in dom0, for guests given a fixed VNC
# port, so that a client following "host and port" from libvirt reaches them through the forward.
mapfile -t ports < <(/usr/bin/python3 - <<'PY'
import random, socket
got = []
while len(got) < 7:
    p = random.randint(20000, 40000)
    if p in got:
        continue
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", p))
    except OSError:
        continue
    finally:
        s.close()
    got.append(p)
print("\n".join(map(str, got)))
PY
)
libvirt_port=${ports[0]}
fwd="hostfwd=tcp:127.0.0.1:$libvirt_port-:16509"
: >"$state/ports"
# VNC forwards go to dom0's own 127.0.0.1 (dom0 accepts them with route_localnet): libxl's VNC servers
# listen there unless a guest's XML says otherwise.
for k in 0 1 2 3; do
  fwd+=",hostfwd=tcp:127.0.0.1:${ports[$((k + 1))]}-127.0.0.1:$((5900 + k))"
  echo "vnc $((5900 + k)) ${ports[$((k + 1))]}" >>"$state/ports"
done
for k in 5 6; do
  fwd+=",hostfwd=tcp:127.0.0.1:${ports[$k]}-127.0.0.1:${ports[$k]}"
  echo "vnc ${ports[$k]} ${ports[$k]}" >>"$state/ports"
done

rm -f "$state/serial.sock" "$state/serial.log" "$state/qemu.pid" "$state/uri" "$state/host.ext4"
host_disk=()
if [ -n "${VIRTLAB_XEN_HOST_DIR:-}" ]; then
  mke2fs -q -t ext4 -L virtlab-host -d "$VIRTLAB_XEN_HOST_DIR" -E root_owner=0:0 "$state/host.ext4" 64M >&2
  host_disk=(-drive "file=$state/host.ext4,format=raw,if=none,id=host" -device virtio-blk-pci,drive=host)
fi
# -cpu: qemu64 has no SMAP (with it, dom0 dies at once under emulation) and +svm,+npt gives Xen
# SVM with HAP for HVM guests. The root disk is snapshot=on: the cached image stays clean.
qemu-system-x86_64 -name virtlab-xen-dom0 -nodefaults -display none \
  -machine pc,accel=tcg -cpu qemu64,+svm,+npt -smp 2 -m 4096 \
  -kernel "$image/xen.elf" \
  -append "dom0_mem=1536M,max:1536M console=com1 com1=115200,8n1 noreboot" \
  -initrd "$image/vmlinuz console=hvc0 quiet,$image/initrd.img" \
  -drive "file=$image/root.ext4,format=raw,if=none,id=root,snapshot=on" \
  -device virtio-blk-pci,drive=root "${host_disk[@]}" \
  -netdev "user,id=net0,restrict=on,$fwd" -device virtio-net-pci,netdev=net0 \
  -chardev "socket,id=ser0,path=$state/serial.sock,server=on,wait=off,logfile=$state/serial.log" \
  -serial chardev:ser0 \
  -pidfile "$state/qemu.pid" -daemonize

uri="xen+tcp://127.0.0.1:$libvirt_port/system"
start=$(date +%s)
pid=$(cat "$state/qemu.pid")
until virsh -q -c "$uri" nodeinfo >/dev/null 2>&1; do
  if ! kill -0 "$pid" 2>/dev/null; then
    log "QEMU exited; the serial log ends with:"; tail -n 30 "$state/serial.log" >&2 || true
    exit 1
  fi
  if [ $(( $(date +%s) - start )) -ge "$timeout_s" ]; then
    log "libvirt did not answer within $timeout_s s; the serial log ends with:"
    tail -n 30 "$state/serial.log" >&2 || true
    stop_dom0 "$state"
    exit 1
  fi
  sleep 1
done
echo "$uri" >"$state/uri"
log "dom0 up in $(( $(date +%s) - start )) s, QEMU pid $pid, state in $state"
echo "$uri"
