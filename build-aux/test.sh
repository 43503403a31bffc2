#!/usr/bin/env bash
# Install what is missing, build, and run every test under Xvfb and a private D-Bus session.
# The last line is the summary: "N passed, N failed".
set -uo pipefail
source "$(dirname "$0")/setup.sh"
vl_install_deps || { echo "0 passed, 1 failed"; exit 1; }
vl_build || { echo "0 passed, 1 failed"; exit 1; }

# A log left by an earlier run must not be counted if this one never starts (no Xvfb, no D-Bus).
rm -f "$top/_build/meson-logs/testlog.json"
xvfb-run -a -s "-screen 0 1280x1024x24" dbus-run-session -- \
  meson test -C "$top/_build" --print-errorlogs --num-processes 2 "$@"
rc=$?
# meson prints its summary on stdout; count from the JSON log so the line is exact.
passed=$(/usr/bin/python3 - "$top/_build/meson-logs/testlog.json" <<'PY'
import json, os, sys
p = f = s = 0
if os.path.exists(sys.argv[1]):
    lines = open(sys.argv[1]).readlines()
else:
    lines, f = [], 1  # meson test never ran: that is a failure, not "0 failed"
for line in lines:
    r = json.loads(line)
    res = r.get("result")
    if res in ("OK", "EXPECTEDFAIL"): p += 1
    elif res == "SKIP": s += 1
    else: f += 1
print(p, f, s)
PY
)
read -r p f s <<<"$passed"
: "${p:=0}" "${f:=1}" "${s:=0}"  # no counts at all (an unreadable log) is a failure too
# The Xen tier (a real Xen dom0 booted under QEMU, 4-5 minutes on 2 cores): with VIRTLAB_XEN=1, and in
# CI (CI=true) unless VIRTLAB_XEN=0. It needs root and Debian's apt mirror, as the rest does.
xen=${VIRTLAB_XEN:-}
[ -z "$xen" ] && [ "${CI:-}" = "true" ] && xen=1
if [ "${xen:-0}" = "1" ]; then
  VIRTLAB="$top/_build/src/virtlab" bash "$top/tests/xen/run-xen-tests.sh" | tee "$top/_build/meson-logs/xen-tier.txt"
  [ "${PIPESTATUS[0]}" -eq 0 ] || rc=1
  read -r xp _ xf _ < <(tail -n1 "$top/_build/meson-logs/xen-tier.txt")
  p=$(( ${p:-0} + ${xp:-0} )); f=$(( ${f:-0} + ${xf:-1} ))
fi
# The install tier (the app's KVM and Xen plans run by its helper in a Debian 12 machine booted under
# QEMU, which restarts into Xen): with VIRTLAB_INSTALL=1 only. Not yet on by itself in CI: under
# emulation on the shared 2-core machine the Xen plan's package step alone took 36 min and the KVM
# test 50 min, beyond CI's 30-minute budget (README, "The install tier").
inst=${VIRTLAB_INSTALL:-0}
if [ "${inst:-0}" = "1" ]; then
  VIRTLAB="$top/_build/src/virtlab" bash "$top/tests/install/run-install-tests.sh" | tee "$top/_build/meson-logs/install-tier.txt"
  [ "${PIPESTATUS[0]}" -eq 0 ] || rc=1
  read -r inp _ inf _ < <(tail -n1 "$top/_build/meson-logs/install-tier.txt")
  p=$(( ${p:-0} + ${inp:-0} )); f=$(( ${f:-0} + ${inf:-1} ))
fi
# The exit status agrees with the summary line (meson exits 0 when no test ran).
[ "${f:-1}" -gt 0 ] && [ $rc -eq 0 ] && rc=1
if [ "${s:-0}" -gt 0 ]; then
  echo "${p:-0} passed, ${f:-0} failed, ${s} skipped"
else
  echo "${p:-0} passed, ${f:-0} failed"
fi
exit $rc
