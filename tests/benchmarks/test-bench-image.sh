#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# A user who cannot build the benchmark image (no --mode=unshare: not root and no /etc/subuid line)
# uses the one root built into the shared cache (the privileged helper's bench-image step), and is
# told how to get one when there is none:
#   1. the image script, as the user "nobody", prints root's image (the real one of the tests'
#      cache, linked into a shared folder) and builds nothing; --check says it is cached;
#   2. with no image anywhere it refuses (exit 2) and names what is missing;
#   3. `virtlab --run-benchmarks` as that user refuses before anything is created, saying how to get
#      an image (root runs the image script into /var/cache/virtlab/bench-image);
#   4. the job picks root's image up: it names the shared folder and starts a guest from it (its
#      time budget of 10 s then stops it); nothing is left behind and nothing was built.
# Needs root (to become "nobody") and the image of the tests' cache (bench-embed builds it): else
# skipped.
set -u

top=${VL_TOP_SRCDIR:?}
virtlab=${VIRTLAB:?}
script=$top/data/bench/vl-bench-image.sh
cache=${XDG_CACHE_HOME:-$HOME/.cache}/virtlab/bench-image

if [ "$(id -u)" -ne 0 ] || ! command -v setpriv >/dev/null; then
  echo "1..0 # SKIP needs root and setpriv to run as another user"
  exit 77
fi
if grep -q '^nobody:' /etc/subuid 2>/dev/null; then
  echo "1..0 # SKIP nobody has an /etc/subuid line: it could build the image itself"
  exit 77
fi
key=$(bash "$script" --print-key)
if [ ! -f "$cache/$key/manifest" ]; then
  echo "1..0 # SKIP the tests' cache has no benchmark image $key yet (bench-embed builds it)"
  exit 77
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/vl-bench-image-XXXXXX")
chmod 755 "$work"
shared=$work/shared
user_home=$work/home
mkdir -p "$shared/$key" "$work/empty" "$user_home"
chmod 755 "$shared" "$shared/$key" "$work/empty"
chown nobody "$user_home"
# root's image: the real files of the tests' cache (links when they are on one file system).
for f in vmlinuz initrd.img root.ext4 manifest; do
  ln "$cache/$key/$f" "$shared/$key/$f" 2>/dev/null || cp --sparse=always "$cache/$key/$f" "$shared/$key/$f"
done
# check, end_qemu_under: the tier's shared shell functions.
source "$top/tests/lib/bench-test.sh"
cleanup() {
  end_qemu_under "$work/"
  rm -rf "$work"
}
trap cleanup EXIT

as_user() {  # as_user SHARED-DIR COMMAND…: as nobody, with a home and caches of its own
  local shared_dir=$1
  shift
  (cd "$user_home" && setpriv --reuid=nobody --regid=nogroup --clear-groups \
    env -u XDG_RUNTIME_DIR HOME="$user_home" XDG_CACHE_HOME="$user_home/cache" XDG_DATA_HOME="$user_home/data" \
    XDG_CONFIG_HOME="$user_home/config" VL_BENCH_SHARED_CACHE="$shared_dir" VL_BENCH_DATA_DIR="$top/data/bench" \
    "$@")
}

# ---- 1. the script finds root's image ----------------------------------------------------------
out=$(as_user "$shared" bash "$script" 2>"$work/err")
status=$?
check "the image script, as nobody, prints root's image in the shared cache" \
  '[ $status -eq 0 ] && [ "$out" = "$shared/$key" ]' "status $status, out $out: $(cat "$work/err")"
check "nothing was built into the user's own cache" '[ -z "$(ls -A "$user_home/cache/virtlab/bench-image" 2>/dev/null)" ]'
err=$(as_user "$shared" bash "$script" --check 2>&1)
status=$?
check "--check says it is cached" '[ $status -eq 0 ] && [[ "$err" == *"cached: $shared/$key"* ]]' "$err"

# ---- 2. none anywhere: refused ------------------------------------------------------------------
err=$(as_user "$work/empty" bash "$script" 2>&1)
status=$?
check "with no image anywhere the script refuses (exit 2) and says why" \
  '[ $status -eq 2 ] && [[ "$err" == *"cannot build the benchmark image: not root"* ]]' "status $status: $err"

# ---- 3. the job refuses before anything is created, saying how to get an image ----------------------
err=$(as_user "$work/empty" "$virtlab" --run-benchmarks --config "qemu:///embed?root=$user_home/embed,qemu-tcg,A" \
  --tests sysbench_cpu --runs 1 2>&1 >/dev/null)
