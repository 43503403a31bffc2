#!/usr/bin/env bash
# Builds Virtlab's benchmark guest once, and caches it by the hash of its inputs.
#
# Usage: vl-bench-image.sh [--cache DIR] [--shared DIR] [--small] [--check] [--print-key]
# On success the last line of stdout is the image's folder:
#   vmlinuz     Debian 12's kernel (linux-image-amd64: boots as Xen PV, Xen HVM and KVM guest)
#   initrd.img  Debian's initramfs for it, with only what finds the root (MODULES=list: virtio and
#               Xen block front ends, ext4): 7 MB, not MODULES=most's 36 MB to unpack at each boot
#   root.ext4   the root (mmdebstrap), booted read-only with init=/usr/lib/virtlab/runner
#   manifest    key=value: the key, package versions in the root, build time
# --small (or VL_BENCH_IMAGE_SMALL=1 in the environment, which is how a job run for it picks it up):
#   the CPU, memory and disk tools only (sysbench, mbw, fio): no ffmpeg, wavpack or dbench, whose tests
#   then fail inside the guest ("not installed"). A fraction of the size, for slow links to a remote
#   host (the Xen tier's dom0). Cached apart, under the cache folder's "-small" sibling, by its own
#   package list.
# --check only says whether an image can be built here (exit 0) or what is missing (exit 2).
# Builds as root (mmdebstrap root mode) or, as another user, with --mode=unshare when the system
# allows it (uidmap and /etc/subuid, /etc/subgid lines). Needs Debian's apt mirror.
# An image with the same key that root built (the privileged helper's bench-image step, into the
# --shared folder, /var/cache/virtlab/bench-image) is used as it is, without any of those tools.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
runner=${VL_BENCH_RUNNER:-$here/runner.sh}
cache_root=${XDG_CACHE_HOME:-$HOME/.cache}/virtlab/bench-image
shared_root=${VL_BENCH_SHARED_CACHE:-/var/cache/virtlab/bench-image}
check_only=0
print_key=0
small=${VL_BENCH_IMAGE_SMALL:-0}
while [ $# -gt 0 ]; do
  case "$1" in
    --cache) cache_root=$2; shift 2 ;;
    --shared) shared_root=$2; shift 2 ;;
    --check) check_only=1; shift ;;
    --print-key) print_key=1; shift ;;
    --small) small=1; shift ;;
    *) echo "vl-bench-image: unknown option $1" >&2; exit 2 ;;
  esac
done

log() { echo "vl-bench-image: $*" >&2; }
missing() { log "cannot build the benchmark image: $*"; exit 2; }

# The tools of the benchmark profiles (runner.sh), all from Debian 12 main. The kernel_build test:
# linux-source-6.1 and what `make defconfig` and `make vmlinux` need (gcc, make, bc, flex, bison,
# libelf-dev for objtool, libssl-dev for the certificate tools).
packages=(linux-image-amd64 sysbench fio dbench mbw wavpack ffmpeg e2fsprogs mawk mount
          linux-source-6.1 gcc make bc flex bison libelf-dev libssl-dev)
tool_files=(usr/bin/sysbench usr/bin/fio usr/bin/dbench usr/bin/mbw usr/bin/wavpack usr/bin/ffmpeg
            usr/share/dbench/client.txt usr/src/linux-source-6.1/Makefile
            usr/lib/virtlab/kernel-build/.config usr/lib/virtlab/kernel-build/scripts/basic/fixdep)
kernel=1
if [ "$small" = 1 ]; then
  packages=(linux-image-amd64 sysbench fio mbw e2fsprogs mawk mount)
  tool_files=(usr/bin/sysbench usr/bin/fio usr/bin/mbw)
  kernel=0
  cache_root=$cache_root-small
  shared_root=$shared_root-small
fi

