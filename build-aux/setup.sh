# Sourced by run.sh and test.sh: install the Debian packages in build-aux/deps that are missing,
# then configure and build into _build/.
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

vl_sudo() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

vl_install_deps() {
  local want missing=()
  want=$(grep -v '^\s*#' "$top/build-aux/deps" | awk 'NF {print $1}')
  for p in $want; do
    dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q '^install ok installed' || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "virtlab: installing ${#missing[@]} missing packages: ${missing[*]}"
    vl_sudo env DEBIAN_FRONTEND=noninteractive apt-get update -q
    vl_sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}"
  fi
}

vl_build() {
  local werror=false
  [ "${CI:-}" = "true" ] && werror=true
  if [ ! -f "$top/_build/build.ninja" ]; then
    meson setup "$top/_build" "$top" -Dwerror=$werror
  else
    meson configure "$top/_build" -Dwerror=$werror >/dev/null
  fi
  ninja -C "$top/_build"
}
