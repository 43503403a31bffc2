#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Where a plan's package step spent its time: reads the step's timed lines (the runner's output
"@T output LINE" of tests/install's TARGET-packages.txt, or the helper's record "T output LINE" of
TARGET-packages.helper.txt) and gives each interval to what dpkg/apt was doing when it began:
downloading/reading, unpacking, setting up a package, processing a trigger, update-grub (the
"Found … image" lines of the kernel's and Xen's postinsts), update-initramfs, systemd unit links.

Usage: install-phases.py FILE [TOP]   prints the phases (seconds, share) and the TOP packages.
"""
import re
import sys


def timed_lines(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        for raw in f:
            m = re.match(r"^@?([0-9]+(?:\.[0-9]+)?) (output|command) ?(.*)$", raw.rstrip("\n"))
            if m:
                yield float(m.group(1)), m.group(3)


def classify(line, current):
    """(phase, package) that starts with LINE, or None to keep CURRENT."""
    m = re.match(r"^(?:Unpacking |Preparing to unpack \S*/(?:[0-9]+-)?)(\S+?)(?:_| |$)", line)
    if m:
        return ("unpack", m.group(1).split(":")[0])
    m = re.match(r"^Setting up (\S+?)(?::\S+)? \(", line)
    if m:
        return ("set up", m.group(1))
    m = re.match(r"^Processing triggers for (\S+?)(?::\S+)? \(", line)
    if m:
        return ("trigger", m.group(1))
    if line.startswith("Updating certificates in /etc/ssl/certs"):
        return ("update-ca-certificates", current[1])
    if line.startswith("Generating grub configuration file") or line.startswith("Found linux image") \
            or line.startswith("Found initrd image") or line.startswith("Including Xen overrides"):
        return ("update-grub", current[1])
    if line.startswith("update-initramfs:"):
        return ("update-initramfs", current[1])
    if line.startswith("Created symlink") or "is a disabled or a static unit" in line:
        return ("systemd units", current[1])
    if re.match(r"^(Get:|Hit:|Ign:|Err:|Reading |Building |Selecting |Fetched )", line):
        return ("apt: lists, download, resolve", "-")
    return None


def main():
    path = sys.argv[1]
    top = int(sys.argv[2]) if len(sys.argv) > 2 else 8
    phases, packages = {}, {}
    current = ("start", "-")
    last_t = first_t = None
    for t, line in timed_lines(path):
        if last_t is None:
            first_t = last_t = t
        dt = t - last_t
        phases[current[0]] = phases.get(current[0], 0) + dt
        if current[1] != "-":
            packages[current[1]] = packages.get(current[1], 0) + dt
        last_t = t
        new = classify(line, current)
        if new:
            current = new
    if last_t is None:
        print("install-phases: no timed lines in %s" % path)
        return 1
    total = last_t - first_t
    print("package step: %.1f s from its first line to its last (%s)" % (total, path))
    for name, s in sorted(phases.items(), key=lambda x: -x[1]):
        print("  %-32s %8.1f s  %5.1f %%" % (name, s, 100 * s / total if total else 0))
    print("  the %d packages whose unpacking, set-up and triggers took longest:" % top)
    for name, s in sorted(packages.items(), key=lambda x: -x[1])[:top]:
        print("  %-32s %8.1f s  %5.1f %%" % (name, s, 100 * s / total if total else 0))
    return 0


if __name__ == "__main__":
    sys.exit(main())
