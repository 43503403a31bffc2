# SPDX-License-Identifier: GPL-3.0-or-later
# Sourced by the install tier's test-*.sh: the machine's state directory and small helpers.
# run-install-tests.sh sets VM_STATE (see boot-vm.sh); a test may also be run alone with it.
set -uo pipefail
install_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$install_dir/../.." && pwd)
: "${VM_STATE:?set VM_STATE (a state directory for tests/install/boot-vm.sh)}"
out_dir=${INSTALL_OUT:-$VM_STATE/out}
mkdir -p "$out_dir"
source "$top/tests/lib/tap.sh"
# Timings for tests/bench/install.sh: "name seconds" lines.
timings=${INSTALL_TIMINGS:-$out_dir/timings}

# The test shell on ttyS1 (the machine's virtlab-test-shell.service), through the shared driver.
vm() { /usr/bin/python3 "$top/tests/lib/vm-shell.py" "$VM_STATE" "$@"; }
timing() { echo "$1 $2" >>"$timings"; echo "# time: $1 $2 s"; }
# Boot (or boot again) and wait until the test shell answers and systemd finished starting.
boot_vm() {  # boot_vm [--new]; echoes the seconds to the shell
  local t0 rc
  t0=$(now)
  bash "$install_dir/boot-vm.sh" "$VM_STATE" "$@" || return 1
  wait_up 600 || return 1
  since "$t0"
}
wait_up() {  # wait_up SECONDS: the shell answers and systemd is up (running or degraded)
  local state
  state=$(vm 'systemctl is-system-running --wait' "$1") || true
  [ -n "$state" ] || { echo "# the machine did not answer; its console ends with:" >&2; tail -n 20 "$VM_STATE/console.log" | sed 's/^/# /' >&2; return 1; }
  # The repository and host disks are "nofail" mounts: under load udev may name them after systemd
  # gave up waiting (seen: 5 s); mount them now.
  vm 'udevadm settle -t 60; for m in /srv/virtlab-repo /mnt/host; do mountpoint -q $m || mount $m; done' 120 >/dev/null ||
    echo "# the repository or host disk could not be mounted" >&2
  [ "$state" = running ] || echo "# systemd: $state: $(vm 'systemctl --failed --no-legend --plain | cut -d" " -f1 | tr "\n" " "')" >&2
  return 0
}
# Run the plan for TARGET through the page's runner and the helper, as root in the machine, with
# the user "tester" as the one who asked. The runner's lines go to $out_dir/NAME.txt; the helper's
# own lines, timed, to $out_dir/NAME.helper.txt (helper-transcript.sh: what tests/host's replay of the
# Host page is made from). With "packages" as ONLY, only the plan's package steps run.
run_plan() {  # run_plan TARGET NAME [TIMEOUT [ONLY]]
  local rc
  vm "rm -f /root/$2.helper; VL_HELPER_TRANSCRIPT=/root/$2.helper /mnt/host/install-run run $1 tester /mnt/host/helper-transcript.sh /root/$2.log ${4:-}" "${3:-1800}" >"$out_dir/$2.txt"
  rc=$?
  vm "cat /root/$2.helper" 120 >"$out_dir/$2.helper.txt" 2>/dev/null
  return "$rc"
}

