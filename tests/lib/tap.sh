# SPDX-License-Identifier: GPL-3.0-or-later
# Sourced by the test machine tiers' libraries (tests/xen/lib.sh, tests/install/lib.sh): one "ok -" or
# "not ok -" line per check, the verdict at the end, and seconds.
failures=0
ok() { echo "ok - $*"; }
not_ok() { echo "not ok - $*"; failures=$((failures + 1)); }
check() {  # check DESCRIPTION COMMAND...: ok when the command succeeds
  local what=$1; shift
  if "$@"; then ok "$what"; else not_ok "$what"; fi
}
contains() { grep -qE -- "$2" <<<"$1"; }   # contains TEXT REGEX
now() { date +%s.%N; }
since() { awk -v a="$(date +%s.%N)" -v b="$1" 'BEGIN { printf "%.1f", a - b }'; }   # seconds since $1
finish() {
  if [ "$failures" -eq 0 ]; then echo "PASS: $(basename "$0")"; exit 0; fi
  echo "FAIL: $(basename "$0"): $failures check(s) failed"; exit 1
}
