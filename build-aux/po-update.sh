#!/usr/bin/env bash
# Bring po/*.po up to date with the sources and fill in translations from tables:
#   build-aux/po-update.sh [TABLE.tsv ...]   (msgid TAB msgstr per line; \n escaped)
# Prints the messages still untranslated. A developer's tool; the build does not use it.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
cd "$top"
grep -v '^\s*#' po/POTFILES.in | grep . > "$tmp/files"
xgettext --from-code=UTF-8 --add-comments --keyword=_ --keyword=N_ --keyword=C_:1c,2 \
  --keyword=NC_:1c,2 --keyword=g_dngettext:2,3 --keyword=ngettext:1,2 --keyword=g_dpgettext2:2c,3 \
  -f "$tmp/files" -o "$tmp/c.pot" 2>/dev/null
cat /dev/null "$@" > "$tmp/all.tsv"
for lang in $(cat po/LINGUAS); do
  /usr/bin/python3 build-aux/po-fill.py "po/$lang.po" "$tmp/c.pot" "$tmp/all.tsv"
done
