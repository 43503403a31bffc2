#!/bin/bash
# Virtlab's benchmark runner: PID 1 of the benchmark guest (init=/usr/lib/virtlab/runner).
#
# Reads its settings from the kernel command line:
#   vl.profile=quick|study   the sizes of the tests
#   vl.runs=N                how many times each test runs (3 by default)
#   vl.scratch=DEV           the scratch disk (vdb, xvdb…): formatted, the disk tests run on it
#   vl.results=DEV           the raw results disk (vdc, xvdc…): written from offset 0
#   vl.tests=a,b,…           only these tests (all of the profile by default)
# Prints one progress line per test run on /dev/console ("VLBENCH …"), writes every figure and the
# tail of every tool's output to the results disk after each test (so a guest stopped midway keeps
# what it did), then powers off through sysrq (the domain needs <acpi/>).
#
# The results disk: one header line "VLBENCH1 LENGTH SHA256\n", then LENGTH bytes of records, each
#   "NAME SIZE\n" + SIZE bytes + "\n"
# Names: format, fact.*, test.T.{title,unit,proportion,category,description,arguments,package,version},
# run.T.I.{value,error,seconds,output}, and status (running, complete).
export LC_ALL=C PATH=/usr/sbin:/usr/bin:/sbin:/bin
umask 022

mount -t proc proc /proc 2>/dev/null
mount -t sysfs sysfs /sys 2>/dev/null
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mount -t tmpfs -o size=256m tmpfs /tmp 2>/dev/null
mkdir -p /tmp/vl
exec </dev/null

say() { echo "VLBENCH $*" >/dev/console; }
power_off() {
  sync
  echo o >/proc/sysrq-trigger
  sleep 30
  # Without <acpi/> the guest only halts: say so, a person reading the console knows why.
  say "error power-off-failed the domain needs <features><acpi/></features>"
  while :; do sleep 3600; done
}

arg() {  # $1 = name; prints the value of vl.NAME= on the kernel command line
  local word
  for word in $(cat /proc/cmdline); do
    case "$word" in "vl.$1="*) echo "${word#vl.$1=}"; return ;; esac
  done
}

profile=$(arg profile); profile=${profile:-quick}
runs=$(arg runs); runs=${runs:-3}
scratch_dev=/dev/$(arg scratch)
results_dev=/dev/$(arg results)
only=$(arg tests)
case "$runs" in ''|*[!0-9]*|0) runs=3 ;; esac

payload=/tmp/vl/payload
: >"$payload"
rec() {  # $1 = name, $2 = data (bytes; LC_ALL=C makes ${#} count bytes)
  printf '%s %d\n%s\n' "$1" "${#2}" "$2" >>"$payload"
}
flush() {
  local len sum
  len=$(stat -c %s "$payload")
  sum=$(sha256sum "$payload" | cut -d' ' -f1)
  { printf 'VLBENCH1 %d %s\n' "$len" "$sum"; cat "$payload"; } >/tmp/vl/disk
  dd if=/tmp/vl/disk of="$results_dev" bs=64k conv=fsync,notrunc status=none 2>/dev/null ||
    say "error results-disk cannot write $results_dev"
}

if [ ! -b "$results_dev" ]; then
  say "error no-results-disk $results_dev is not a block device"
  power_off
fi

# The scratch file system is made while the facts are read and the tests defined (the second vCPU
# does it): under software emulation it took seconds, none of them the tests'.
mkfs.ext4 -q -F -i 65536 -E lazy_itable_init=0,lazy_journal_init=0 "$scratch_dev" >/tmp/vl/mkfs 2>&1 &
mkfs_pid=$!

# ---- the guest's facts ------------------------------------------------------------------------
cpus=$(grep -c '^processor' /proc/cpuinfo)
rec format 1
rec fact.profile "$profile"
rec fact.runs "$runs"
rec fact.cpu_model "$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1)"
rec fact.vcpus "$cpus"
rec fact.memory_kib "$(awk '/^MemTotal:/ {print $2}' /proc/meminfo)"
rec fact.kernel "$(uname -r)"
rec fact.arch "$(uname -m)"
rec fact.os "$(. /etc/os-release && echo "$PRETTY_NAME")"
# What the guest sees: Xen tells it in /sys/hypervisor; the CPUID leaf is in the kernel's log.
rec fact.hypervisor_sys "$(cat /sys/hypervisor/type 2>/dev/null)"
rec fact.xen_guest_type "$(cat /sys/hypervisor/guest_type 2>/dev/null)"
rec fact.hypervisor_cpuid "$(dmesg 2>/dev/null | sed -n 's/.*Hypervisor detected: //p' | head -n1)"
rec fact.cpuid_hypervisor_flag "$(grep -qw hypervisor /proc/cpuinfo && echo yes || echo no)"
rec fact.scratch_bytes "$(blockdev --getsize64 "$scratch_dev" 2>/dev/null)"
rec status running
flush
say "start profile=$profile runs=$runs cpus=$cpus"

