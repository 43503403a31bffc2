# SPDX-License-Identifier: GPL-3.0-or-later
# Sourced by the benchmark tier's shell tests (tests/benchmarks/test-bench-embed.sh, test-bench-image.sh,
# test-bench-kernel.sh):
# numbered TAP checks that count the failures, and the end of QEMU processes a run left in the test's
# folder (each one a failure: a run must leave none).
failures=0
n=0
check() {  # check DESCRIPTION CONDITION [DETAIL]: CONDITION is eval'd; DETAIL is shown when it fails
  n=$((n + 1))
  if eval "$2"; then
    echo "ok $n - $1"
  else
    echo "not ok $n - $1"
    [ -n "${3:-}" ] && printf '%s\n' "$3" | sed 's/^/# /'
    failures=$((failures + 1))
  fi
}
end_qemu_under() {  # end_qemu_under DIR: ends each QEMU whose command line names DIR, by its PID
  local pid
  for pid in $(pgrep -f "qemu-system.*$1" 2>/dev/null); do
    echo "# ending QEMU $pid left behind in $1" >&2
    kill "$pid" 2>/dev/null
    failures=$((failures + 1))
  done
}
