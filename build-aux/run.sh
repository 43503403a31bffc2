#!/usr/bin/env bash
# Install what is missing, build, and launch Virtlab. Without a display, run it under Xvfb and
# save a screenshot of the main window.
set -euo pipefail
source "$(dirname "$0")/setup.sh"
vl_install_deps
vl_build

export GSETTINGS_SCHEMA_DIR="$top/_build/data"
# The help as it is installed (help/LANG/virtlab/), laid out in the build folder: yelp finds
# help:virtlab there, in the user's language.
export XDG_DATA_DIRS="$top/_build/help/data:${XDG_DATA_DIRS:-/usr/local/share:/usr/share}"
export VIRTLAB_HOST_HELPER="${VIRTLAB_HOST_HELPER:-$top/_build/src/host/virtlab-host-helper}"
# Run Benchmarks builds its guest image with the script and runner of the source tree (installed,
# they are in PKGDATADIR/bench).
export VL_BENCH_DATA_DIR="${VL_BENCH_DATA_DIR:-$top/data/bench}"
if [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; then
  exec "$top/_build/src/virtlab" "$@"
fi

shot="${VIRTLAB_SCREENSHOT:-$top/_build/virtlab-screenshot.png}"
xvfb-run -a -s "-screen 0 1280x860x24" dbus-run-session -- \
  "$top/_build/src/virtlab" --screenshot "$shot" "$@"
echo "virtlab: no display, so the main window was drawn under Xvfb and saved as $shot"
