#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Integration test of `virtlab --run-benchmarks` on the embedded QEMU driver (TCG), real guests:
#   1. two configurations: the file validates against PTS's schema, Virtlab's loader reads it back,
#      CPU, memory and disk results have positive values for both systems; nothing is left behind;
#   2. a test that fails inside the guest (fio on a too small scratch disk) is a failed run, a guest
#      that writes garbage to its results disk and one that never finishes each end as a clear error
#      of their own configuration, and the good configuration's results are kept;
#   3. cancel (SIGINT) in the middle leaves no guest and no disk.
# The guest image is built once and cached by its inputs (data/bench/vl-bench-image.sh) in
# ${XDG_CACHE_HOME:-~/.cache}/virtlab/bench-image. Exit 77 (skipped) when it cannot be built here.
set -u

# top, virtlab, schema, work, root; check and end_qemu_under: the tier's shared shell functions.
source "${VL_TOP_SRCDIR:?}/tests/lib/bench-test.sh"
bench_embed_setup bench-embed

# The values of system $2 in the CSV that Virtlab's own loader makes of result file $1, one line
# per result: "CATEGORY<TAB>TITLE<TAB>VALUE".
values_of() {
  local csvdir=$work/csv-$RANDOM
  "$virtlab" --export-charts "$csvdir" --format csv "$1" >/dev/null || return 1
  /usr/bin/python3 - "$csvdir/results.csv" "$2" <<'EOF'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8")))
col = rows[0].index(sys.argv[2])
for r in rows[1:]:
    print("%s\t%s\t%s" % (r[4], r[0], r[col]))
EOF
}
positive_in() {  # positive_in VALUES CATEGORY: at least one, and every value of CATEGORY > 0
  awk -F'\t' -v c="$2" '$1 == c { n++; if (!($3 + 0 > 0)) bad++ } END { exit !(n > 0 && bad == 0) }' <<<"$1"
}
leftovers() {  # leftovers [ROOT DATA]: guests still defined or running on the root, work folders: none expected
  virsh -c "qemu:///embed?root=${1:-$root}" list --all --name 2>/dev/null | awk 'NF'
  ls -d "${2:-$XDG_DATA_HOME}"/virtlab/bench-work/run-* 2>/dev/null
}

# Run 2 starts first, on its own root and data folder, and runs beside runs 1 and 3: its first guest
# never finishes and only waits for its time budget (an idle guest), so that wait overlaps them
# instead of adding to the suite (the CI budget). The budget (90 s) leaves its good guest, which
# boots beside run 1's, about twice what it needs.
echo "# 2 (started now, checked after 1 and 3). a failing test, a garbage results disk, a guest that never finishes"
root2=$work/embed2
start2=$(date +%s)
# The good guest writes what SeaBIOS's serial console writes on Xen HVM (terminal escapes, no newline)
# before the runner starts: its first runner line must still be seen (its boot time was read 0.0 s).
XDG_DATA_HOME=$work/data2 VL_BENCH_CONSOLE_LOG=$work VL_BENCH_TEST_CMDLINE="Garbage=init=/usr/bin/dd -- if=/dev/urandom of=/dev/vdc bs=64k count=16 oflag=direct;Hang=init=/usr/bin/sleep -- 100000;Good=init=/bin/bash -- -c \"printf '\\033c\\033[?7l\\033[2J' >/dev/console && exec /usr/lib/virtlab/runner\"" \
"$virtlab" --run-benchmarks --config "qemu:///embed?root=$root2,qemu-tcg,Hang" \
  --config "qemu:///embed?root=$root2,qemu-tcg,Good" --config "qemu:///embed?root=$root2,qemu-tcg,Garbage" \
  --runs 1 --tests sysbench_cpu,fio_seq_write --scratch-size 64 --time-budget 90 \
  --output "$work/failures.xml" >"$work/run2.out" 2>"$work/run2.err" &
pid2=$!

echo "# 1. two configurations, quick profile"
start=$(date +%s)
"$virtlab" --run-benchmarks --config "qemu:///embed?root=$root,qemu-tcg,TCG-A" \
  --config "qemu:///embed?root=$root,qemu-tcg,TCG-B" --runs 1 \
  --tests sysbench_cpu,mem_ram_read,fio_seq_write \
  >"$work/run1.out" 2>"$work/run1.err"
status=$?
sed 's/^/# /' "$work/run1.out"
grep -v ' info : \| warning : ' "$work/run1.err" | sed 's/^/# stderr: /'
echo "# run 1 took $(( $(date +%s) - start )) s"
saved=$(sed -n 's/^Result file: //p' "$work/run1.out")
pts=$(sed -n 's/^For the Phoronix Test Suite: //p' "$work/run1.out")
check "run 1 exits 0" '[ $status -eq 0 ]'
check "the file is saved in the data folder" '[[ "$saved" == "$XDG_DATA_HOME/virtlab/benchmarks/"*.xml ]] && [ -f "$saved" ]'
check "and where PTS looks" '[[ "$pts" == "$HOME/.phoronix-test-suite/test-results/"*/composite.xml ]] && cmp -s "$saved" "$pts"'
check "it validates against PTS's result-file schema" 'xmllint --noout --nonet --schema "$schema" "$saved" 2>/dev/null'
a=$(values_of "$saved" TCG-A); b=$(values_of "$saved" TCG-B)
echo "$a" | sed 's/^/# TCG-A: /'
echo "$b" | sed 's/^/# TCG-B: /'
for sys in a b; do
  for cat in cpu memory disk; do
    check "Virtlab reads back positive $cat values for TCG-${sys^^}" "positive_in \"\$$sys\" $cat"
  done
