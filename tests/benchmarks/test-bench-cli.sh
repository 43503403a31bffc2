#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# `virtlab --run-benchmarks` refuses bad input with a clear message and exit status 2, before it
# creates anything (no guest, no work folder). Needs no guest image: nothing gets that far.
set -u
virtlab=${VIRTLAB:?}
work=$(mktemp -d "${TMPDIR:-/tmp}/vl-bench-cli-XXXXXX")
trap 'rm -rf "$work"' EXIT
export XDG_DATA_HOME=$work/data HOME=$work/home VL_BENCH_DATA_DIR=$work/no-such-dir
mkdir -p "$HOME"
n=0
failures=0

refused() {  # refused DESCRIPTION EXPECTED-TEXT ARGS…
  local what=$1 expect=$2 out status
  shift 2
  out=$("$virtlab" "$@" 2>&1 >/dev/null)
  status=$?
  n=$((n + 1))
  if [ $status -eq 2 ] && [[ "$out" == *"$expect"* ]]; then
    echo "ok $n - $what"
  else
    echo "not ok $n - $what (status $status): $out"
    failures=$((failures + 1))
  fi
  # every line of the message as a TAP comment (libvirt's own log lines come on several lines)
  printf '%s\n' "$out" | grep -v ' info : \| warning : ' | sed 's/^/# /'
}

refused "no configuration" "needs one or more --config" --run-benchmarks
refused "an unknown mode" "names no mode Virtlab knows" --run-benchmarks --config test:///default,vmware
refused "two configurations with one name" "Two configurations have the same name “A”" \
  --run-benchmarks --config test:///default,qemu-tcg,A --config test:///default,kvm-hvm,A
refused "an unknown profile" "Unknown profile “huge”" --run-benchmarks --config test:///default,qemu-tcg --profile huge
refused "runs out of range" "--runs must be from 1 to 100, not 101" --run-benchmarks --config test:///default,qemu-tcg --runs 101
refused "no runs (0 is not read as \"not given\")" "--runs must be from 1 to 100, not 0" \
  --run-benchmarks --config test:///default,qemu-tcg --runs 0
refused "runs that are not a number" "--runs must be a whole number, not “three”" \
  --run-benchmarks --config test:///default,qemu-tcg --runs three
refused "no vCPUs" "at least 1 vCPU" --run-benchmarks --config test:///default,qemu-tcg --vcpus 0
refused "a negative memory size" "--memory must be a whole number, not “-5”" \
  --run-benchmarks --config test:///default,qemu-tcg --memory -5
refused "an unknown test" "There is no benchmark test “nope”" \
  --run-benchmarks --config test:///default,qemu-tcg --tests fio_seq_write,nope
refused "a mode the connection cannot run" "cannot run QEMU (TCG, no acceleration) guests" \
  --run-benchmarks --config test:///default,qemu-tcg
refused "a connection that fails" "cannot connect to qemu+unix:///system?socket=$work/none" \
  --run-benchmarks --config "qemu+unix:///system?socket=$work/none,kvm-hvm"
refused "an empty storage pool name" "--pool needs the name of a storage pool" \
  --run-benchmarks --config "qemu:///embed?root=$work/embed,qemu-tcg" --pool ""
refused "a storage pool that does not exist (before the image is looked at)" \
  "The storage pool “nosuch” does not exist on qemu:///embed?root=$work/embed" \
  --run-benchmarks --config "qemu:///embed?root=$work/embed,qemu-tcg" --pool nosuch
refused "an embedded root that is not absolute" "names no root folder" --run-benchmarks --config "qemu:///embed,qemu-tcg"
refused "more memory than the host has" "not enough for a guest of 99999999 MiB" \
  --run-benchmarks --config "qemu:///embed?root=$work/embed,qemu-tcg" --memory 99999999
refused "no image script (Virtlab not installed completely)" "The benchmark image script" \
  --run-benchmarks --config "qemu:///embed?root=$work/embed,qemu-tcg"
refused "the study profile with a scratch disk too small for its 4 GiB files" \
  "with these tests it needs at least 7680 MiB, not 512 MiB" \
  --run-benchmarks --config "qemu:///embed?root=$work/embed,qemu-tcg" --profile study --scratch-size 512
refused "the study profile with too little memory for mbw's two 1 GiB arrays" \
  "the guests need at least 2560 MiB of memory, not 1024 MiB" \
  --run-benchmarks --config "qemu:///embed?root=$work/embed,qemu-tcg" --profile study --memory 1024
refused "the study profile alone raises memory and scratch disk by itself (it gets as far as the image)" \
  "The benchmark image script" --run-benchmarks --config "qemu:///embed?root=$work/embed,qemu-tcg" --profile study
refused "a benchmark option without --run-benchmarks" "--runs only goes with --run-benchmarks" --runs 3

n=$((n + 1))
if [ -z "$(ls -A "$XDG_DATA_HOME/virtlab/bench-work" 2>/dev/null)" ] &&
   [ -z "$(virsh -c "qemu:///embed?root=$work/embed" list --all --name 2>/dev/null | awk NF)" ]; then
  echo "ok $n - nothing was created"
else
  echo "not ok $n - something was left behind"
  failures=$((failures + 1))
fi
echo "1..$n"
[ $failures -eq 0 ]