# ---- the profiles -----------------------------------------------------------------------------
if [ "$profile" = study ]; then
  cpu_seconds=60; mem_seconds=30; mbw_mib=1024; dbench_clients=128; dbench_seconds=120
  fio_size=4096M; fio_rand_size=1024M; fio_rand_seconds=60; video_seconds=60; audio_seconds=600
  kernel_target=vmlinux; kernel_what="the whole kernel (vmlinux)"
else
  cpu_seconds=5; mem_seconds=3; mbw_mib=64; dbench_clients=4; dbench_seconds=8
  fio_size=64M; fio_rand_size=32M; fio_rand_seconds=5; video_seconds=5; audio_seconds=20
  # A small part of the tree: kernel/time/ (24 objects) took 403 s under software emulation with 2
  # vCPUs (host load 7, objtool rebuilt too); kernel/printk/ takes about half of its native time. A
  # top-level make's own work (1.2-1.8 s natively) is most of what remains under TCG.
  kernel_target=kernel/printk/; kernel_what="only kernel/printk/ (printk and its ring buffer, 4 objects)"
fi
# Threads as many as vCPUs, as the study's tests used all of a guest's processors.
threads=$cpus

# The versions dpkg-query gave when the image was built (dpkg-query here takes a second each under TCG).
version_of() { sed -n "s/^$1=//p" /usr/lib/virtlab/packages 2>/dev/null | head -n1; }

# define ID CATEGORY PACKAGE PROPORTION UNIT TITLE DESCRIPTION ARGUMENTS
# The result's identifier is virtlab/PROFILE, PROFILE a PTS-like name that says the category.
declare -A profile_of=(
  [kernel_build]=build-linux-kernel
  [sysbench_cpu]=sysbench-cpu
  [ffmpeg]=ffmpeg
  [wavpack]=wavpack
  [mem_cache_read]=sysbench-memory
  [mem_cache_write]=sysbench-memory
  [mbw_memcpy]=mbw
  [mem_ram_read]=sysbench-memory
  [mem_ram_write]=sysbench-memory
  [dbench]=dbench
  [fio_seq_write]=fio
  [fio_seq_read]=fio
  [fio_rand_read]=fio
)
define() {
  rec "test.$1.profile" "${profile_of[$1]}"
  rec "test.$1.category" "$2"
  rec "test.$1.package" "$3"
  rec "test.$1.version" "$(version_of "$3")"
  rec "test.$1.proportion" "$4"
  rec "test.$1.unit" "$5"
  rec "test.$1.title" "$6"
  rec "test.$1.description" "$7"
  rec "test.$1.arguments" "$8"
}

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }

# run_test ID: runs measure_ID $runs times; each prints the figure on its last stdout line, or fails.
run_test() {
  local id=$1 i start end value status
  for i in $(seq 1 "$runs"); do
    say "run $id $i/$runs"
    start=$(now)
    value=$("measure_$id" 2>/tmp/vl/err >/tmp/vl/out; status=$?; tail -n1 /tmp/vl/figure 2>/dev/null; exit $status)
    status=$?
    end=$(now)
    rm -f /tmp/vl/figure
    rec "run.$id.$i.seconds" "$(elapsed "$start" "$end")"
    rec "run.$id.$i.output" "$(cat /tmp/vl/out /tmp/vl/err 2>/dev/null | tail -c 3000)"
    if [ "$status" -eq 0 ] && [[ "$value" =~ ^[0-9]+(\.[0-9]+)?$ ]] && [ "$value" != 0 ] &&
       ! [[ "$value" =~ ^0+(\.0+)?$ ]]; then
      rec "run.$id.$i.value" "$value"
      say "done $id $i/$runs $value"
    else
      local reason
      if [ "$status" -ne 0 ]; then
        reason="exited with status $status: $(tail -n1 /tmp/vl/err 2>/dev/null)"
      else
        reason="printed no figure (got “$value”)"
      fi
      rec "run.$id.$i.error" "$reason"
      say "failed $id $i/$runs $reason"
    fi
  done
  flush
}
figure() { echo "$1" >/tmp/vl/figure; }

