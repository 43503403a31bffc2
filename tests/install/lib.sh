# SPDX-License-Identifier: GPL-3.0-or-later
# Sourced by the install tier's test-*.sh: the machine's state directory and small helpers.
# run-install-tests.sh sets VM_STATE (see boot-vm.sh); a test may also be run alone with it.
set -uo pipefail
install_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$install_dir/../.." && pwd)
: "${VM_STATE:?set VM_STATE (a state directory for tests/install/boot-vm.sh)}"
out_dir=${INSTALL_OUT:-$VM_STATE/out}
mkdir -p "$out_dir"
failures=0
# Timings for tests/bench/install.sh: "name seconds" lines.
timings=${INSTALL_TIMINGS:-$out_dir/timings}

vm() { /usr/bin/python3 "$install_dir/vm-shell.py" "$VM_STATE" "$@"; }
ok() { echo "ok - $*"; }
not_ok() { echo "not ok - $*"; failures=$((failures + 1)); }
check() {  # check DESCRIPTION COMMAND...: ok when the command succeeds
  local what=$1; shift
  if "$@"; then ok "$what"; else not_ok "$what"; fi
}
contains() { grep -qE -- "$2" <<<"$1"; }   # contains TEXT REGEX
now() { date +%s.%N; }
since() { awk -v a="$(date +%s.%N)" -v b="$1" 'BEGIN { printf "%.1f", a - b }'; }
timing() { echo "$1 $2" >>"$timings"; echo "# time: $1 $2 s"; }
finish() {
  if [ "$failures" -eq 0 ]; then echo "PASS: $(basename "$0")"; exit 0; fi
  echo "FAIL: $(basename "$0"): $failures check(s) failed"; exit 1
}
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
# the user "tester" as the one who asked. The runner's lines go to $out_dir/NAME.txt.
run_plan() {  # run_plan TARGET NAME [TIMEOUT]
  vm "/mnt/host/install-run run $1 tester /mnt/host/virtlab-host-helper /root/$2.log" "${3:-1800}" >"$out_dir/$2.txt"
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