mirror_of() {  # $1 = suite: the URI the host's own apt uses for it, or deb.debian.org
  local uri
  uri=$(awk -v s="$1" '
    /^URIs:/ {u=$2} /^Suites:/ {for (i=2;i<=NF;i++) if ($i==s) {print u; exit}}
    /^deb / {for (i=2;i<=NF;i++) if ($i ~ /^http/) {if ($(i+1)==s) {print $i; exit}}}' \
    /etc/apt/sources.list /etc/apt/sources.list.d/*.sources /etc/apt/sources.list.d/*.list 2>/dev/null | head -n1)
  echo "${uri:-http://deb.debian.org/debian}"
}
main_mirror=${VL_BENCH_MIRROR:-$(mirror_of bookworm)}
security_mirror=$(mirror_of bookworm-security)
[ "$security_mirror" = "http://deb.debian.org/debian" ] && security_mirror=http://deb.debian.org/debian-security

[ -r "$runner" ] || missing "the runner $runner is missing"
mode=root
[ "$(id -u)" -eq 0 ] || mode=unshare

# ---- the cache keys ------------------------------------------------------------------------------
# The base (Debian's packages) by how this script builds it (its text from "the build" on), the
# packages and the mirrors; the image by the base and the runner. A new runner is written into a copy
# of the base in seconds (debugfs). Nothing here needs the build's tools.
base_key=$( { sed -n '/^# ---- the build/,$p' "$0"; printf '%s\n' "${packages[@]}" "$main_mirror" "$security_mirror"; } |
            sha256sum | cut -c1-16)
key=$( { echo "$base_key"; cat "$runner"; } | sha256sum | cut -c1-16)
base="$cache_root/base-$base_key"
out="$cache_root/$key"
if [ "$print_key" = 1 ]; then
  echo "$key"
  exit 0
fi
whole() { [ -r "$1/manifest" ] && [ -r "$1/root.ext4" ] && [ -r "$1/vmlinuz" ] && [ -r "$1/initrd.img" ]; }
for dir in "$out" "$shared_root/$key"; do
  if whole "$dir"; then
    log "cached: $dir"
    [ "$check_only" = 1 ] || echo "$dir"
    exit 0
  fi
done
# root's base with this key: only the runner is written into a copy, in this user's cache.
if ! whole "$base" && whole "$shared_root/base-$base_key" && command -v debugfs >/dev/null; then
  base="$shared_root/base-$base_key"
fi
if ! whole "$base"; then
  # ---- what this computer needs --------------------------------------------------------------------
  for tool in mmdebstrap mke2fs debugfs sha256sum; do
    command -v "$tool" >/dev/null || missing "“$tool” is not installed (Debian: apt-get install mmdebstrap e2fsprogs)"
  done
  if [ "$mode" = unshare ]; then
    command -v newuidmap >/dev/null || missing "not root, and “newuidmap” is missing for --mode=unshare (apt-get install uidmap)"
    grep -q "^$(id -un):" /etc/subuid 2>/dev/null ||
      missing "not root, and /etc/subuid has no line for $(id -un) for --mode=unshare"
    grep -q "^$(id -un):" /etc/subgid 2>/dev/null ||
      missing "not root, and /etc/subgid has no line for $(id -un) for --mode=unshare"
  fi
else
  command -v debugfs >/dev/null || missing "“debugfs” is not installed (Debian: apt-get install e2fsprogs)"
fi
if [ "$check_only" = 1 ]; then
  if ! whole "$base" && command -v apt-get >/dev/null &&
     ! timeout 20 apt-get -q --print-uris download linux-image-amd64 >/dev/null 2>&1; then
    missing "apt cannot find linux-image-amd64 (no access to the distribution's mirror $main_mirror?)"
  fi
  log "can build ($mode mode) into $out"
  exit 0
fi

# One build at a time per cache: two runs started together (two configurations' jobs, the app and a
# script) do not build the same base twice and move their results over each other; the one that
# waited finds the image the first one made. Nothing is written before this point (a lookup that
# finds an image, a check and a refusal leave the user's cache untouched).
mkdir -p "$cache_root"
exec 9>>"$cache_root/.lock"
if ! flock -n 9; then
  log "another build of the benchmark image is running into $cache_root: waiting for it"
  flock 9
  if whole "$out"; then
    log "cached: $out"
    echo "$out"
    exit 0
  fi
fi

# ---- the build (this text and what follows are the base's cache key) ------------------------------
add_runner() {  # the image: the base's files, and the runner written into a copy of its root
  local tmp started_runner
  started_runner=$(date +%s)
  mkdir -p "$cache_root"
  tmp=$(mktemp -d "$cache_root/runner.XXXXXX")
  cp --sparse=always "$base/root.ext4" "$tmp/root.ext4"
  printf 'cd /usr/lib/virtlab\nwrite %s runner\nsif runner mode 0100755\nsif runner uid 0\nsif runner gid 0\n' \
    "$runner" | debugfs -w -f - "$tmp/root.ext4" >/dev/null 2>"$tmp/debugfs.log"
  debugfs -R 'stat /usr/lib/virtlab/runner' "$tmp/root.ext4" 2>/dev/null | grep -q 'Mode:  0755' ||
    { log "debugfs could not write the runner: $(cat "$tmp/debugfs.log")"; rm -rf "$tmp"; exit 1; }
  ln "$base/vmlinuz" "$tmp/vmlinuz" 2>/dev/null || cp "$base/vmlinuz" "$tmp/vmlinuz"
  ln "$base/initrd.img" "$tmp/initrd.img" 2>/dev/null || cp "$base/initrd.img" "$tmp/initrd.img"
  { cat "$base/manifest"; echo "key=$key"; echo "runner_seconds=$(( $(date +%s) - started_runner ))"; } >"$tmp/manifest"
  rm -f "$tmp/debugfs.log"
  mkdir -p "$out"
  for f in vmlinuz initrd.img root.ext4; do mv "$tmp/$f" "$out/$f"; done
  # The manifest last: its presence says the image is whole.
  mv "$tmp/manifest" "$out/manifest"
  rmdir "$tmp"
  log "runner written into $out"
  echo "$out"
}
if whole "$base"; then
  log "base cached: $base"
  add_runner
  exit 0
fi

log "building the base $base ($mode mode, mirror $main_mirror)"
mkdir -p "$cache_root"
work=$(mktemp -d "$cache_root/build.XXXXXX")
cleanup() {
  local m
  for m in $(findmnt -rno TARGET 2>/dev/null | awk -v w="$work/" 'index($0, w) == 1' | sort -r); do
    umount -l "$m" || true
  done
  rm -rf --one-file-system "$work" || true
}
# mmdebstrap in root mode was seen to replace the host's /dev/ptmx with a symlink to /dev/pts/ptmx;
# QEMU run later as another user then cannot open a pty. Put the host's node back however it ends.
restore_ptmx() {
  if [ "$mode" = root ] && { [ ! -c /dev/ptmx ] || [ -L /dev/ptmx ]; }; then
    rm -f /dev/ptmx && mknod -m 666 /dev/ptmx c 5 2 && log "restored the host's /dev/ptmx"
  fi
}
trap 'restore_ptmx; cleanup' EXIT
started=$(date +%s)

root="$work/root"
# The initramfs holds only the modules that find and mount the root, for Xen PV, Xen HVM and KVM alike:
# under software emulation, unpacking and probing MODULES=most's 130 MB took seconds of every boot.
cat >"$work/initramfs-hook" <<'EOF'
#!/bin/sh
case "$1" in prereqs) exit 0 ;; esac
. /usr/share/initramfs-tools/hook-functions
manual_add_modules virtio_pci virtio_blk xen-blkfront ext4 crc32c_generic
EOF
chmod 755 "$work/initramfs-hook"
# The kernel_build test's tree, made here at native speed (in the guest under software emulation,
# unpacking the 138 MB tar.xz alone would take minutes of every boot, and the 1.4 GB tree does not
# fit the default scratch disk): the source unpacked into /usr/src/linux-source-6.1 (read-only in
# the guest), `make defconfig` and `make prepare` (kconfig, fixdep, objtool, generated headers)
# into /scratch/kernel-build, then moved to /usr/lib/virtlab/kernel-build, which the runner copies
# back to /scratch/kernel-build before each timed `make O=… -jN`. The same path: objtool's build
# records absolute paths, and in another folder each timed make first rebuilt objtool (25 files). What an x86-64 defconfig never builds is removed (other architectures,
# the documentation, AMD's GPU driver, perf and the selftests), AMD's only when the .config says
# so; every Kconfig file stays, as kconfig reads them all.
cat >"$work/kernel-prepare" <<'EOF'
#!/bin/sh
set -eu
src=/usr/src/linux-source-6.1
out=/scratch/kernel-build
cd /usr/src
tar -xJf linux-source-6.1.tar.xz
rm -f linux-source-6.1.tar.xz
cd "$src"
make -s O="$out" defconfig >/dev/null
keep_kconfig() { find "$@" -type f ! -name 'Kconfig*' -delete; }
for a in arch/*/; do [ "$a" = arch/x86/ ] || keep_kconfig "$a"; done
keep_kconfig Documentation
grep -q '^CONFIG_DRM_AMDGPU=' "$out/.config" || keep_kconfig drivers/gpu/drm/amd
rm -rf tools/perf tools/testing
make -s O="$out" -j"$(nproc)" prepare >/dev/null
mv "$out" /usr/lib/virtlab/kernel-build
EOF
chmod 755 "$work/kernel-prepare"
kernel_hook=:
if [ "$kernel" = 1 ]; then
  kernel_hook="cp '$work/kernel-prepare' \"\$1/usr/lib/virtlab/kernel-prepare\" &&
    started_kernel=\$(date +%s) && chroot \"\$1\" nice /usr/lib/virtlab/kernel-prepare >&2 &&
    rm \"\$1/usr/lib/virtlab/kernel-prepare\" &&
    echo \$(( \$(date +%s) - started_kernel )) > '$work/kernel-seconds'"
fi
mmdebstrap --mode="$mode" --variant=essential --format=directory --quiet \
  --include="$(IFS=,; echo "${packages[*]}")" \
  --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-exclude=/usr/share/man/*' \
  --dpkgopt='path-exclude=/usr/share/locale/*' --dpkgopt='path-exclude=/usr/share/info/*' \
  --dpkgopt='path-include=/usr/share/doc/*/copyright' \
  --customize-hook="cp '$work/initramfs-hook' \"\$1/etc/initramfs-tools/hooks/virtlab\" &&
    echo MODULES=list > \"\$1/etc/initramfs-tools/conf.d/virtlab\" &&
    chroot \"\$1\" update-initramfs -u -k all >/dev/null" \
  --customize-hook="mkdir -p \"\$1/usr/lib/virtlab\"" \
  --customize-hook="$kernel_hook" \
  --customize-hook="chroot \"\$1\" dpkg-query -W -f '\${Package}=\${Version}\n' > \"\$1/usr/lib/virtlab/packages\"" \
  --customize-hook="mkdir -p \"\$1/scratch\"" \
  bookworm "$root" \
  "deb $main_mirror bookworm main" "deb $security_mirror bookworm-security main" >&2 ||
  { log "mmdebstrap failed (is the mirror $main_mirror reachable?)"; exit 1; }

