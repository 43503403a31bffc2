#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Build once, and cache by the hash of its inputs, the boot set of a Xen 4.17 dom0 for the Xen test tier.
#
# Usage: tests/xen/dom0-image.sh [--print-packages]
# Prints the directory of the boot set on its last line of stdout:
#   xen.elf      the hypervisor (zcat of boot/xen-4.17-amd64.gz: a multiboot ELF for QEMU's -kernel)
#   vmlinuz      the Debian kernel (dom0, and the PV guests' kernel inside the root)
#   initrd.img   a tiny busybox initramfs that mounts root.ext4 (virtio) and switches to its /init
#   root.ext4    the dom0 root (mmdebstrap minbase, bookworm + bookworm-security), booted with
#                snapshot=on so the cached image stays clean
#   manifest     versions, package list and where the list came from
# Needs root (mmdebstrap in root mode, chroot, mke2fs -d keeping owners) and Debian's apt mirror.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/../.." && pwd)
cache_root=${XDG_CACHE_HOME:-$HOME/.cache}/virtlab-tests/xen
virtlab_bin=${VIRTLAB:-$top/_build/src/virtlab}

log() { echo "dom0-image: $*" >&2; }
die() { log "error: $*"; exit 1; }

# ---- the package list ---------------------------------------------------------------------------
# The root holds what the app's own Debian Xen install plan installs, so building this image also
# proves that plan. There is one list, the plan's, always: an app not built yet is built first (a
# list of our own would drift from the plan, as one without qemu-utils did, and fail the image).
# Tools the harness itself needs in dom0 (module loading, addresses, the serial shell, guests' initrd).
harness_packages=(kmod iproute2 busybox)

if [ ! -x "$virtlab_bin" ]; then
  [ -z "${VIRTLAB:-}" ] || die "VIRTLAB=$VIRTLAB is not an executable: the Xen plan comes from the app"
  log "the app is not built yet: building $top/_build for its Xen install plan"
  { [ -f "$top/_build/build.ninja" ] || meson setup "$top/_build" "$top"; } >&2 ||
    die "meson setup of $top/_build failed: the package list comes from the app's plan"
  ninja -C "$top/_build" src/virtlab >&2 || die "building the app failed: the package list comes from its plan"
fi
package_source="virtlab --print-install-plan xen --distribution debian --all-steps --host-root (bare Debian 12)"
# The plan for a bare Debian 12 computer: --host-root is a folder holding only its os-release (this
# machine may be a container, for which the app rightly refuses a Xen plan), and --all-steps keeps
# the packages the build host happens to have.
plan_root=$(mktemp -d)
mkdir -p "$plan_root/etc"
printf 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nID=debian\n' \
  >"$plan_root/etc/os-release"
plan_args=(--print-install-plan xen --distribution debian --all-steps --host-root "$plan_root")
plan=$("$virtlab_bin" "${plan_args[@]}") || { rm -rf "$plan_root"; die "$virtlab_bin ${plan_args[*]} failed"; }
grep -q '^ *packages:' <<<"$plan" || { rm -rf "$plan_root"; die "the app's Xen plan installs no packages"; }
# "packages: a b c" (commas tolerated), one line per package step.
read -r -a packages <<<"$(sed -n 's/^ *packages: *//p' <<<"$plan" | tr ',' ' ' | tr '\n' ' ')"
packages+=("${harness_packages[@]}")
rm -rf "$plan_root"
mapfile -t packages < <(printf '%s\n' "${packages[@]}" | awk 'NF' | sort -u)

if [ "${1:-}" = "--print-packages" ]; then
  echo "# from: $package_source"
  printf '%s\n' "${packages[@]}"
  exit 0
fi

[ "$(id -u)" -eq 0 ] || die "must run as root (mmdebstrap, chroot and mke2fs -d keep file owners)"
for tool in mmdebstrap mke2fs xorriso cpio apt-get dpkg; do
  command -v "$tool" >/dev/null || die "$tool is missing (apt-get install mmdebstrap e2fsprogs xorriso cpio)"
done

