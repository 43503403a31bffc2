#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Boot the install tier's test machine from its own GRUB (a copy-on-write overlay of the cached disk)
# and wait until its test shell answers.
#
# Usage: tests/install/boot-vm.sh STATE_DIR [--new]   boot (--new: a fresh overlay of the cached disk;
#                                                     without it the overlay already in STATE_DIR)
#        tests/install/boot-vm.sh STATE_DIR --from QCOW2   boot a fresh overlay of QCOW2 (a cached disk
#                                                     after a plan's package step, see lib.sh)
#        tests/install/boot-vm.sh --stop STATE_DIR    stop the QEMU whose PID is in STATE_DIR/qemu.pid
#        tests/install/boot-vm.sh --wait-off STATE_DIR SECONDS   wait until the machine powered off
# STATE_DIR receives:
#   disk.qcow2   the overlay: every change of the plans lands here, the cached disk stays clean
#   qemu.pid     the QEMU process: the only thing to kill
#   console.log  ttyS0 (GRUB's menu, the kernel, Xen's com1 after the reboot), appended across boots
#   console.sock ttyS0 as a socket;  shell.sock  ttyS1, the test shell (see tests/lib/vm-shell.py)
#   host/        with it: its files on a third disk (label virtlab-host) mounted at /mnt/host
# The machine has no network device at all (-nic none).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
log() { echo "boot-vm: $*" >&2; }

stop_vm() {  # $1 = state dir
  local pid
  pid=$(cat "$1/qemu.pid" 2>/dev/null) || return 0
  if kill "$pid" 2>/dev/null; then
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$1/qemu.pid"
}

case "${1:-}" in
  --stop) stop_vm "$2"; exit 0 ;;
  --wait-off)
    pid=$(cat "$2/qemu.pid" 2>/dev/null) || exit 0
    for _ in $(seq "$3"); do kill -0 "$pid" 2>/dev/null || { rm -f "$2/qemu.pid"; exit 0; }; sleep 1; done
    exit 1 ;;
esac

state=$1
mkdir -p "$state"
state=$(cd "$state" && pwd)
image=$(bash "$here/image.sh" | tail -n1)
[ -f "$image/disk.raw" ] || { log "no test machine image"; exit 1; }
if [ "${2:-}" = "--from" ]; then
  [ -f "${3:-}" ] || { log "no disk ${3:-} to boot from"; exit 1; }
  rm -f "$state/disk.qcow2"
  qemu-img create -q -f qcow2 -b "$3" -F qcow2 "$state/disk.qcow2"
elif [ "${2:-}" = "--new" ] || [ ! -f "$state/disk.qcow2" ]; then
  rm -f "$state/disk.qcow2"
  qemu-img create -q -f qcow2 -b "$image/disk.raw" -F raw "$state/disk.qcow2"
fi
host_disk=()
if [ -d "$state/host" ]; then
  rm -f "$state/host.ext4"
  mke2fs -q -t ext4 -L virtlab-host -d "$state/host" -E root_owner=0:0 "$state/host.ext4" 64M >&2
  host_disk=(-drive "file=$state/host.ext4,format=raw,if=virtio")
fi
rm -f "$state/console.sock" "$state/shell.sock" "$state/qemu.pid"
# -cpu: the Xen tier's choice (qemu64 without SMAP, +svm,+npt), which Xen accepts; 2 vCPUs and
# 4 GiB: dom0's fixed share from the plan plus a guest. cache=unsafe on the machine's own disk (a
# throw-away overlay): the guest's flushes (dpkg's database, update-initramfs, update-grub) do not
# wait for the host's disk; the plan inside is the same.
qemu-system-x86_64 -name virtlab-install -nodefaults -display none -nic none \
  -machine pc,accel=tcg -cpu qemu64,+svm,+npt -smp 2 -m 4096 \
  -drive "file=$state/disk.qcow2,format=qcow2,if=virtio,cache=unsafe" \
  -drive "file=$image/repo.ext4,format=raw,if=virtio,readonly=on" "${host_disk[@]}" \
  -chardev "socket,id=ser0,path=$state/console.sock,server=on,wait=off,logfile=$state/console.log,logappend=on" \
  -serial chardev:ser0 \
  -chardev "socket,id=ser1,path=$state/shell.sock,server=on,wait=off" \
  -serial chardev:ser1 \
  -pidfile "$state/qemu.pid" -daemonize
log "QEMU $(cat "$state/qemu.pid") booting $state/disk.qcow2"
