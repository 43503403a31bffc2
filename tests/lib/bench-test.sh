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
# bench_embed_setup NAME: what a test of real guests on the embedded driver starts with. Sets top,
# virtlab, schema, work (a new folder, removed at exit with any QEMU left in it: a failure) and root
# (the embedded driver's root in it); the image cache stays the user's (it is the expensive part),
# everything else (HOME, XDG_DATA_HOME) goes in $work. Exits 77 (skipped) when the benchmark image
# cannot be built here.
bench_embed_setup() {
  local out
  top=${VL_TOP_SRCDIR:?}
  virtlab=${VIRTLAB:?}
  schema=$top/tests/results/schema/pts-result-file.xsd
  export VL_BENCH_DATA_DIR=$top/data/bench
  export XDG_CACHE_HOME=${XDG_CACHE_HOME:-$HOME/.cache}
  work=$(mktemp -d "${TMPDIR:-/tmp}/vl-$1-XXXXXX")
  root=$work/embed
  export XDG_DATA_HOME=$work/data HOME=$work/home
  mkdir -p "$HOME"
  trap 'end_qemu_under "$work/embed"; rm -rf "$work"' EXIT
  if ! out=$(bash "$VL_BENCH_DATA_DIR/vl-bench-image.sh" --check 2>&1); then
    echo "1..0 # SKIP the benchmark image cannot be built here: $out"
    exit 77
  fi
}