# ---- mirrors: the host's own Debian sources (the only network these machines have) ---------------
mirror_of() {  # $1 = suite; prints the URI the host uses for it, or deb.debian.org
  local uri
  uri=$(awk -v s="$1" '
    /^URIs:/ {u=$2} /^Suites:/ {for (i=2;i<=NF;i++) if ($i==s) {print u; exit}}
    /^deb / {for (i=2;i<=NF;i++) if ($i ~ /^http/) {if ($(i+1)==s) {print $i; exit}}}' \
    /etc/apt/sources.list /etc/apt/sources.list.d/*.sources /etc/apt/sources.list.d/*.list 2>/dev/null | head -n1)
  echo "${uri:-http://deb.debian.org/debian}"
}
main_mirror=$(mirror_of bookworm)
security_mirror=$(mirror_of bookworm-security)
[ "$security_mirror" = "http://deb.debian.org/debian" ] && security_mirror=http://deb.debian.org/debian-security

# ---- the cache key: this script, the dom0 /init, the initramfs init, packages, versions ----------
candidate() { apt-cache policy "$1" 2>/dev/null | awk '/Candidate:/ {print $2}'; }
kernel_pkg=$(apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/ {print $2; exit}')
[ -n "$kernel_pkg" ] || die "apt knows no linux-image-amd64 (run apt-get update)"
xen_pkg=xen-hypervisor-4.17-amd64
key=$( { cat "$0" "$here/dom0-init.sh" "$here/initramfs-init.sh" "$here/pv-guest-init.sh"
         printf '%s\n' "${packages[@]}" "$main_mirror" "$security_mirror"
         # One apt-cache call for every candidate version: a new upload anywhere rebuilds the image.
         apt-cache policy "$kernel_pkg" "$xen_pkg" "${packages[@]}" 2>/dev/null | awk '/^[^ ]/ || /Candidate:/'
       } | sha256sum | cut -c1-16)
out="$cache_root/$key"
if [ -f "$out/manifest" ] && [ -f "$out/root.ext4" ]; then
  log "cached: $out"
  echo "$out"
  exit 0
fi

log "building $out (packages from: $package_source)"
mkdir -p "$cache_root"
work=$(mktemp -d "$cache_root/build.XXXXXX")
# --one-file-system: an interrupted mmdebstrap leaves the host's /sys (and maybe more) mounted in
# the root; rm must never descend into those.
cleanup() {
  local m
  for m in $(findmnt -rno TARGET | awk -v w="$work/" 'index($0, w) == 1' | sort -r); do umount -l "$m" || true; done
  rm -rf --one-file-system "$work" || true
}
trap cleanup EXIT
started=$(date +%s)

# ---- hypervisor and kernel, straight from the mirror ---------------------------------------------
( cd "$work" && apt-get download -q "$xen_pkg" "$kernel_pkg" 2>&1 | grep -v '^W: Download is performed unsandboxed' >&2 ) ||
  die "apt-get download $xen_pkg $kernel_pkg failed"
mkdir "$work/xen" "$work/kernel"
dpkg -x "$work/$xen_pkg"_*.deb "$work/xen"
dpkg -x "$work/$kernel_pkg"_*.deb "$work/kernel"
zcat "$work/xen/boot/xen-4.17-amd64.gz" >"$work/xen.elf"
cp "$work/kernel/boot/vmlinuz-"* "$work/vmlinuz"
kver=$(basename "$work/kernel/lib/modules/"*)

# ---- the root ------------------------------------------------------------------------------------
root="$work/root"
# mmdebstrap in root mode was seen to replace the host's /dev/ptmx with a symlink to
# /dev/pts/ptmx (mode 000 here), after which QEMU run as a non-root user cannot open a pty and
# every later libvirt test fails. Put the host's node back however mmdebstrap ends.
restore_ptmx() {
  if [ ! -c /dev/ptmx ] || [ -L /dev/ptmx ]; then
    rm -f /dev/ptmx && mknod -m 666 /dev/ptmx c 5 2 && log "restored the host's /dev/ptmx"
  fi
}
trap 'restore_ptmx; cleanup' EXIT
mmdebstrap --variant=minbase --format=directory --quiet \
  --include="$(IFS=,; echo "${packages[*]}")" \
  --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-exclude=/usr/share/man/*' \
  --dpkgopt='path-exclude=/usr/share/locale/*' --dpkgopt='path-exclude=/usr/share/info/*' \
  --dpkgopt='path-include=/usr/share/doc/*/copyright' \
  bookworm "$root" \
  "deb $main_mirror bookworm main" "deb $security_mirror bookworm-security main" >&2 ||
  die "mmdebstrap failed"

# The plan must have brought everything a dom0 with libvirt needs: name what is missing.
for f in usr/lib/xen-4.17/bin/xl usr/lib/xen-4.17/bin/oxenstored usr/lib/xen-4.17/bin/xenconsoled usr/lib/xen-4.17/bin/xen-init-dom0 \
         usr/sbin/libvirtd usr/bin/virsh usr/lib/x86_64-linux-gnu/libvirt/connection-driver/libvirt_driver_libxl.so \
         usr/bin/xenstore-read usr/bin/qemu-img sbin/modprobe bin/busybox; do
  [ -e "$root/$f" ] || [ -L "$root/$f" ] || die "/$f is missing from the dom0 root: packages ${packages[*]} (from $package_source) do not provide it"
done
[ -e "$root/usr/libexec/xen-qemu-system-i386" ] || [ -e "$root/usr/bin/qemu-system-i386" ] ||
  die "no device model (qemu-system-xen) in the dom0 root"

# libvirt's QEMU driver aborts the daemon for want of a libvirt-qemu user: this dom0 only serves Xen.
rm -f "$root"/usr/lib/x86_64-linux-gnu/libvirt/connection-driver/libvirt_driver_{qemu,lxc,vbox}.so
# Xen on an AMD-vendor CPU hides SEP and QEMU's emulation lacks VME: without this, libxl's driver
# finds no CPU model ("Cannot find suitable CPU model for given data") and takes libvirtd down.
sed -i "/<feature name='sep'\/>/d" "$root/usr/share/libvirt/cpu_map/x86_kvm64.xml"
grep -q "name='sep'" "$root/usr/share/libvirt/cpu_map/x86_kvm64.xml" && die "could not remove sep from cpu_map"
# libvirtd --listen: plain TCP, no authentication. Reachable only through QEMU's loopback forward.
cat >>"$root/etc/libvirt/libvirtd.conf" <<'EOF'
# virtlab Xen test tier: plain TCP, reached only through the host's 127.0.0.1 forward.
listen_tls = 0
listen_tcp = 1
listen_addr = "0.0.0.0"
auth_tcp = "none"
EOF
# The plan's libvirt-daemon-system brings libvirt's default NAT network, set to autostart: no guest of
# the tests may have a routed network, so it never starts here.
rm -f "$root"/etc/libvirt/qemu/networks/autostart/*.xml
echo virtlab-dom0 >"$root/etc/hostname"
printf '127.0.0.1 localhost virtlab-dom0\n' >"$root/etc/hosts"

# Only the Xen backend, loop, network and root-disk modules (and what they depend on).
dom0_modules=(xen-evtchn xen-gntdev xen-gntalloc xen-privcmd xenfs xen-blkback xen-netback
              loop bridge tun virtio_net virtio_blk virtio_pci ext4)
initrd_modules=(virtio_pci virtio_blk ext4)
mkdir -p "$root/lib/modules"
cp -a "$work/kernel/lib/modules/$kver" "$root/lib/modules/$kver"
chroot "$root" depmod -a "$kver"
show_deps() { chroot "$root" modprobe -S "$kver" --show-depends "$@" | awk '$1=="insmod" {print $2}'; }
# The PV test guests' initrd gets the block and network front ends (before the root's modules are pruned).
pv_guest_modules=(xen-blkfront xen-netfront)
pv_ko=$(for m in "${pv_guest_modules[@]}"; do show_deps "$m"; done | awk '!seen[$0]++')
keep=$(for m in "${dom0_modules[@]}"; do show_deps "$m"; done | sort -u)
find "$root/lib/modules/$kver/kernel" -name '*.ko*' | while read -r f; do
  grep -qxF "${f#"$root"}" <<<"$keep" || rm -f "$f"
done
find "$root/lib/modules/$kver/kernel" -type d -empty -delete
chroot "$root" depmod -a "$kver"

# ---- the dom0's own /init, and what the test guests boot ------------------------------------------
install -m 0755 "$here/dom0-init.sh" "$root/init"
guest_dir="$root/var/lib/virtlab"
mkdir -p "$guest_dir/pool" "$guest_dir/iso"
cp "$work/vmlinuz" "$guest_dir/vmlinuz"

copy_busybox() {  # $1 = destination root: busybox and the libraries it links
  local dest=$1 lib
  mkdir -p "$dest/bin" "$dest/lib64" "$dest/lib/x86_64-linux-gnu"
  cp "$root/bin/busybox" "$dest/bin/busybox"
  cp -L "$root/lib64/ld-linux-x86-64.so.2" "$dest/lib64/"
  for lib in $(LC_ALL=C readelf -d "$root/bin/busybox" | sed -n 's/.*Shared library: \[\(.*\)\]/\1/p'); do
    cp -L "$root/lib/x86_64-linux-gnu/$lib" "$dest/lib/x86_64-linux-gnu/"
  done
  ln -s busybox "$dest/bin/sh"
}
make_cpio() { ( cd "$1" && find . | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0 ) | gzip -9 >"$2"; }

# A PV guest's initrd: busybox that says hello on hvc0 and keeps a shell there.
pv="$work/pv-initrd"
copy_busybox "$pv"
mkdir -p "$pv/modules"
for ko in $pv_ko; do
  cp "$work/kernel$ko" "$pv/modules/"
  basename "$ko" >>"$pv/modules/order"
done
install -m 0755 "$here/pv-guest-init.sh" "$pv/init"
make_cpio "$pv" "$guest_dir/pv-initrd.img"

# The tiny isolinux CD of the console tests: SeaBIOS, "Booting from DVD/CD", the ISOLINUX prompt.
iso="$work/iso"
mkdir -p "$iso/isolinux"
cp /usr/lib/ISOLINUX/isolinux.bin /usr/lib/syslinux/modules/bios/ldlinux.c32 "$iso/isolinux/"
printf 'PROMPT 1\nTIMEOUT 0\nSAY Virtlab tiny ISO: ISOLINUX is waiting for a kernel name.\nDEFAULT none\n' \
  >"$iso/isolinux/isolinux.cfg"
xorriso -as mkisofs -quiet -o "$guest_dir/iso/tiny.iso" -V VIRTLAB_TINY \
  -b isolinux/isolinux.bin -c isolinux/boot.cat -no-emul-boot -boot-load-size 4 -boot-info-table "$iso" >&2

# ---- the dom0's own initramfs: load virtio + ext4, mount the root disk, switch to its /init --------
ird="$work/initrd"
copy_busybox "$ird"
mkdir -p "$ird/modules"
for m in "${initrd_modules[@]}"; do show_deps "$m"; done | awk '!seen[$0]++' | while read -r ko; do
  cp "$root$ko" "$ird/modules/"
  basename "$ko" >>"$ird/modules/order"
done
install -m 0755 "$here/initramfs-init.sh" "$ird/init"
make_cpio "$ird" "$work/initrd.img"

# ---- the ext4 image ------------------------------------------------------------------------------
used_mb=$(du -sm "$root" | cut -f1)
# Room for logs, libvirt's state and guest volumes: the app refuses a disk bigger than a pool's free
# space. The image is sparse and booted with snapshot=on, so the room costs nothing on the host.
size_mb=$(( used_mb + used_mb / 4 + 2560 ))
mke2fs -q -t ext4 -L virtlab-dom0 -d "$root" -E root_owner=0:0 "$work/root.ext4" "${size_mb}M" >&2 ||
  die "mke2fs -d failed"

{
  echo "built: $(date -u +%FT%TZ) in $(( $(date +%s) - started )) s"
  echo "xen: $xen_pkg $(candidate $xen_pkg)"
  echo "kernel: $kernel_pkg $(candidate "$kernel_pkg") ($kver)"
  echo "mirrors: $main_mirror bookworm, $security_mirror bookworm-security"
  echo "packages-from: $package_source"
  echo "packages: ${packages[*]}"
  echo "root: ${used_mb} MiB used, image ${size_mb} MiB"
} >"$work/manifest"

rm -rf "$out.tmp"
mkdir "$out.tmp"
mv "$work/xen.elf" "$work/vmlinuz" "$work/initrd.img" "$work/root.ext4" "$work/manifest" "$out.tmp/"
rm -rf "$out"
mv "$out.tmp" "$out"
# Images built from other inputs are stale now: keep only this one (each is about 1 GB).
for d in "$cache_root"/*; do
  if [[ $(basename "$d") =~ ^[0-9a-f]{16}$ ]] && [ "$d" != "$out" ]; then rm -rf "$d"; fi
done
log "built in $(( $(date +%s) - started )) s: $out"
echo "$out"