status=$?
echo "$err" | grep -v ' info : \| error : ' | sed 's/^/# /'
check "virtlab --run-benchmarks refuses (exit 2): no image, none can be built" \
  '[ $status -eq 2 ] && [[ "$err" == *"cannot be built here"* ]]' "status $status"
check "… and says how to get one: root builds it into the shared cache" \
  '[[ "$err" == *"sudo bash $script --cache /var/cache/virtlab/bench-image"* ]]'
check "… before anything was created (no work folder, no guest)" \
  '[ -z "$(ls -A "$user_home/data/virtlab/bench-work" 2>/dev/null)" ] &&
   [ -z "$(as_user "$work/empty" virsh -c "qemu:///embed?root=$user_home/embed" list --all --name 2>/dev/null | awk NF)" ]'

# ---- 4. the job uses root's image ----------------------------------------------------------------
out=$(as_user "$shared" "$virtlab" --run-benchmarks --config "qemu:///embed?root=$user_home/embed,qemu-tcg,A" \
  --tests sysbench_cpu --runs 1 --time-budget 10 2>&1)
status=$?
echo "$out" | grep -v ' info : \| error : ' | sed 's/^/# /'
check "the job as nobody picks up root's image" '[[ "$out" == *"Guest image: $shared/$key ("* ]]'
check "… and starts its guest from it (stopped by its time budget of 10 s)" \
  '[[ "$out" == *"A: starting the guest"* ]] && [[ "$out" == *"time budget of 10 s"* ]] && [ $status -eq 1 ]'
check "nothing was built, nothing is left behind" \
  '[ -z "$(ls -A "$user_home/cache/virtlab/bench-image" 2>/dev/null)" ] &&
   [ -z "$(ls -A "$user_home/data/virtlab/bench-work" 2>/dev/null)" ] &&
   [ -z "$(as_user "$shared" virsh -c "qemu:///embed?root=$user_home/embed" list --all --name 2>/dev/null | awk NF)" ]'
check "root's shared image is untouched (a user's run never prunes it)" \
  '[ "$(ls "$shared")" = "$key" ] && [ -f "$shared/$key/root.ext4" ]'

# ---- 5. a cold cache that is fast to satisfy: root's base, only the runner to write -----------------
# The image build is the run's first phase, with its step; the image goes to the user's own cache.
base_key=$(sed -n 's/^base_key=//p' "$cache/$key/manifest")
if [ -f "$cache/base-$base_key/manifest" ]; then
  mkdir -p "$work/shared-base/base-$base_key"
  chmod 755 "$work/shared-base" "$work/shared-base/base-$base_key"
  for f in vmlinuz initrd.img root.ext4 manifest; do
    ln "$cache/base-$base_key/$f" "$work/shared-base/base-$base_key/$f" 2>/dev/null ||
      cp --sparse=always "$cache/base-$base_key/$f" "$work/shared-base/base-$base_key/$f"
  done
  started=$(date +%s)
  out=$(as_user "$work/shared-base" "$virtlab" --run-benchmarks \
    --config "qemu:///embed?root=$user_home/embed,qemu-tcg,A" --tests sysbench_cpu --runs 1 --time-budget 10 2>&1)
  echo "$out" | grep -v ' info : \| error : ' | sed 's/^/# /'
  echo "# the run with the image's runner step took $(( $(date +%s) - started )) s"
  first_build=$(grep -n "^Building the benchmark image, step 1 of 1: Virtlab’s runner is written into a copy of the root" \
    <<<"$out" | head -n1 | cut -d: -f1)
  first_guest=$(grep -n "^Guest image: \|^A: " <<<"$out" | head -n1 | cut -d: -f1)
  check "a cold cache: building the image is the run's first phase, with its step" \
    '[ -n "$first_build" ] && [ -n "$first_guest" ] && [ "$first_build" -lt "$first_guest" ]'
  check "… the image is the user's own, from root's base, and the guest starts from it" \
    '[[ "$out" == *"Guest image: $user_home/cache/virtlab/bench-image/$key ("* ]] &&
     [ -f "$user_home/cache/virtlab/bench-image/$key/manifest" ] && [[ "$out" == *"A: starting the guest"* ]]'
else
  echo "# the tests' cache has no base-$base_key: the cold-cache phase is not tried"
fi

echo "1..$n"
[ $failures -eq 0 ]
