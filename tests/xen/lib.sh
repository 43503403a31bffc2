# SPDX-License-Identifier: GPL-3.0-or-later
# Sourced by the Xen tier's test-*.sh: the live dom0's URI and state, and small helpers.
# run-xen-tests.sh sets XEN_URI and XEN_STATE (see boot-dom0.sh); a test may also be run alone with them.
set -uo pipefail
xen_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$xen_dir/../.." && pwd)
: "${XEN_URI:?set XEN_URI (tests/xen/boot-dom0.sh prints it)}"
: "${XEN_STATE:?set XEN_STATE (the state directory given to tests/xen/boot-dom0.sh)}"
VIRTLAB=${VIRTLAB:-$top/_build/src/virtlab}
out_dir=${XEN_OUT:-$XEN_STATE/out}
mkdir -p "$out_dir"
source "$top/tests/lib/tap.sh"

xvirsh() { virsh -q -c "$XEN_URI" "$@"; }
dom0() { /usr/bin/python3 "$xen_dir/dom0-shell.py" "$XEN_STATE" "$@"; }
# The host port that reaches dom0's TCP port $1 (boot-dom0.sh's forwards).
host_port_for() { awk -v p="$1" '$1=="vnc" && $2==p {print $3}' "$XEN_STATE/ports"; }
# Forget a domain whatever its state, so a test can start clean and leave nothing behind.
drop_domain() {
  xvirsh destroy "$1" >/dev/null 2>&1 || true
  xvirsh undefine "$1" --remove-all-storage >/dev/null 2>&1 || xvirsh undefine "$1" >/dev/null 2>&1 || true
}
# Read a guest's VNC screen through the forward; echo the OCR text; keep the PNG as $2.
vnc_text() {  # vnc_text HOSTPORT PNG
  timeout 30 gvnccapture -q "127.0.0.1:$(($1 - 5900))" "$2" >/dev/null 2>&1 || return 1
  tesseract "$2" - 2>/dev/null
}
# Type into a VNC screen through gtk-vnc (unshifted keys only), save it as $4, echo the OCR text.
vnc_type() {  # vnc_type HOSTPORT TEXT WAIT_S PNG
  /usr/bin/python3 "$xen_dir/vnc-type.py" 127.0.0.1 "$1" "$2" "$4" "$3" >/dev/null 2>&1 || return 1
  tesseract "$4" - 2>/dev/null
}
# Wait until the VNC screen's OCR text matches $2 (up to $4 s), keeping the last picture as $3.
vnc_wait_text() {  # vnc_wait_text HOSTPORT REGEX PNG TIMEOUT_S; echoes the last text
  local end=$(( $(date +%s) + $4 )) text=""
  while :; do
    text=$(vnc_text "$1" "$3")
    if contains "$text" "$2" || [ "$(date +%s)" -ge "$end" ]; then break; fi
    sleep 1
  done
  echo "$text"
}