done
check "each system's facts come from its guest" 'grep -q "<Hardware>Processor: QEMU Virtual CPU" "$saved" && grep -q "Debian GNU/Linux 12" "$saved"'
check "AppVersion is the Debian package version" 'grep -q "<AppVersion>3\.33-" "$saved"'
check "progress came through the console, one line per test run" '[ "$(grep -c ": run fio_seq_write 1/1" "$work/run1.out")" -eq 2 ]'
check "no guest and no disk is left" '[ -z "$(leftovers)" ]'

echo "# 3. cancel in the middle (beside run 2)"
"$virtlab" --run-benchmarks --config "qemu:///embed?root=$root,qemu-tcg,Cancelled" --runs 1 \
  --output "$work/cancelled.xml" >"$work/run3.out" 2>"$work/run3.err" &
pid=$!
for _ in $(seq 1 1500); do
  grep -q "Cancelled: start profile" "$work/run3.out" 2>/dev/null && break
  sleep 0.2
done
running=$(pgrep -fc "qemu-system.*$root/")
kill -INT "$pid"
wait "$pid"
status=$?
sed 's/^/# /' "$work/run3.out"
grep -v ' info : \| warning : ' "$work/run3.err" | sed 's/^/# stderr: /'
check "the guest was running when cancelled" '[ "$running" -ge 1 ]'
check "cancel exits 1 with a clear message" '[ $status -eq 1 ] && grep -q "Cancelling" "$work/run3.err"'
check "cancel leaves no guest, no disk and no QEMU" '[ -z "$(leftovers)" ] && ! pgrep -f "qemu-system.*$root/" >/dev/null'

echo "# 2. a failing test, a garbage results disk, a guest that never finishes"
wait "$pid2"
status=$?
sed 's/^/# /' "$work/run2.out"
grep -v ' info : \| warning : ' "$work/run2.err" | sed 's/^/# stderr: /'
echo "# run 2 took $(( $(date +%s) - start2 )) s (beside run 1)"
check "run 2 exits 1 (some configurations failed)" '[ $status -eq 1 ]'
check "the garbage disk is a clear error of its configuration" \
  'grep -q "configuration “Garbage” failed: The results disk does not hold Virtlab benchmark results" "$work/run2.err"'
check "the guest that never finishes is stopped at its budget" \
  'grep -q "configuration “Hang” failed: The guest did not finish within its time budget of 90 s" "$work/run2.err"'
check "the good configuration has no error" '! grep -q "configuration “Good” failed" "$work/run2.err"'
check "its runner's first line came after the escapes on the same line, and counts (boot time)" \
  'grep -q "^\[ *[0-9.]*\] \\\\033c\\\\033\[?7l\\\\033\[2JVLBENCH start " "$work/Good.console" && grep -q "^Good: start profile=" "$work/run2.out" && ! grep -q "^Timing Good: .* 0\.0 s booting" "$work/run2.out"'
check "the file is written and validates" 'xmllint --noout --nonet --schema "$schema" "$work/failures.xml" 2>/dev/null'
good=$(values_of "$work/failures.xml" Good); garbage=$(values_of "$work/failures.xml" Garbage)
hang=$(values_of "$work/failures.xml" Hang)
echo "$good" | sed 's/^/# Good: /'; echo "$garbage" | sed 's/^/# Garbage: /'; echo "$hang" | sed 's/^/# Hang: /'
check "the good configuration's CPU result is kept" 'positive_in "$good" cpu'
check "fio on a too small disk is a failed run with the reason" \
  'grep -P "^disk\tfio sequential write\tFAILED: run 1: exited with status" <<<"$good" | grep -qi "space"'
check "it is stored the PTS way: empty Value, reason in JSON" \
  'grep -q "<Value></Value>" "$work/failures.xml" && grep -q "\"error\":\"run 1: exited with status 1: fio" "$work/failures.xml"'
check "the failed configurations are in the file, each result failed with its reason" \
  'grep -qP "^cpu\tsysbench CPU\tFAILED: .*does not hold Virtlab" <<<"$garbage" && grep -qP "^cpu\tsysbench CPU\tFAILED: .*time budget of 90 s" <<<"$hang"'
check "the file says it is incomplete" 'grep -q "<Notes>Incomplete" "$work/failures.xml"'
check "no guest and no disk is left" '[ -z "$(leftovers "$root2" "$work/data2")" ]'

echo "# the three runs took $(( $(date +%s) - start2 )) s"
echo "1..$n"
[ "$failures" -eq 0 ]
