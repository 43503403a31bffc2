#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Build once, and cache by the hash of its inputs, the install tier's test machine: a Debian 12 disk
# that boots from its own GRUB, and a second disk holding the local package repository the plans
# install from (the test machine has no network at all).
#
# Usage: tests/install/image.sh [--print-packages]
# Prints the directory on its last line of stdout:
#   disk.raw    MBR, one ext4 partition (label virtlab-root) at 1 MiB; GRUB for BIOS in the MBR gap;
#               systemd as PID 1; ttyS0: GRUB, the kernel console and a root autologin; ttyS1: the
#               test shell service (tests/install/vm-shell.py drives it); the plan's user "tester"
#               (uid 1000); apt knows only file:/srv/virtlab-repo. Tests boot a qcow2 overlay of it.
#   repo.ext4   label virtlab-repo: the .debs the Debian KVM and Xen plans install (resolved by apt
#               against this very root) and their flat index (Packages), mounted read-only.
#   manifest    versions, package lists, sizes and build times
# Needs root (mmdebstrap in root mode, mke2fs -d keeping owners), qemu-system-x86_64 and Debian's mirror.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/../.." && pwd)
cache_root=${XDG_CACHE_HOME:-$HOME/.cache}/virtlab-tests/install
virtlab_bin=${VIRTLAB:-$top/_build/src/virtlab}

log() { echo "install-image: $*" >&2; }
die() { log "error: $*"; exit 1; }

# ---- the plans' packages: printed by the app for a bare Debian 12 -------------------------------
plan_root=$(mktemp -d)
mkdir -p "$plan_root/etc"
printf 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nID=debian\n' \
  >"$plan_root/etc/os-release"
plan_packages() {  # $1 = kvm | xen
  "$virtlab_bin" --print-install-plan "$1" --distribution debian --all-steps --host-root "$plan_root" 2>/dev/null |
    sed -n 's/^ *packages: *//p' | tr ',' ' ' | tr '\n' ' '
}
[ -x "$virtlab_bin" ] || die "no app at $virtlab_bin: build it first (ninja -C _build)"
kvm_packages=$(plan_packages kvm)
xen_packages=$(plan_packages xen)
rm -rf "$plan_root"
[ -n "$kvm_packages" ] && [ -n "$xen_packages" ] || die "the app printed no package step for kvm or xen"

# What the test machine has before any plan: a bootable Debian with systemd and GRUB, and GLib for
# the helper and the plan runner (tests/install/install-run.c) that the test brings on a disk.
# ca-certificates, openssl and python3 are on every Debian desktop the app runs on (GLib's TLS, GNOME
# itself): when the plans pulled them in, their set-up under TCG was 38 % of the Xen plan's package
# step (update-ca-certificates rehashing ~150 certificates, twice: 31 %; Python's byte-compiling: 7 %).
base_packages=(systemd systemd-sysv udev dbus linux-image-amd64 grub-pc initramfs-tools kmod procps
               util-linux e2fsprogs libglib2.0-0 passwd login ca-certificates openssl python3)

if [ "${1:-}" = "--print-packages" ]; then
  echo "kvm: $kvm_packages"
  echo "xen: $xen_packages"
  echo "base: ${base_packages[*]}"
  exit 0
fi

[ "$(id -u)" -eq 0 ] || die "must run as root (mmdebstrap, chroot and mke2fs -d keep file owners)"
for tool in mmdebstrap mke2fs qemu-system-x86_64 dpkg-scanpackages apt-cache; do
  command -v "$tool" >/dev/null || die "$tool is missing (apt-get install mmdebstrap e2fsprogs qemu-system-x86 dpkg-dev)"
done

