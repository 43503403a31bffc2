#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Every string the user sees is translated: the catalogue is made from POTFILES.in the way meson's
# gettext does it, and no message of it may be untranslated or fuzzy in any .po file.
set -euo pipefail
source "$(dirname "$(readlink -f "$0")")/tap.sh"
top=$1
tmp=$(mktemp -d); on_exit 'rm -rf "$tmp"'
cd "$top"
grep -v '^\s*#' po/POTFILES.in | grep . > "$tmp/files"
xgettext --from-code=UTF-8 --add-comments --keyword=_ --keyword=N_ --keyword=C_:1c,2 \
  --keyword=NC_:1c,2 --keyword=g_dngettext:2,3 --keyword=ngettext:1,2 --keyword=g_dpgettext2:2c,3 \
  -f "$tmp/files" -o "$tmp/c.pot" 2>"$tmp/xgettext.log" || { sed 's/^/# /' "$tmp/xgettext.log"; exit 1; }
status=0
for lang in $(cat po/LINGUAS); do
  msgmerge -q --no-fuzzy-matching "po/$lang.po" "$tmp/c.pot" -o "$tmp/$lang.po"
  missing=$(msgattrib --untranslated --no-obsolete "$tmp/$lang.po" | grep -A1 '^msgid ' | grep -v '^--' || true)
  n=$(printf '%s\n' "$missing" | grep -c '^msgid ' || true)
  # The header entry (msgid "") always counts once when anything is listed.
  if [ "$n" -gt 1 ]; then
    printf '%s\n' "$missing" | grep '^msgid ' | sed -n '2,41p' | sed 's/^/# /'
  fi
  check "po/$lang.po: every string of the sources is translated ($((n > 0 ? n - 1 : 0)) missing)" '[ "$n" -le 1 ]'
  fuzzy=$(msgattrib --only-fuzzy --no-obsolete "po/$lang.po" | grep -c '^msgid ' || true)
  check "po/$lang.po: no fuzzy strings ($fuzzy)" '[ "$fuzzy" -eq 0 ]'
done
exit "$fail"
