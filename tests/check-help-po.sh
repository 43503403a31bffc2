#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Every message of the help is translated: the template is made from help/C/*.page with itstool (as
# the translators' .po files are), and no message of it may be untranslated or fuzzy in any
# help/LANG/LANG.po of help/LINGUAS. Exits 77 (skipped, with the reason) without itstool.
set -euo pipefail
top=$1
command -v itstool >/dev/null || { echo "itstool is not installed"; exit 77; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
(cd "$top/help/C" && itstool -o "$tmp/help.pot" *.page)
status=0
for lang in $(grep -v '^\s*#' "$top/help/LINGUAS"); do
  po="$top/help/$lang/$lang.po"
  if [ ! -f "$po" ]; then echo "$po is missing"; status=1; continue; fi
  msgmerge -q --no-fuzzy-matching "$po" "$tmp/help.pot" -o "$tmp/$lang.po"
  missing=$(msgattrib --untranslated --no-obsolete "$tmp/$lang.po" | grep -A1 '^msgid ' | grep -v '^--' || true)
  n=$(printf '%s\n' "$missing" | grep -c '^msgid ' || true)
  # The header entry (msgid "") always counts once when anything is listed.
  if [ "$n" -gt 1 ]; then
    echo "help/$lang/$lang.po: $((n - 1)) messages of the help are not translated:"
    printf '%s\n' "$missing" | grep '^msgid ' | sed -n '2,41p'
    status=1
  fi
  # msgfmt counts fuzzy entries without the header: "N translated messages, M fuzzy translations…"
  fuzzy=$(LC_ALL=C msgfmt --statistics -o /dev/null "$tmp/$lang.po" 2>&1 | grep -o '[0-9]* fuzzy' | grep -o '[0-9]*' || true)
  if [ "${fuzzy:-0}" -gt 0 ]; then
    echo "help/$lang/$lang.po: $fuzzy fuzzy messages"; status=1
  fi
done
[ $status -eq 0 ] && echo "every message of the help is translated in: $(grep -v '^\s*#' "$top/help/LINGUAS" | xargs)"
exit $status
