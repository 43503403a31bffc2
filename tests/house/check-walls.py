#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The house's walls (src/README.md): every room includes only its own headers and those of the rooms
src/meson.build lets it use; no room includes the hall; GTK-free parts include no GTK; and the build
itself enforces it (a probe that includes across a wall fails to compile with the room's own flags).

usage: check-walls.py SOURCE_ROOT BUILD_ROOT    (TAP output)"""
import json, os, re, shlex, subprocess, sys, tempfile

src_root, build_root = sys.argv[1], sys.argv[2]
src = os.path.join(src_root, 'src')
results = []


def check(ok, what, detail=''):
    results.append((ok, what, detail))


# The rooms and what each may use, from the one place that declares them.
meson = open(os.path.join(src, 'meson.build')).read()
rooms = {m.group(1): re.findall(r"'([\w-]+)'", m.group(2))
         for m in re.finditer(r"\['([\w-]+)',\s*\[([^\]]*)\]\]", meson)}
check(len(rooms) >= 8, 'src/meson.build declares the rooms', ', '.join(rooms))
order = list(rooms)
for room, uses in rooms.items():
    later = [u for u in uses if u not in order or order.index(u) >= order.index(room)]
    check(not later, f'{room} uses only rooms below it', ', '.join(later))

hall_headers = {f for f in os.listdir(src) if f.endswith('.h')}
headers = {room: {f for f in os.listdir(os.path.join(src, room)) if f.endswith('.h')} for room in rooms}
pure_files = {}
for room in rooms:
    text = open(os.path.join(src, room, 'meson.build')).read()
    pure = set()
    for block in re.findall(r'room_pure \+= (?:files\()?([^)]*)\)?', text):
        pure |= set(re.findall(r"'([\w.-]+\.c)'", block))
    for block in re.findall(r'\w+_pure_sources = files\(([^)]*)\)', text):
        pure |= set(re.findall(r"'([\w.-]+\.c)'", block))
    pure_files[room] = pure

generated = ('config.h', 'vl-resources.h', 'vl-results-resources.h')
for room, uses in rooms.items():
    allowed = set(headers[room])
    for u in uses:
        allowed |= headers[u]
    for name in sorted(os.listdir(os.path.join(src, room))):
        if not name.endswith(('.c', '.h')):
            continue
        text = open(os.path.join(src, room, name), encoding='utf-8').read()
        for inc in re.findall(r'^#\s*include\s+"([^"]+)"', text, re.M):
            if inc in generated:
                continue
            if inc in hall_headers and inc not in allowed:
                check(False, f'src/{room}/{name} does not include the hall', inc)
            elif inc not in allowed:
                owner = [r for r in rooms if inc in headers[r]]
                check(False, f'src/{room}/{name} includes only what its room may use',
                      f'{inc} (in {", ".join(owner) or "no room"})')
        if name in pure_files[room]:
            gtk = re.findall(r'^#\s*include\s+<(gtk/[^>]+|gdk/[^>]+|gtk-vnc\.h|vncdisplay\.h)>', text, re.M)
            check(not gtk, f'src/{room}/{name} (GTK-free) includes no GTK', ', '.join(gtk))
    check(True, f'{room}: every include stays within its walls')

# The build: each room's sources are compiled with exactly its own and its allowed folders.
cc_path = os.path.join(build_root, 'compile_commands.json')
commands = json.load(open(cc_path))
probe_flags = {}
examined = 0
for entry in commands:
    f = os.path.normpath(os.path.join(entry['directory'], entry['file']))
    rel = os.path.relpath(f, src)
    parts = rel.split(os.sep)
    # Only the rooms' own libraries (src/libvl-ROOM[-pure].a): tests and the helper may compile a room's
    # file with flags of their own.
    if len(parts) != 2 or parts[0] not in rooms or not entry.get('output', '').startswith('src/libvl-'):
        continue
    room = parts[0]
    examined += 1
    args = shlex.split(entry['command'])
    incs = set()
    for i, a in enumerate(args):
        d = a[2:] if a.startswith('-I') and len(a) > 2 else (args[i + 1] if a == '-I' else None)
        if d is None:
            continue
        d = os.path.normpath(os.path.join(entry['directory'], d))
        for base in (src_root, build_root):
            r = os.path.relpath(d, base)
            if r.endswith('.p'):
                continue  # the target's private folder: only its own generated files
            if r == '.' :
                incs.add('<top>')
            elif not r.startswith('..'):
                incs.add(r)
    src_dirs = {i[len('src/'):] if i.startswith('src/') else ('<src>' if i == 'src' else None) for i in incs}
    src_dirs.discard(None)
    extra = src_dirs - {room, *rooms[room]}
    check(not extra, f'{rel} is compiled inside its walls', ', '.join(sorted(extra)))
    # probes use the widgets' flags where the room has widgets (they see GTK; the walls are the same)
    if room not in probe_flags or '-pure.a' not in entry.get('output', entry['command']):
        probe_flags[room] = (entry['directory'], args)

check(examined >= 40, f'the compile lines of the rooms\' sources were found ({examined})')

# A probe across each wall must fail to compile with the room's own flags (and one within must pass).
def compile_probe(room, include):
    directory, args = probe_flags[room]
    with tempfile.TemporaryDirectory() as tmp:
        probe = os.path.join(tmp, 'probe.c')
        open(probe, 'w').write(f'#include "config.h"\n#include "{include}"\n')
        cmd = [args[0]] + [a for a in args[1:] if a.startswith(('-I', '-D', '-std', '-pthread')) or a == '-I']
        # keep '-I DIR' pairs
        out = []
        skip = False
        for i, a in enumerate(args[1:], 1):
            if skip:
                skip = False
                continue
            if a == '-I':
                out += [a, args[i + 1]]
                skip = True
            elif a.startswith(('-I', '-D', '-std', '-pthread')):
                out.append(a)
        cmd = [args[0]] + out + ['-fsyntax-only', probe]
        run = subprocess.run(cmd, cwd=directory, capture_output=True, text=True)
        if os.environ.get('VL_WALLS_DEBUG'):
            print(cmd, run.stderr, file=sys.stderr)
        return run.returncode == 0

probes = [('guests', 'vl-window.h', False), ('guests', 'vl-application.h', False),
          ('core', 'vl-connection.h', False), ('console', 'vl-guest-spec.h', False),
          ('results', 'vl-guests-page.h', False), ('newguest', 'vl-console.h', False),
          ('guests', 'vl-console.h', True), ('newguest', 'vl-connection.h', True)]
for room, inc, ok in probes:
    if room not in probe_flags:
        check(False, f'compile flags of the {room} room found')
        continue
    got = compile_probe(room, inc)
    check(got == ok, f'{"a" if ok else "no"} {room} source can include {inc}' +
          (' (wall enforced by the build)' if not ok else ''))

print(f'1..{len(results)}')
failed = 0
for n, (ok, what, detail) in enumerate(results, 1):
    print(f'{"ok" if ok else "not ok"} {n} - {what}' + (f': {detail}' if detail and not ok else ''))
    failed += not ok
sys.exit(1 if failed else 0)
