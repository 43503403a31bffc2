#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# `virtlab --run-benchmarks` on a connection whose host is not this process's: a private libvirtd
# (tests/guests/private-libvirtd.sh) in its own mount namespace, reached over its unix socket like a
# remote host. Its /var/lib/libvirt is not this computer's, so nothing works unless the guest's disks
# go through libvirt: the image by volume upload, the results by volume download.
#   1. a pool the user names: results validate and read back positive; every volume is deleted;
#   2. no pool "default": a transient pool is made, and it and its volumes are gone after a cancel;
#   3. a pool that does not exist: exit 2, a clear message, nothing made;
#   4. a real pool without room for the disks (a 64 MiB tmpfs in the daemon's namespace): exit 2 before
#      the image is uploaded, naming the pool, its free space and each disk's size; nothing made.
# Needs root (unshare -m) and the cached benchmark image (see test-bench-embed.sh). Exit 77 otherwise.
set -u

top=${VL_TOP_SRCDIR:?}
virtlab=${VIRTLAB:?}
schema=$top/tests/results/schema/pts-result-file.xsd
export VL_BENCH_DATA_DIR=$top/data/bench
export XDG_CACHE_HOME=${XDG_CACHE_HOME:-$HOME/.cache}
if [ "$(id -u)" -ne 0 ] || ! command -v libvirtd >/dev/null; then
  echo "1..0 # SKIP needs root and libvirtd for a private libvirtd"
  exit 77
fi
if ! out=$(bash "$VL_BENCH_DATA_DIR/vl-bench-image.sh" --check 2>&1); then
  echo "1..0 # SKIP the benchmark image cannot be built here: $out"
  exit 77
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/vl-bench-remote-XXXXXX")
daemon=$work/daemon
export XDG_DATA_HOME=$work/data HOME=$work/home
mkdir -p "$HOME" "$daemon"
uri="qemu:///system?socket=$daemon/sock/libvirt-sock"
failures=0
dvirsh() { virsh -q -c "$uri" "$@" 2>/dev/null; }
cleanup() {
  local pid
  dvirsh list --name | while read -r d; do [ -n "$d" ] && dvirsh destroy "$d" >/dev/null; done
  for f in libvirtd.pid virtlogd.pid; do
    pid=$(cat "$daemon/$f" 2>/dev/null) && kill "$pid" 2>/dev/null
  done
  sleep 1
  rm -rf "$work"
}
trap cleanup EXIT

n=0
check() {  # check DESCRIPTION CONDITION
  n=$((n + 1))
  if eval "$2"; then echo "ok $n - $1"; else echo "not ok $n - $1"; failures=$((failures + 1)); fi
}
show() { sed 's/^/# /' "$1.out"; grep -v ' info : \| warning : ' "$1.err" | sed 's/^/# stderr: /'; }

unshare -m sh "$top/tests/guests/private-libvirtd.sh" "$daemon" >"$work/daemon.log" 2>&1 &
daemon_pid=$!  # the script becomes libvirtd: its mount namespace is the "remote host's"
for _ in $(seq 1 60); do dvirsh version >/dev/null && break; sleep 0.5; done
check "the private libvirtd answers" 'dvirsh version >/dev/null'

# The daemon's own pool, in a folder of its namespace (not visible here at that path).
dvirsh pool-create-as userpool dir --target /var/lib/libvirt/userpool --build >/dev/null
check "a pool of the user's is active on it" 'dvirsh pool-info userpool | grep -q "running"'

echo "# 1. the user's pool"
start=$(date +%s)
"$virtlab" --run-benchmarks --config "$uri,qemu-tcg,Remote" --pool userpool --runs 1 --memory 512 \
  --tests sysbench_cpu,mbw_memcpy,fio_seq_write --output "$work/remote.xml" >"$work/run1.out" 2>"$work/run1.err"
status=$?
show "$work/run1"
echo "# run 1 took $(( $(date +%s) - start )) s"
check "run 1 exits 0" '[ $status -eq 0 ]'
check "it says where the disks go" 'grep -q "disks go to storage pool “userpool” (/var/lib/libvirt/userpool)" "$work/run1.out"'
check "the image was uploaded, with its time" 'grep -qE "guest image \(.*\) was uploaded in [0-9.]+ s" "$work/run1.out"'
check "the file validates against PTS's schema" 'xmllint --noout --nonet --schema "$schema" "$work/remote.xml" 2>/dev/null'
"$virtlab" --export-charts "$work/csv" --format csv "$work/remote.xml" >/dev/null
values=$(/usr/bin/python3 - "$work/csv/results.csv" Remote <<'EOF'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8")))
col = rows[0].index(sys.argv[2])
for r in rows[1:]:
    print("%s\t%s\t%s" % (r[4], r[0], r[col]))
EOF
)
echo "$values" | sed 's/^/# Remote: /'
for cat in cpu memory disk; do
  check "a positive $cat value read back from the downloaded results disk" \
    "awk -F'\t' -v c=$cat '\$1 == c && \$3 + 0 > 0 { found = 1 } END { exit !found }' <<<\"\$values\""
