#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The project stands alone: no file of it reads anything beside the repository (the folder next to the
# clone that developers read, or a developer's own work tree), and every file the tests name as theirs
# is inside it. A clone with nothing beside it runs the tests.
set -uo pipefail
source "$(dirname "$(readlink -f "$0")")/tap.sh"
top=${1:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$top"
# The files of the project: git's list when this is a clone, else every file but the build trees.
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  mapfile -t files < <(git ls-files)
else
  mapfile -t files < <(find . -path ./_build\* -prune -o -type f -print | sed 's|^\./||')
fi
self=tests/check-standalone.sh
# The names are put together here so that this file does not name them itself.
up='\.\.'; beside=shared; work=/work
pattern="'$up' */ *'$beside'|$up/$beside|$work/$beside|$work/main|$work/wt-|(^|[^[:alnum:]_/.-])$beside/(pts-samples|bench)"
hits=$(printf '%s\n' "${files[@]}" | grep -vx "$self" | tr '\n' '\0' |
       xargs -0 grep -I -n -E "$pattern" -- 2>/dev/null || true)
[ -n "$hits" ] && printf '%s\n' "$hits" | head -20 | sed 's/^/# /'
check "no file reads beside the repository (the folder next to the clone, a developer's work tree)" '[ -z "$hits" ]'
check "the real PTS samples are inside tests/ with their sources" \
  '[ "$(ls tests/results/fixtures/pts-samples/*.xml | wc -l)" -ge 8 ] && [ -f tests/results/fixtures/pts-samples/SOURCES.md ]'
check "the PTS samples are the copies SOURCES.md describes" \
  '(cd tests/results/fixtures/pts-samples && sha256sum --quiet -c SHA256SUMS)'
for helper in make-testdriver.py floor.c waitmap.c peer-startup.sh peer-settle.sh peer-lib.sh; do
  check "tests/bench/$helper is the project's own" '[ -f "tests/bench/$helper" ]'
done
exit "$fail"
