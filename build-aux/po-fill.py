#!/usr/bin/python3
"""Merge translations into a .po file: po-fill.py PO POT TRANSLATIONS.tsv

Brings PO up to date with POT (as msgmerge does) and fills in every message that TRANSLATIONS
(tab-separated: msgid, msgstr; \\n and \\t escaped) translates. Prints the messages still missing.
A developer's tool for keeping po/ complete; the build does not use it."""
import sys
import polib

po_path, pot_path, tsv_path = sys.argv[1:4]
po = polib.pofile(po_path)
po.merge(polib.pofile(pot_path))
table = {}
with open(tsv_path, encoding="utf-8") as f:
    for line in f:
        line = line.rstrip("\n")
        if not line or line.startswith("#") or "\t" not in line:
            continue
        src, dst = line.split("\t", 1)
        unesc = lambda s: s.replace("\\n", "\n").replace("\\t", "\t")
        table[unesc(src)] = unesc(dst)
import re
m = re.search(r"nplurals\s*=\s*(\d+)", po.metadata.get("Plural-Forms", ""))
nplurals = int(m.group(1)) if m else 2
missing = []
for e in po:
    if e.obsolete:
        continue
    if "fuzzy" in e.flags:
        e.flags.remove("fuzzy")
        e.msgstr = ""
        e.msgstr_plural = {}
    if e.msgid_plural:
        # One form per plural of the language (zh_TW: one); a table line fills them all.
        forms = {i: e.msgstr_plural.get(i, "") for i in range(nplurals)}
        if e.msgid in table:
            forms = {i: table[e.msgid] for i in range(nplurals)}
        e.msgstr_plural = forms
        if not all(forms.values()):
            missing.append(e.msgid)
        continue
    if e.msgid in table:
        e.msgstr = table[e.msgid]
    if not e.msgstr:
        missing.append(e.msgid)
po[:] = [e for e in po if not e.obsolete]
po.save(po_path)
for m in missing:
    print("missing:", m.replace("\n", "\\n"))
print(f"{len(missing)} missing", file=sys.stderr)