for f in "${tool_files[@]}" sbin/mkfs.ext4 bin/mount usr/lib/virtlab/packages; do
  [ -e "$root/$f" ] || { log "/$f is missing from the root: packages ${packages[*]}"; exit 1; }
done
cp "$root"/boot/vmlinuz-* "$work/vmlinuz"
kernel_release=$(basename "$root"/boot/vmlinuz-*); kernel_release=${kernel_release#vmlinuz-}
cp "$root"/boot/initrd.img-* "$work/initrd.img"
# The kernel and the initramfs boot from outside the root, and the initramfs holds the modules
# the root needs (virtio/Xen block, ext4): the 400 MB of modules stay out of the image.
rm -rf "$root"/boot/* "$root"/lib/modules/* "$root"/var/cache/apt/* "$root"/var/lib/apt/lists/*
size_mib=$(( $(du -sm "$root" | cut -f1) * 115 / 100 + 64 ))
mke2fs -q -t ext4 -L vl-bench -d "$root" "$work/root.ext4" "${size_mib}M" >&2

{
  echo "base_key=$base_key"
  echo "built=$(date -u '+%Y-%m-%d %H:%M:%S')"
  echo "build_seconds=$(( $(date +%s) - started ))"
  echo "mode=$mode"
  echo "mirror=$main_mirror"
  echo "root_mib=$size_mib"
  echo "small=$small"
  [ -r "$work/kernel-seconds" ] && echo "kernel_prepare_seconds=$(cat "$work/kernel-seconds")"
  for p in linux-image-amd64 sysbench fio dbench mbw wavpack ffmpeg linux-source-6.1 gcc-12; do
    grep "^$p=" "$root/usr/lib/virtlab/packages" | sed 's/^/package./' || true
  done
  echo "kernel_release=$kernel_release"
} >"$work/manifest"

mkdir -p "$base"
for f in vmlinuz initrd.img root.ext4; do mv "$work/$f" "$base/$f"; done
mv "$work/manifest" "$base/manifest"
log "base built in $(( $(date +%s) - started )) s: $base"
add_runner
