#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Integration test of the kernel_build test (the stand-in for PTS's Timed Linux Kernel Compilation)
# in a real guest: `virtlab --run-benchmarks` on the embedded QEMU driver (TCG), one configuration,
# the quick profile's part of linux-source-6.1 built once with make -j2. The result file validates
# against PTS's schema; Virtlab's loader reads back a positive number of seconds; the result says
# what it is (title, unit, fewer is better, AppVersion = linux-source-6.1's Debian version, the
# description names the part of the tree and the PTS test); nothing is left behind.
# Apart from bench-embed, so that its CI list stays as short as it is. Exit 77 (skipped) when the
# benchmark image cannot be built here.
set -u

# top, virtlab, schema, work, root; check and end_qemu_under: the tier's shared shell functions.
source "${VL_TOP_SRCDIR:?}/tests/lib/bench-test.sh"
bench_embed_setup bench-kernel

start=$(date +%s)
"$virtlab" --run-benchmarks --config "qemu:///embed?root=$root,qemu-tcg,TCG" --runs 1 --tests kernel_build \
  --output "$work/kernel.xml" >"$work/run.out" 2>"$work/run.err"
status=$?
sed 's/^/# /' "$work/run.out"
grep -v ' info : \| warning : ' "$work/run.err" | sed 's/^/# stderr: /'
echo "# the run took $(( $(date +%s) - start )) s"
check "the run exits 0" '[ $status -eq 0 ]'
check "the file validates against PTS's result-file schema" \
  'xmllint --noout --nonet --schema "$schema" "$work/kernel.xml" 2>/dev/null'
# The result, as PTS's own fields: one <Result> of the file.
field() { xmllint --xpath "string(/PhoronixTestSuite/Result[1]/$1)" "$work/kernel.xml" 2>/dev/null; }
echo "# Identifier: $(field Identifier); Title: $(field Title); AppVersion: $(field AppVersion)"
echo "# Arguments: $(field Arguments); Scale: $(field Scale); Proportion: $(field Proportion)"
echo "# Description: $(field Description)"
echo "# Value: $(field Data/Entry/Value) RawString: $(field Data/Entry/RawString)"
check "its identifier names PTS's test profile" '[ "$(field Identifier)" = virtlab/build-linux-kernel ]'
check "seconds, fewer is better" '[ "$(field Scale)" = Seconds ] && [ "$(field Proportion)" = LIB ]'
check "AppVersion is linux-source-6.1's Debian version" '[[ "$(field AppVersion)" =~ ^6\.1\.[0-9]+-[0-9]+$ ]]'
check "the description names the part of the tree, make -j2 and the PTS test" \
  'd=$(field Description); [[ "$d" == "make -j2 "*"/ of Linux 6.1 "* ]] && [[ "$d" == *"Stands in for: Timed Linux Kernel Compilation (PTS)" ]]'
# Virtlab's own loader reads the file back (the CSV of --export-charts).
"$virtlab" --export-charts "$work/csv" --format csv "$work/kernel.xml" >/dev/null 2>&1
value=$(/usr/bin/python3 - "$work/csv/results.csv" <<'EOF' 2>/dev/null
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8")))
col = rows[0].index("TCG")
print(next(r[col] for r in rows[1:] if r[0] == "Linux kernel build" and r[4] == "cpu"))
EOF
)
echo "# read back: $value s"
check "Virtlab reads back a positive number of seconds, the same as the file's" \
  'awk -v v="$value" -v f="$(field Data/Entry/Value)" "BEGIN { exit !(v + 0 > 0 && v + 0 == f + 0) }"'
check "progress came through the console" 'grep -q "TCG: run kernel_build 1/1" "$work/run.out"'
check "no guest and no disk is left" \
  '[ -z "$(virsh -c "qemu:///embed?root=$root" list --all --name 2>/dev/null | awk NF)" ] && ! ls -d "$XDG_DATA_HOME"/virtlab/bench-work/run-* >/dev/null 2>&1'

echo "1..$n"
[ "$failures" -eq 0 ]
