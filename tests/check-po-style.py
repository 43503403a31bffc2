#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The zh_TW catalogue keeps the terms and punctuation chosen in issue 15 (item 9):

- a guest is a virtual machine (虛擬機器), or 客體 where it is set against the host; never 客戶端
  ("client") nor the mainland 客戶機 / 虛擬機 (without 器);
- the hypervisor is 虛擬機器管理程式; no "Hypervisor"/"hypervisor" is left untranslated on its own;
- the daemon is 常駐程式 (not 服務程式), a screenshot 螢幕擷圖;
- next to CJK text, punctuation is full-width (，。：；（）？！「」); half-width stays inside
  Latin and code ("qemu:///system", "%s/s", mnemonics "(_X)").

Usage: check-po-style.py PO. Prints one line per offence, TAP-style."""
import re
import sys

import polib

po = polib.pofile(sys.argv[1])
CJK = "\u3400-\u9fff\u3000-\u303f\uff00-\uffef"
rules = [
    ("客戶端", re.compile("客戶端")),
    ("客戶機", re.compile("客戶機")),
    ("虛擬機 without 器", re.compile("虛擬機(?!器)")),
    ("服務程式 for daemon", re.compile("服務程式")),
    ("螢幕截圖", re.compile("螢幕截圖")),
    ("half-width punctuation next to CJK",
     re.compile(f"[{CJK}][,;!?]|[,;!?] ?[{CJK}]|[{CJK}]:(?!//)|:[ ]?[{CJK}]|[{CJK}] ?\\((?!_)|\\((?!_)[^)]*[{CJK}][^)]*\\)")),
    ("“” quotes in CJK text", re.compile(f"[{CJK}][“”]|[“”][{CJK}]")),
    ("space around a full-width mark", re.compile(" [，。：；）」？！]|[（「] ")),
]
failures = 0
n = 0
for e in po:
    if e.obsolete or not e.msgid:
        continue
    texts = list(e.msgstr_plural.values()) if e.msgid_plural else [e.msgstr]
    for text in texts:
        if e.msgid.startswith("virtual;machine;"):
            continue  # search keywords, separated by ';' as the desktop file wants
        n += 1
        for name, rule in rules:
            if rule.search(re.sub(r"\(_.\)", "", text)):
                print(f"not ok - {name}: {e.msgid!r} -> {text!r}")
                failures += 1
        if re.search(r"\bhypervisor\b", text, re.I) and not re.search("虛擬機器管理程式", text) \
                and re.search(f"[{CJK}]", text):
            print(f"not ok - hypervisor left untranslated: {e.msgid!r} -> {text!r}")
            failures += 1
    if e.msgid in ("Guests", "Guests page", "New Guest") and "虛擬機器" not in e.msgstr:
        print(f"not ok - {e.msgid!r} is not 虛擬機器: {e.msgstr!r}")
        failures += 1
print(f"{'ok' if not failures else 'not ok'} - {n} translations checked, {failures} offences")
sys.exit(1 if failures else 0)