# ---- the plan's package step, cached --------------------------------------------------------------
# Under emulation the package step is most of a plan's time (Xen: 446 s quiet, 36 min loaded), and
# what it leaves on the disk depends only on the machine's image, the plan's package steps and the
# helper that runs them. So the machine's disk after it (a qcow2 overlay of the image, the machine
# powered off cleanly) is kept, keyed by the hash of those inputs; the next run boots an overlay of
# it and runs the remaining steps. When an input changes, the package step runs again (the cold
# path: then the tier takes longer than the CI budget, and says so).
package_cache=${INSTALL_PACKAGE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/virtlab-tests/install-packages}
package_steps() {  # package_steps TARGET: the app's package steps for a bare Debian 12, without prose
  local root
  root=$(mktemp -d)
  mkdir -p "$root/etc"
  printf 'ID=debian\nVERSION_ID="12"\n' >"$root/etc/os-release"
  "${VIRTLAB:-$top/_build/src/virtlab}" --print-install-plan "$1" --distribution debian --all-steps \
    --host-root "$root" 2>/dev/null |
    awk '/^step / {keep = 0} /^kind: (refresh|install)-packages$/ {keep = 1} keep && !/^why:/'
  rm -rf "$root"
}
package_key() {  # package_key TARGET
  local image steps
  image=$(bash "$install_dir/image.sh" 2>/dev/null | tail -n1) || return 1
  steps=$(package_steps "$1")
  [ -n "$steps" ] || { echo "# the app printed no package step for $1" >&2; return 1; }
  { basename "$image"; echo "$steps"
    cat "$top/src/host/vl-host-helper.c" "$top/src/host/vl-helper-grub.c" "$top/src/host/vl-helper-request.c" "$top/src/host/vl-helper-request.h"
    declare -f boot_with_packages
  } | sha256sum | cut -c1-16
}
# Boot the machine with TARGET's package steps done: an overlay of the cached disk when there is one
# for these inputs; else a fresh machine (HOOK runs first: the KVM test's interrupted package step),
# the package steps run through the runner and the helper, the machine powered off and its disk
# kept. Sets packages_cached=yes|no; the package run's output is in $out_dir/TARGET-packages.txt.
boot_with_packages() {  # boot_with_packages TARGET [HOOK]
  local key dir t t0
  key=$(package_key "$1") || return 1
  dir=$package_cache/$1-$key
  if [ -f "$dir/disk.qcow2" ] && [ -f "$dir/$1-packages.txt" ]; then
    packages_cached=yes
    echo "# $1's package step from the cache: $dir ($(cat "$dir/made"))"
    cp "$dir/$1-packages.txt" "$dir/$1-packages.helper.txt" "$dir/$1-dpkg.log" "$dir/$1-root-before.b64" \
      "$out_dir/" 2>/dev/null
    t=$(boot_vm --from "$dir/disk.qcow2") || return 1
    ok "the machine with $1's packages (cached) boots from its GRUB ($t s)"
    timing "$1-boot-cached" "$t"
    return 0
  fi
  packages_cached=no
  echo "# no cached package step for $1 ($key): it runs now (the cold path: longer than the CI budget)"
  echo "$1" >>"${INSTALL_COLD:-/dev/null}"
  t=$(boot_vm --new) || return 1
  ok "the test machine boots from its GRUB ($t s)"
  timing boot-grub "$t"
  [ $# -ge 2 ] && "$2"
  # What the host page's probe reads of the machine before the plan (tests/host's replay).
  vm 'bash /mnt/host/snapshot-root.sh' 300 >"$out_dir/$1-root-before.b64" 2>/dev/null
  t0=$(now)
  run_plan "$1" "$1-packages" 2400 packages || { grep -E '^(state|error):' "$out_dir/$1-packages.txt"; return 1; }
  t=$(since "$t0")
  ok "the runner ran $1's package steps through the helper ($t s)"
  awk -v p="$1" '$2 == "step-time" {print p "-" $3, $4}' "$out_dir/$1-packages.txt" | while read -r n s; do timing "$n" "$s"; done
  # Where the package step's time went: dpkg's own log (a line per state change, with the time).
  vm 'cat /var/log/dpkg.log' 120 >"$out_dir/$1-dpkg.log" 2>/dev/null
  # Debian 12's Xen packages make "with Xen hypervisor" GRUB's default by themselves: the disk kept
  # without this booted Xen with all memory in dom0 and its test shell never answered (600 s). A
  # user runs the whole plan before restarting, so the kept disk's first boot is the plain Debian
  # entry, once (GRUB's next_entry, what grub-reboot sets).
  vm 'grub-editenv /boot/grub/grubenv set next_entry=0' 60 >/dev/null ||
    { echo "# grub-editenv failed: the kept disk would boot GRUB's default" >&2; return 1; }
  vm 'sync; systemctl poweroff' 20 >/dev/null 2>&1
  bash "$install_dir/boot-vm.sh" --wait-off "$VM_STATE" 600 || { echo "# the machine did not power off" >&2; return 1; }
  rm -rf "$package_cache/$1-"* && mkdir -p "$dir.new"
  mv "$VM_STATE/disk.qcow2" "$dir.new/disk.qcow2"
  cp "$out_dir/$1-packages.txt" "$out_dir/$1-packages.helper.txt" "$out_dir/$1-dpkg.log" \
    "$out_dir/$1-root-before.b64" "$dir.new/"
  echo "made $(date -u +%FT%TZ), package steps $t s" >"$dir.new/made"
  mv "$dir.new" "$dir"
  t=$(boot_vm --from "$dir/disk.qcow2") || return 1
  ok "the machine with $1's packages boots again from its kept disk ($t s)"
}
# Restart the machine from inside, as the user would, and wait until it is up again (a new boot_id).
# Echoes the seconds from the reboot command to systemd up.
reboot_vm() {  # reboot_vm [COMMAND]
  local old new t0
  old=$(vm 'cat /proc/sys/kernel/random/boot_id' 30) || return 1
  t0=$(now)
  vm "sync; ${1:-systemctl reboot}" 20 >/dev/null 2>&1
  for _ in $(seq 120); do
    new=$(vm 'cat /proc/sys/kernel/random/boot_id' 30 2>/dev/null) || new=""
    [ -n "$new" ] && [ "$new" != "$old" ] && break
    sleep 2
  done
  [ -n "$new" ] && [ "$new" != "$old" ] || return 1
  wait_up 600 || return 1
  since "$t0"
}
