#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The house style in files (.clang-format, .editorconfig): the C lines changed since this branch left
main keep the clang-format style. Only those lines: the code as written is the style, and a whole-file
run would still move about a tenth of it (see .clang-format).

What "changed" means: with git history, the lines that differ from the merge-base with main (main or
origin/main, the working tree included); with no main, those of the last commit; VL_STYLE_FILES="a.c b.c"
checks those whole files instead (for a copy without history). Skipped, with the reason, when
clang-format or git history is missing.

_("…"), N_("…"), g_autoptr(T) and g_auto(T) are written without a space before the parenthesis, which
clang-format 14 cannot be told: each file is formatted as if they had one, and the space is taken out
again before comparing.

usage: check-style.py SOURCE_ROOT [--fix]       (TAP output; --fix rewrites the changed lines)"""
import difflib, os, re, shutil, subprocess, sys, tempfile

top = sys.argv[1]
fix = '--fix' in sys.argv[2:]
os.chdir(top)
results = []


def check(ok, what, detail=''):
    results.append((ok, what, detail))


def finish():
    print(f'1..{len(results)}')
    for n, (ok, what, detail) in enumerate(results, 1):
        print(f'{"ok" if ok else "not ok"} {n} - {what}')
        if detail and not ok:
            print('\n'.join('# ' + line for line in detail.rstrip('\n').split('\n')))
    sys.exit(0 if all(ok for ok, _, _ in results) else 1)


def skip(reason):
    print(f'1..0 # SKIP {reason}')
    sys.exit(0)


clang_format = shutil.which('clang-format') or shutil.which('clang-format-14')
if clang_format is None:
    skip('clang-format is not installed')

MACROS = r'\b(_|N_|C_|NC_|Q_|g_autoptr|g_auto|g_autolist|g_autoslist|g_autoqueue)'
spaced = re.compile(MACROS + r'\(')
unspaced = re.compile(MACROS + r' \(')


def house_format(path, text, ranges):
    """TEXT formatted in the house style; RANGES: (first, last) lines, 1-based, or None for all."""
    args = [clang_format, '--style=file', f'--assume-filename={path}']
    for first, last in ranges or []:
        args.append(f'--lines={first}:{last}')
    run = subprocess.run(args, input=spaced.sub(r'\1 (', text), capture_output=True, text=True)
    if run.returncode != 0:
        raise RuntimeError(run.stderr)
    return unspaced.sub(r'\1(', run.stdout)


def git(*args):
    return subprocess.run(['git', *args], capture_output=True, text=True)


def changed_ranges(base):
    """{path: [(first, last), …]} of the C lines added or changed since BASE (working tree included)."""
    out = git('diff', '-U0', '--no-color', '--diff-filter=AMR', base, '--', 'src/*.c', 'tests/*.c').stdout
    hunks, path = [], None
    for line in out.split('\n'):
        if line.startswith('+++ '):
            path = line[6:] if line.startswith('+++ b/') else None
        m = re.match(r'@@ -\S+ \+(\d+)(?:,(\d+))? @@', line)
        if m and path:
            first, count = int(m.group(1)), int(m.group(2) or 1)
            hunks.append([path, first, count, []])
        elif hunks and line.startswith('+') and not line.startswith('+++ '):
            hunks[-1][3].append(line[1:])
    ranges = {}
    for path, first, count, added in hunks:
        # A licence line put on top of a file leaves the file's own first comment as it was.
        if count > 0 and added != ['/* SPDX-License-Identifier: GPL-3.0-or-later */']:
            ranges.setdefault(path, []).append((first, first + count - 1))
    return ranges


files = os.environ.get('VL_STYLE_FILES')
if files:
    what = 'the files named in VL_STYLE_FILES'
    targets = {f: None for f in files.split()}
elif git('rev-parse', '--verify', '-q', 'HEAD').returncode == 0:
    base = None
    for ref in ('main', 'origin/main'):
        if git('rev-parse', '--verify', '-q', ref).returncode == 0:
            mb = git('merge-base', 'HEAD', ref)
            if mb.returncode == 0:
                base = mb.stdout.strip()
                what = f'the C lines changed since the merge-base with {ref} ({base[:10]})'
                break
    if base is None:
        if git('rev-parse', '--verify', '-q', 'HEAD~1').returncode != 0:
            skip('no main branch and a single commit: nothing to compare with (set VL_STYLE_FILES)')
        base, what = 'HEAD~1', 'the C lines of the last commit'
    targets = changed_ranges(base)
else:
    skip('not a git checkout (set VL_STYLE_FILES to name files)')

problems = []
for path, ranges in sorted(targets.items()):
    if not os.path.exists(path):
        problems.append(f'{path}: no such file')
        continue
    text = open(path, encoding='utf-8').read()
    formatted = house_format(path, text, ranges)
    if formatted != text:
        if fix:
            open(path, 'w', encoding='utf-8').write(formatted)
        problems.append(''.join(difflib.unified_diff(text.splitlines(True), formatted.splitlines(True),
                                                     path, path + ' (house style)', n=1)))
check(not problems, f'{what} keep the clang-format style ({len(targets)} files)'
      + (': run tests/house/check-style.py . --fix, or apply' if problems and not fix else ''),
      '\n'.join(problems))

# Every source file in src/ and tests/ (fixtures aside) starts with its SPDX licence line: C files on their
# first line, scripts on their first line or the one after #!.
SPDX_C = '/* SPDX-License-Identifier: GPL-3.0-or-later */'
SPDX_SCRIPT = '# SPDX-License-Identifier: GPL-3.0-or-later'


def spdx_missing(roots):
    """(files seen, files without their SPDX line) under ROOTS, fixtures aside."""
    missing, seen = [], 0
    for root in roots:
        for d, dirs, names in os.walk(root):
            dirs[:] = sorted(x for x in dirs if x != 'fixtures')
            for name in sorted(names):
                path = os.path.join(d, name)
                if name.endswith(('.c', '.h')):
                    want = SPDX_C
                elif name.endswith(('.sh', '.py')):
                    want = SPDX_SCRIPT
                else:
                    continue
                seen += 1
                head = open(path, encoding='utf-8').read(400).split('\n')[:2]
                first = head[1] if head[0].startswith('#!') and len(head) > 1 else head[0]
                if first != want:
                    missing.append(f'{path}: no "{want}" at the top')
    return seen, missing


seen, missing = spdx_missing(('src', 'tests'))
check(seen > 100 and not missing,
      f'every source file in src/ and tests/ starts with its SPDX licence line ({seen} files)', '\n'.join(missing))
with tempfile.TemporaryDirectory() as tmp:
    for name, text in (('good.c', SPDX_C + '\n'), ('bad.c', '/* no licence */\n'),
                       ('good.sh', '#!/bin/sh\n' + SPDX_SCRIPT + '\n'), ('bad.py', '"""x"""\n'),
                       ('fixtures/data.c', 'int x;\n')):
        os.makedirs(os.path.dirname(os.path.join(tmp, name)), exist_ok=True)
        open(os.path.join(tmp, name), 'w').write(text)
    seen, missing = spdx_missing((tmp,))
    check(seen == 4 and len(missing) == 2 and 'bad.c' in missing[0] + missing[1] and 'bad.py' in missing[0] + missing[1],
          'a file without the SPDX line is found (fixtures are not source)')

# The check itself can fail, and the house's own layout passes it.
with tempfile.TemporaryDirectory() as tmp:
    shutil.copy('.clang-format', tmp)
    bad = 'int\nmain(void){return 0;}\n'
    good = ('static const char *\nname (GError **error)\n{\n  g_autoptr(GError) local = NULL;\n\n'
            '  if (error == NULL)\n    {\n      g_set_error (error, 1, 2, _("No “%s”."), "x");\n'
            '      return NULL;\n    }\n  return N_("name");\n}\n')
    os.chdir(tmp)
    check(house_format('bad.c', bad, None) != bad, 'the style refuses main(void){return 0;}')
    got = house_format('good.c', good, None)
    check(got == good, 'the house layout (GNU braces, space before parentheses, _("…"), g_autoptr(T)) passes',
          ''.join(difflib.unified_diff(good.splitlines(True), got.splitlines(True), n=1)))
finish()
