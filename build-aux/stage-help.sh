#!/usr/bin/env bash
# Lays the help out in the build folder as it is installed (OUT/help/LANG/HELP_ID/*.page), so yelp
# finds help:HELP_ID there with OUT first in XDG_DATA_DIRS (build-aux/run.sh, tests/test-help.py):
#   stage-help.sh HELP_SRC_DIR OUT HELP_ID STAMP PAGE...
set -euo pipefail
src=$1 out=$2 id=$3 stamp=$4; shift 4
rm -rf "$out"
mkdir -p "$out/help/C/$id"
for page in "$@"; do cp "$src/C/$page" "$out/help/C/$id/"; done
for lang in $(grep -v '^\s*#' "$src/LINGUAS"); do
  mkdir -p "$out/help/$lang/$id"
  msgfmt -o "$out/$lang.mo" "$src/$lang/$lang.po"
  (cd "$src/C" && itstool -m "$out/$lang.mo" --lang "$lang" -o "$out/help/$lang/$id/" "$@")
  rm -f "$out/$lang.mo"
done
touch "$stamp"