# Each measure_* runs its tool, sends the tool's output to stdout/stderr and the figure to figure().
measure_sysbench_cpu() {
  sysbench cpu --threads="$threads" --time="$cpu_seconds" run || return
  figure "$(sed -n 's/^ *events per second: *//p' /tmp/vl/out)"
}
sysbench_memory() {  # $1 block size, $2 read|write
  sysbench memory --threads="$threads" --time="$mem_seconds" --memory-block-size="$1" \
    --memory-total-size=100T --memory-oper="$2" --memory-access-mode=seq run || return
  figure "$(sed -n 's/.*MiB transferred (\([0-9.]*\) MiB\/sec).*/\1/p' /tmp/vl/out)"
}
measure_mem_cache_read() { sysbench_memory 16K read; }
measure_mem_cache_write() { sysbench_memory 16K write; }
measure_mem_ram_read() { sysbench_memory 1M read; }
measure_mem_ram_write() { sysbench_memory 1M write; }
measure_mbw_memcpy() {
  mbw -q -n 3 -t0 "$mbw_mib" || return
  figure "$(awk '/^AVG/ && /MEMCPY/ { for (i = 1; i <= NF; i++) if ($i == "Copy:") print $(i+1) }' /tmp/vl/out)"
}
timed() {  # runs "$@", and makes its wall time in seconds the figure
  local start end
  start=$(now)
  "$@" || return
  end=$(now)
  figure "$(elapsed "$start" "$end")"
}
measure_ffmpeg() {
  timed ffmpeg -nostdin -hide_banner -loglevel error -f lavfi \
    -i "testsrc2=duration=$video_seconds:size=640x360:rate=25" -threads "$threads" -c:v mpeg2video -q:v 4 \
    -f null -
}
measure_wavpack() {
  [ -f /tmp/vl/in.wav ] || ffmpeg -nostdin -hide_banner -loglevel error -f lavfi \
    -i "sine=frequency=440:duration=$audio_seconds:sample_rate=44100" -ac 2 /tmp/vl/in.wav || return
  rm -f /tmp/vl/out.wv
  timed wavpack -q -y -hhx3 /tmp/vl/in.wav -o /tmp/vl/out.wv
}
# The kernel: the tree the image built (vl-bench-image.sh: linux-source-6.1 unpacked, `make
# defconfig` and `make prepare` into kernel-build), read-only on the root. Untimed, as PTS's install
# phase: a fresh copy of the prepared output folder on the scratch disk and the sources read once
# into the page cache. Timed: `make -jN` of the profile's target, N the vCPUs.
kernel_src=/usr/src/linux-source-6.1
kernel_prepared=/usr/lib/virtlab/kernel-build
measure_kernel_build() {
  [ -r "$kernel_src/Makefile" ] && [ -r "$kernel_prepared/.config" ] ||
    { echo "linux-source-6.1 is not installed in this image" >&2; return 1; }
  need_scratch || return
  rm -rf /scratch/kernel-build
  cp -a "$kernel_prepared" /scratch/kernel-build || return
  if [ "$kernel_target" != vmlinux ]; then
    find "$kernel_src/include" "$kernel_src/arch/x86/include" "$kernel_src/$kernel_target" -type f \
      -exec cat {} + >/dev/null
  fi
  timed make -s -C "$kernel_src" O=/scratch/kernel-build -j"$threads" "$kernel_target"
}
need_scratch() {
  [ "$scratch_ok" = 1 ] || { echo "the scratch disk $scratch_dev could not be prepared" >&2; return 1; }
}
fio_terse() {  # $1 = field (7: read KiB/s, 48: write KiB/s), rest = fio arguments
  local field=$1
  shift
  need_scratch || return
  fio --output-format=terse --terse-version=3 --group_reporting "$@" || return
  figure "$(awk -F';' -v f="$field" 'NF > 50 { printf "%.3f\n", $f / 1024 }' /tmp/vl/out | tail -n1)"
}
measure_fio_seq_write() {
  fio_terse 48 --name=seqwrite --filename=/scratch/fio-seq --rw=write --bs=1M --size="$fio_size" \
    --direct=1 --ioengine=psync --end_fsync=1
}
measure_fio_seq_read() {
  [ -f /scratch/fio-seq ] || measure_fio_seq_write >/dev/null || return
  fio_terse 7 --name=seqread --filename=/scratch/fio-seq --rw=read --bs=1M --size="$fio_size" \
    --direct=1 --ioengine=psync
}
measure_fio_rand_read() {
  fio_terse 7 --name=randread --filename=/scratch/fio-rand --rw=randread --bs=4k --size="$fio_rand_size" \
    --numjobs=32 --thread --direct=1 --ioengine=psync --time_based --runtime="$fio_rand_seconds"
}
measure_dbench() {
  need_scratch || return
  mkdir -p /scratch/dbench
  dbench -c /usr/share/dbench/client.txt -D /scratch/dbench -t "$dbench_seconds" "$dbench_clients" || return
  figure "$(sed -n 's/^Throughput \([0-9.]*\) MB\/sec.*/\1/p' /tmp/vl/out | tail -n1)"
}

