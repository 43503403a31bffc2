#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Where `meson install` puts the polkit policy: polkit's policydir (its pkg-config variable, else
# /usr/share/polkit-1/actions), never under a prefix polkit does not read (/usr/local/share/…).
# Checked twice: in meson's install plan, and by a real DESTDIR install of the build.
set -eu
meson=$1 build=$2 prefix=$3
policy=org.virtlab.Virtlab.policy
expected=$(pkg-config --variable=policydir polkit-gobject-1 2>/dev/null || true)
[ -n "$expected" ] || expected=/usr/share/polkit-1/actions
echo "# prefix $prefix; polkit reads actions from $expected"

planned=$("$meson" introspect --installed "$build" | /usr/bin/python3 -c '
import json, sys
print("\n".join(v for v in json.load(sys.stdin).values() if v.endswith("/'"$policy"'")))')
echo "# meson plans to install the policy as: $planned"
if [ "$planned" != "$expected/$policy" ]; then
  echo "FAIL: the policy would be installed as “$planned”, not in polkit's folder $expected" >&2
  exit 1
fi

dest=$(mktemp -d); trap 'rm -rf "$dest"' EXIT
"$meson" install -C "$build" --destdir "$dest" --no-rebuild --quiet >/dev/null
if [ ! -f "$dest$expected/$policy" ]; then
  echo "FAIL: a DESTDIR install has no $expected/$policy; it has:" >&2
  find "$dest" -name "$policy" >&2
  exit 1
fi
if [ "$prefix" != /usr ] && [ -e "$dest$prefix/share/polkit-1/actions/$policy" ]; then
  echo "FAIL: the policy is also under the prefix, where polkit does not look" >&2
  exit 1
fi
# The policy names the helper where the same install put it.
helper=$(sed -n 's:.*org.freedesktop.policykit.exec.path">\(.*\)</annotate>.*:\1:p' "$dest$expected/$policy")
if [ ! -x "$dest$helper" ]; then
  echo "FAIL: the policy names $helper, which the install did not put there" >&2
  exit 1
fi
echo "ok: $expected/$policy installed, naming $helper"
