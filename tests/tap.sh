# SPDX-License-Identifier: GPL-3.0-or-later
# TAP for the shell tests (meson runs them with protocol: 'tap', so a skip shows as a skip).
# Source it, then: check NAME EXPR | tap_echo "ok - …"/"not ok - …" | skip NAME REASON |
# skip_all REASON | on_exit CMD (instead of trap … EXIT). The plan is printed when the script ends,
# and a script that fails without saying what failed says so.
tap_n=0
tap_failed=0
tap_done=0
fail=0
tap_cleanup=()

tap_echo() {
  tap_n=$((tap_n + 1))
  case "$1" in "not ok"*) tap_failed=1 ;; esac
  echo "$@"
}
check() {
  if eval "$2"; then tap_echo "ok - $1"; else tap_echo "not ok - $1"; fail=1; fi
}
skip() { tap_echo "ok - $1 # SKIP $2"; }
skip_all() { echo "1..0 # SKIP $1"; tap_done=1; exit 0; }
on_exit() { tap_cleanup+=("$1"); }

_tap_exit() {
  local rc=$? c
  for c in "${tap_cleanup[@]}"; do eval "$c"; done
  [ "$tap_done" -eq 1 ] && exit "$rc"
  if [ "$rc" -ne 0 ] && [ "$tap_failed" -eq 0 ]; then
    tap_echo "not ok - the script ended with status $rc"
  fi
  [ "$tap_n" -eq 0 ] && tap_echo "not ok - the script checked nothing"
  echo "1..$tap_n"
  exit "$rc"
}
trap _tap_exit EXIT