define kernel_build cpu linux-source-6.1 LIB "Seconds" "Linux kernel build" \
  "make -j$threads $kernel_target of Linux 6.1 (linux-source-6.1, x86-64 defconfig, gcc): $kernel_what. Stands in for: Timed Linux Kernel Compilation (PTS)" \
  "defconfig -j$threads $kernel_target"
define sysbench_cpu cpu sysbench HIB "Events/s" "sysbench CPU" \
  "sysbench cpu (prime numbers), $threads threads, ${cpu_seconds} s. A processor figure of its own (no test of the study)" \
  "cpu --threads=$threads --time=$cpu_seconds"
define ffmpeg cpu ffmpeg LIB "Seconds" "FFmpeg transcode" \
  "ffmpeg: ${video_seconds} s of lavfi testsrc2 640x360 to MPEG-2. Stands in for: FFmpeg (PTS)" \
  "testsrc2 ${video_seconds}s 640x360 mpeg2video"
define wavpack cpu wavpack LIB "Seconds" "WavPack audio encoding" \
  "wavpack -hhx3 of ${audio_seconds} s of generated stereo WAV. Stands in for: WavPack Audio Encoding (PTS)" \
  "-hhx3 ${audio_seconds}s"
define mem_cache_read memory sysbench HIB "MiB/s" "sysbench memory 16 KiB read" \
  "sysbench memory, 16 KiB block (cache sized), read. Stands in for: CacheBench read" "--memory-block-size=16K --memory-oper=read"
define mem_cache_write memory sysbench HIB "MiB/s" "sysbench memory 16 KiB write" \
  "sysbench memory, 16 KiB block (cache sized), write. Stands in for: CacheBench write" "--memory-block-size=16K --memory-oper=write"
define mbw_memcpy memory mbw HIB "MiB/s" "mbw memcpy" \
  "mbw memcpy of ${mbw_mib} MiB. Stands in for: CacheBench read-modify-write" "-n 3 -t0 $mbw_mib"
define mem_ram_read memory sysbench HIB "MiB/s" "sysbench memory 1 MiB read" \
  "sysbench memory, 1 MiB block, read. Stands in for: RAMspeed integer" "--memory-block-size=1M --memory-oper=read"
define mem_ram_write memory sysbench HIB "MiB/s" "sysbench memory 1 MiB write" \
  "sysbench memory, 1 MiB block, write. Stands in for: RAMspeed floating point" "--memory-block-size=1M --memory-oper=write"
define dbench disk dbench HIB "MB/s" "dbench" \
  "dbench 4.0, $dbench_clients clients, ${dbench_seconds} s, packaged client load. Stands in for: dbench 128 clients" \
  "-t $dbench_seconds $dbench_clients"
define fio_seq_write disk fio HIB "MiB/s" "fio sequential write" \
  "fio sequential write, 1 MiB blocks, $fio_size, direct. Stands in for: IOzone 1 MB records write" \
  "--rw=write --bs=1M --size=$fio_size --direct=1"
define fio_seq_read disk fio HIB "MiB/s" "fio sequential read" \
  "fio sequential read, 1 MiB blocks, $fio_size, direct. Stands in for: IOzone 1 MB records read" \
  "--rw=read --bs=1M --size=$fio_size --direct=1"
define fio_rand_read disk fio HIB "MiB/s" "fio random read, 32 threads" \
  "fio 4 KiB random read, 32 threads, $fio_rand_size. Stands in for: Threaded I/O random read, 32 threads" \
  "--rw=randread --bs=4k --numjobs=32 --size=$fio_rand_size"
flush

# ---- the scratch disk -------------------------------------------------------------------------
scratch_ok=1
if ! wait "$mkfs_pid" || ! mkdir -p /scratch || ! out=$(mount -t ext4 "$scratch_dev" /scratch 2>&1); then
  scratch_ok=0
  out=${out:-$(cat /tmp/vl/mkfs 2>/dev/null)}
  rec fact.scratch_error "${out:-cannot prepare $scratch_dev}"
  say "error scratch $scratch_dev: $out"
fi

all_tests=(kernel_build sysbench_cpu ffmpeg wavpack mem_cache_read mem_cache_write mbw_memcpy mem_ram_read mem_ram_write
           dbench fio_seq_write fio_seq_read fio_rand_read)
selected=()
for t in "${all_tests[@]}"; do
  if [ -z "$only" ] || [[ ",$only," == *",$t,"* ]]; then
    selected+=("$t")
    rec "test.$t.selected" yes
  fi
done
flush
for t in "${selected[@]}"; do
  run_test "$t"
done

umount /scratch 2>/dev/null
rec status complete
flush
say "complete"
power_off