done
check "every volume in the user's pool is deleted, the pool stays" \
  '[ -z "$(dvirsh vol-list userpool | awk NF)" ] && dvirsh pool-info userpool | grep -q running'
check "no guest is left" '[ -z "$(dvirsh list --all --name | awk NF)" ]'
check "no work folder is left" '[ -z "$(ls -A "$XDG_DATA_HOME/virtlab/bench-work" 2>/dev/null)" ]'

echo "# 2. no pool \"default\": a transient pool, cancelled in the middle"
"$virtlab" --run-benchmarks --config "$uri,qemu-tcg,Cancelled" --runs 1 --memory 512 --tests sysbench_cpu \
  --output "$work/cancelled.xml" >"$work/run2.out" 2>"$work/run2.err" &
pid=$!
for _ in $(seq 1 1500); do
  grep -q "Cancelled: start profile" "$work/run2.out" 2>/dev/null && break
  sleep 0.2
done
pools_running=$(dvirsh pool-list --name | grep -c '^virtlab-bench-')
vols_running=$(dvirsh vol-list "$(dvirsh pool-list --name | grep '^virtlab-bench-' | head -n1)" | awk NF | wc -l)
kill -INT "$pid"
wait "$pid"
status=$?
show "$work/run2"
check "a transient pool was made in the user's folder" \
  'grep -q "disks go to a transient storage pool in “$XDG_DATA_HOME/virtlab/bench-work/run-" "$work/run2.out" && [ "$pools_running" -eq 1 ]'
check "it held the image's three volumes and the guest's two" '[ "$vols_running" -eq 5 ]'
check "cancel exits 1" '[ $status -eq 1 ]'
{ dvirsh pool-list --all --name; dvirsh list --all --name; ls -R "$XDG_DATA_HOME/virtlab/bench-work"; } 2>&1 | sed 's/^/# left: /'
check "cancel leaves no pool, no volume, no guest and no folder" \
  '[ -z "$(dvirsh pool-list --all --name | grep virtlab-bench)" ] && [ -z "$(dvirsh list --all --name | awk NF)" ] && [ -z "$(ls -A "$XDG_DATA_HOME/virtlab/bench-work" 2>/dev/null)" ]'

echo "# 3. a pool that does not exist"
"$virtlab" --run-benchmarks --config "$uri,qemu-tcg,X" --pool nosuchpool --output "$work/none.xml" \
  >"$work/run3.out" 2>"$work/run3.err"
status=$?
show "$work/run3"
check "exit 2 naming the pool and the connection" \
  '[ $status -eq 2 ] && grep -q "The storage pool “nosuchpool” does not exist on $uri" "$work/run3.err"'
check "nothing is made" '[ ! -e "$work/none.xml" ] && [ -z "$(dvirsh vol-list userpool | awk NF)" ] && [ -z "$(dvirsh pool-list --all --name | grep virtlab-bench)" ]'

echo "# 4. a pool on the remote host without room for the disks"
nsenter -t "$daemon_pid" -m sh -c 'mkdir -p /var/lib/libvirt/smallpool &&
  mount -t tmpfs -o size=64m tmpfs /var/lib/libvirt/smallpool' 2>&1 | sed 's/^/# /'
dvirsh pool-create-as smallpool dir --target /var/lib/libvirt/smallpool >/dev/null
check "a 64 MiB pool is active on the daemon's host" 'dvirsh pool-info smallpool | grep -q running'
start=$(date +%s)
"$virtlab" --run-benchmarks --config "$uri,qemu-tcg,Small" --pool smallpool --output "$work/small.xml" \
  >"$work/run4.out" 2>"$work/run4.err"
status=$?
show "$work/run4"
echo "# run 4 took $(( $(date +%s) - start )) s"
# (GLib writes a no-break space between a size and its unit)
check "exit 2 naming the pool, its free space and what the disks need" \
  '[ $status -eq 2 ] && grep -q "The storage pool “smallpool” of $uri has 6[0-9.]*.*MB free, and the benchmark guest’s volumes need .*: a scratch disk of .*, a results disk of .* and the guest image of" "$work/run4.err"'
check "refused before the image was uploaded: nothing is made" \
  '! grep -q "was uploaded" "$work/run4.out" && [ ! -e "$work/small.xml" ] && [ -z "$(dvirsh vol-list smallpool | awk NF)" ] && [ -z "$(dvirsh pool-list --all --name | grep virtlab-bench)" ] && [ -z "$(dvirsh list --all --name | awk NF)" ]'
dvirsh pool-destroy smallpool >/dev/null
nsenter -t "$daemon_pid" -m umount /var/lib/libvirt/smallpool 2>/dev/null

echo "1..$n"
[ "$failures" -eq 0 ]
