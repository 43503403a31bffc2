#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Benchmark (not a test): a live move with storage copy of the same running 128 MiB TCG guest (a 64 MiB
# qcow2 disk, 16 MiB of it written) between two private libvirtd on this machine (host UUIDs of their
# own, tests/guests/private-libvirtd.sh), through Virtlab's vl_guest_migrate and through the peer
# `virsh migrate --live --copy-storage-all` (libvirt's client-driven move, as virt-manager makes it),
# alternating directions in the same run.
# Usage: tests/bench/migrate.sh [BUILD_DIR] [ROUNDS]     (needs root: the daemons use mount namespaces)
set -euo pipefail

BUILD=${1:-_build}
ROUNDS=${2:-3}
BENCH=$(realpath "$BUILD/tests/guests/bench-migrate")
[ -x "$BENCH" ] || { echo "build first: $BENCH is missing" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "needs root (private libvirtd in mount namespaces)" >&2; exit 1; }
here=$(cd "$(dirname "$0")" && pwd)
DIR=$(mktemp -d /tmp/vl-bench-migrate-XXXXXX)
chmod 755 "$DIR"
NAME=vl-bench-move

cleanup() {
  # Ours only: the PIDs our daemons and their QEMU wrote under DIR.
  for pidfile in $(find "$DIR" -name '*.pid' 2>/dev/null); do
    pid=$(cat "$pidfile" 2>/dev/null) || continue
    case "$pid" in ''|*[!0-9]*) continue ;; esac
    kill "$pid" 2>/dev/null || true
  done
  sleep 1
  rm -rf "$DIR"
}
trap cleanup EXIT

uri() { echo "qemu:///system?socket=$DIR/$1/sock/libvirt-sock"; }
for h in a b; do
  mkdir -p "$DIR/$h"
  cat /proc/sys/kernel/random/uuid > "$DIR/$h/host-uuid"
  unshare -m "$here/../guests/private-libvirtd.sh" "$DIR/$h" > "$DIR/$h.log" 2>&1 &
done
for h in a b; do
  for _ in $(seq 100); do virsh -q -c "$(uri $h)" version >/dev/null 2>&1 && break; sleep 0.3; done
  virsh -q -c "$(uri $h)" pool-define-as vlpool dir --target /var/lib/libvirt/images >/dev/null
  virsh -q -c "$(uri $h)" pool-build vlpool >/dev/null
  virsh -q -c "$(uri $h)" pool-start vlpool >/dev/null
done
A=$(uri a); B=$(uri b)
virsh -q -c "$A" vol-create-as vlpool $NAME.qcow2 64M --format qcow2 >/dev/null
qemu-io -f qcow2 -c "write -P 0x5a 0 16M" "$DIR/a/lib/images/$NAME.qcow2" >/dev/null
cat > "$DIR/guest.xml" <<XML
<domain type='qemu'><name>$NAME</name><memory unit='MiB'>128</memory><vcpu>1</vcpu>
<os><type arch='x86_64' machine='pc'>hvm</type></os><devices>
<disk type='file' device='disk'><driver name='qemu' type='qcow2'/>
<source file='/var/lib/libvirt/images/$NAME.qcow2'/><target dev='vda' bus='virtio'/></disk></devices></domain>
XML
virsh -q -c "$A" define "$DIR/guest.xml" >/dev/null
virsh -q -c "$A" start $NAME >/dev/null
sleep 2

now() { date +%s.%N; }
peer=() ours=()
for r in $(seq "$ROUNDS"); do
  # The peer, A -> B: virsh needs the volume there first (libvirt would make one itself, unnamed to us).
  virsh -q -c "$B" vol-create-as vlpool $NAME.qcow2 64M --format qcow2 >/dev/null
  t0=$(now)
  virsh -q -c "$A" migrate --live --persistent --undefinesource --copy-storage-all $NAME "$B" >/dev/null
  peer+=("$(awk -v a="$(now)" -v b="$t0" 'BEGIN { printf "%.3f", a - b }')")
  virsh -q -c "$A" vol-delete $NAME.qcow2 vlpool >/dev/null
  # Virtlab, B -> A: it makes the volume on A itself.
  ours+=("$("$BENCH" "$B" "$A" $NAME)")
  virsh -q -c "$B" vol-delete $NAME.qcow2 vlpool >/dev/null
  echo "round $r: virtlab ${ours[-1]} s, virsh migrate ${peer[-1]} s"
done
median() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
echo "live move, 128 MiB TCG guest, 64 MiB qcow2 disk (16 MiB written), storage copy, median of $ROUNDS:"
echo "  virtlab (vl_guest_migrate):           $(median "${ours[@]}") s"
echo "  peer (virsh migrate --copy-storage-all): $(median "${peer[@]}") s"
virsh -q -c "$A" destroy $NAME >/dev/null 2>&1 || true