mirror_of() {  # $1 = suite; the URI the host uses for it (the only network these machines have)
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

# ---- the cache key -------------------------------------------------------------------------------
read -r -a all_packages <<<"${base_packages[*]} $kvm_packages $xen_packages"
key=$( { cat "$0" "$here/firstboot.sh"
         printf '%s\n' "$kvm_packages" "$xen_packages" "$main_mirror" "$security_mirror"
         apt-cache policy linux-image-amd64 "${all_packages[@]}" 2>/dev/null | awk '/^[^ ]/ || /Candidate:/'
       } | sha256sum | cut -c1-16)
out="$cache_root/$key"
if [ -f "$out/manifest" ] && [ -f "$out/disk.raw" ] && [ -f "$out/repo.ext4" ]; then
  log "cached: $out"
  echo "$out"
  exit 0
fi

log "building $out"
mkdir -p "$cache_root"
work=$(mktemp -d "$cache_root/build.XXXXXX")
qemu_pid=""
cleanup() {
  local m
  [ -n "$qemu_pid" ] && kill "$qemu_pid" 2>/dev/null
  for m in $(findmnt -rno TARGET | awk -v w="$work/" 'index($0, w) == 1' | sort -r); do umount -l "$m" || true; done
  rm -rf --one-file-system "$work" || true
}
# mmdebstrap in root mode was seen to replace the host's /dev/ptmx (see tests/xen/dom0-image.sh).
restore_ptmx() {
  if [ ! -c /dev/ptmx ] || [ -L /dev/ptmx ]; then
    rm -f /dev/ptmx && mknod -m 666 /dev/ptmx c 5 2 && log "restored the host's /dev/ptmx"
  fi
}
trap 'restore_ptmx; cleanup' EXIT
started=$(date +%s)

# ---- the root, and the plans' .debs resolved against it ------------------------------------------
root="$work/root"
repo="$work/repo"
mkdir -p "$repo"
# The hooks run inside mmdebstrap: "$1" is the root. Each plan's packages are resolved alone, as
# its own apt-get install will resolve them in the test machine; recommends included, as there.
download_hook() {  # $1 = package list
  printf 'mkdir -p "$1/var/cache/virtlab-repo/partial" && chroot "$1" apt-get install --download-only --yes -q -o Dir::Cache::Archives=/var/cache/virtlab-repo/ %s' "$1"
}
mmdebstrap --variant=minbase --format=directory --quiet \
  --include="$(IFS=,; echo "${base_packages[*]}")" \
  --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-exclude=/usr/share/man/*' \
  --dpkgopt='path-exclude=/usr/share/locale/*' --dpkgopt='path-exclude=/usr/share/info/*' \
  --dpkgopt='path-include=/usr/share/doc/*/copyright' \
  --customize-hook="$(download_hook "$kvm_packages")" \
  --customize-hook="$(download_hook "$xen_packages")" \
  --customize-hook="mv \"\$1\"/var/cache/virtlab-repo/*.deb '$repo/' && rm -rf \"\$1\"/var/cache/virtlab-repo" \
  bookworm "$root" \
  "deb $main_mirror bookworm main" "deb $security_mirror bookworm-security main" >&2 ||
  die "mmdebstrap failed"
t_root=$(( $(date +%s) - started ))
n_debs=$(find "$repo" -name '*.deb' | wc -l)
[ "$n_debs" -gt 50 ] || die "only $n_debs .debs were downloaded for the plans"
( cd "$repo" && dpkg-scanpackages -m . 2>/dev/null >Packages ) || die "dpkg-scanpackages failed"
for p in $kvm_packages $xen_packages; do
  grep -qx "Package: $p" "$repo/Packages" || die "the repository lacks the plan's package $p"
done

# ---- the system's settings -----------------------------------------------------------------------
echo virtlab-install >"$root/etc/hostname"
printf '127.0.0.1 localhost\n127.0.1.1 virtlab-install\n' >"$root/etc/hosts"
cat >"$root/etc/fstab" <<'EOF'
LABEL=virtlab-root  /                 ext4  errors=remount-ro  0 1
LABEL=virtlab-repo  /srv/virtlab-repo ext4  ro,nofail,x-systemd.device-timeout=20s  0 0
LABEL=virtlab-host  /mnt/host         ext4  nofail,x-systemd.device-timeout=20s     0 0
EOF
mkdir -p "$root/srv/virtlab-repo" "$root/mnt/host"
# apt knows only the local repository: the machine has no network.
rm -f "$root"/etc/apt/sources.list.d/*
echo 'deb [trusted=yes] file:/srv/virtlab-repo ./' >"$root/etc/apt/sources.list"
rm -rf "$root"/var/lib/apt/lists/*
printf 'Acquire::Languages "none";\n' >"$root/etc/apt/apt.conf.d/90virtlab-test"
# A test machine under emulation: no fsync per file, no documentation (the same as the image's own).
printf 'force-unsafe-io\npath-exclude=/usr/share/doc/*\npath-exclude=/usr/share/man/*\npath-exclude=/usr/share/locale/*\npath-exclude=/usr/share/info/*\npath-include=/usr/share/doc/*/copyright\n' \
  >"$root/etc/dpkg/dpkg.cfg.d/90virtlab-test"
chroot "$root" useradd --create-home --uid 1000 --shell /bin/bash tester
# GRUB on the serial port, one second to choose; the kernel's console on ttyS0 (hvc0 under Xen, whose
# own messages go to com1).
cat >>"$root/etc/default/grub" <<'EOF'
# virtlab install tier: a serial console machine.
GRUB_TIMEOUT=1
GRUB_TERMINAL="serial console"
GRUB_SERIAL_COMMAND="serial --unit=0 --speed=115200"
GRUB_CMDLINE_LINUX="console=hvc0 console=ttyS0,115200n8"
GRUB_CMDLINE_XEN="console=com1 com1=115200,8n1"
EOF
# Root logs in by itself on the serial console.
mkdir -p "$root/etc/systemd/system/serial-getty@.service.d"
cat >"$root/etc/systemd/system/serial-getty@.service.d/autologin.conf" <<'EOF'
[Service]
ExecStart=
ExecStart=-/sbin/agetty --autologin root --keep-baud 115200,57600,38400,9600 %I $TERM
EOF
# The test shell: a root shell on ttyS1, no echo, restarted if it ever ends.
cat >"$root/etc/systemd/system/virtlab-test-shell.service" <<'EOF'
[Unit]
Description=Virtlab test shell on ttyS1
After=local-fs.target
[Service]
ExecStart=/bin/sh -c 'stty -echo clocal; exec /bin/bash --noprofile --norc --noediting'
StandardInput=tty
StandardOutput=tty
StandardError=tty
TTYPath=/dev/ttyS1
TTYReset=yes
Environment=HOME=/root TERM=dumb PS1=
Restart=always
RestartSec=1
[Install]
WantedBy=multi-user.target
EOF
chroot "$root" systemctl enable virtlab-test-shell.service >/dev/null 2>&1
# Nothing on a timer may start apt or fstrim in the middle of a test.
chroot "$root" systemctl mask apt-daily.timer apt-daily-upgrade.timer e2scrub_all.timer fstrim.timer >/dev/null 2>&1 || true
install -m 0755 "$here/firstboot.sh" "$root/usr/local/sbin/virtlab-firstboot"
kernel=$(ls "$root"/boot/vmlinuz-* | tail -n1)
initrd=$(ls "$root"/boot/initrd.img-* | tail -n1)
cp "$kernel" "$work/vmlinuz"
cp "$initrd" "$work/initrd.img"

# ---- the disks -----------------------------------------------------------------------------------
used_mb=$(du -sm "$root" | cut -f1)
size_mb=6144   # sparse: room for both plans' packages, libvirt's state and a guest disk
mke2fs -q -t ext4 -L virtlab-root -d "$root" -E root_owner=0:0 "$work/root.ext4" "${size_mb}M" >&2 ||
  die "mke2fs -d failed (root)"
truncate -s "$(( size_mb + 1 ))M" "$work/disk.raw"
# The MBR's partition table: one bootable Linux partition from sector 2048 to the end (the gap
# before it holds GRUB's core image).
/usr/bin/python3 - "$work/disk.raw" <<'PY' || die "could not write the partition table"
import os, struct, sys
with open(sys.argv[1], "r+b") as f:
    sectors = os.fstat(f.fileno()).st_size // 512
    start, count = 2048, sectors - 2048
    # Status 0x80 (bootable), CHS fields at their "use LBA" maximum, type 0x83.
    entry = struct.pack("<B3sB3sII", 0x80, b"\xfe\xff\xff", 0x83, b"\xfe\xff\xff", start, count)
    f.seek(446); f.write(entry + bytes(48)); f.write(b"\x55\xaa")
PY
dd if="$work/root.ext4" of="$work/disk.raw" bs=1M seek=1 conv=notrunc,sparse status=none
rm -f "$work/root.ext4"
repo_mb=$(( $(du -sm "$repo" | cut -f1) * 11 / 10 + 64 ))
mke2fs -q -t ext4 -L virtlab-repo -d "$repo" -E root_owner=0:0 "$work/repo.ext4" "${repo_mb}M" >&2 ||
  die "mke2fs -d failed (repo)"

# ---- boot once by direct kernel boot: GRUB goes on the disk from inside ---------------------------
t0=$(date +%s)
qemu-system-x86_64 -name virtlab-install-firstboot -nodefaults -display none -no-reboot \
  -machine pc,accel=tcg -cpu qemu64 -smp 2 -m 1024 \
  -kernel "$work/vmlinuz" -initrd "$work/initrd.img" \
  -append "root=LABEL=virtlab-root rw console=ttyS0,115200n8 init=/usr/local/sbin/virtlab-firstboot" \
  -drive "file=$work/disk.raw,format=raw,if=virtio" \
  -serial "file:$work/firstboot.log" &
qemu_pid=$!
timeout_s=600
while kill -0 "$qemu_pid" 2>/dev/null; do
  if [ $(( $(date +%s) - t0 )) -ge $timeout_s ]; then
    log "the first boot did not finish in $timeout_s s; its console ends with:"; tail -n 30 "$work/firstboot.log" >&2
    exit 1
  fi
  sleep 1
done
wait "$qemu_pid" || true
qemu_pid=""
t_grub=$(( $(date +%s) - t0 ))
grep -q 'VIRTLAB-GRUB-OK' "$work/firstboot.log" ||
  { log "grub-install/update-grub failed in the first boot:"; tail -n 40 "$work/firstboot.log" >&2; exit 1; }
grep -E '^(Installing for|Installation finished|Generating grub|Found linux image)' "$work/firstboot.log" | tr -d '\r' >&2 || true

{
  echo "built: $(date -u +%FT%TZ) in $(( $(date +%s) - started )) s (root and .debs ${t_root} s, GRUB boot ${t_grub} s)"
  echo "kernel: $(basename "$kernel")"
  echo "mirrors: $main_mirror bookworm, $security_mirror bookworm-security"
  echo "kvm-packages: $kvm_packages"
  echo "xen-packages: $xen_packages"
  echo "base-packages: ${base_packages[*]}"
  echo "repo: $n_debs .debs, ${repo_mb} MiB disk"
  echo "root: ${used_mb} MiB used, disk ${size_mb} MiB"
} >"$work/manifest"

rm -rf "$out.tmp"
mkdir "$out.tmp"
mv "$work/disk.raw" "$work/repo.ext4" "$work/manifest" "$work/firstboot.log" "$out.tmp/"
rm -rf "$out"
mv "$out.tmp" "$out"
for d in "$cache_root"/*; do
  if [[ $(basename "$d") =~ ^[0-9a-f]{16}$ ]] && [ "$d" != "$out" ]; then rm -rf "$d"; fi
done
log "built in $(( $(date +%s) - started )) s: $out"
echo "$out"
