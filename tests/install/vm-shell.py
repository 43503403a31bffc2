#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Run one shell command in the install tier's test machine; print its output, exit with its status.

Usage: vm-shell.py STATE_DIR 'command' [timeout_seconds]
The machine's virtlab-test-shell.service keeps a root bash (echo off) on ttyS1: QEMU's socket
STATE_DIR/shell.sock. Markers with a random tag delimit the command's output. Exit status 124 and a
message on stderr when no answer came in time (the machine is down, or still booting).
"""
import os
import re
import secrets
import socket
import sys
import time


def send_line(sock, tag, command):
    # The printf format splits the tag, so an echoed command line can never look like a marker.
    line = ("printf '\\n%s_B\\n' {t}; ( {c} ) 2>&1; printf '\\n%s_E %s\\n' {t} $?\n"
            .format(t=tag, c=command))
    # ^C first: a line left half-typed by an earlier, interrupted call is abandoned (the shell may
    # drop what comes right after it, so the line waits a moment).
    sock.sendall(b"\x03")
    time.sleep(0.5)
    data = line.encode()
    for i in range(0, len(data), 64):
        sock.sendall(data[i:i + 64])
        time.sleep(0.01)


def run(state, command, timeout=120.0):
    deadline = time.monotonic() + timeout
    sock = None
    while sock is None:
        try:
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            sock.connect(os.path.join(state, "shell.sock"))
        except OSError:
            sock = None
            if time.monotonic() > deadline:
                raise TimeoutError("no test machine socket in %s" % state)
            time.sleep(1)
    sock.settimeout(1.0)
    buf = b""
    tag = None
    began = False
    sent_at = 0.0
    try:
        while time.monotonic() < deadline:
            # The begin marker comes as soon as the shell has read the line: if it does not come (the
            # machine is still booting, or rebooting), type the line again under a new tag.
            if tag is None or (not began and time.monotonic() - sent_at > 10.0):
                tag = secrets.token_hex(6)
                began = False
                buf = b""
                send_line(sock, tag, command)
                sent_at = time.monotonic()
            try:
                chunk = sock.recv(65536)
            except socket.timeout:
                continue
            if not chunk:
                break
            buf += chunk.replace(b"\r", b"")
            begin = buf.find(b"\n" + tag.encode() + b"_B\n")
            began = begin >= 0
            m = re.search(rb"\n" + tag.encode() + rb"_E (\d+)\n", buf)
            if began and m:
                text = buf[begin + len(tag) + 4:m.start()].decode(errors="replace").lstrip("\n")
                return int(m.group(1)), text
    finally:
        sock.close()
    raise TimeoutError("test machine shell: no answer to %r within %.0f s" % (command, timeout))


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    try:
        status, text = run(sys.argv[1], sys.argv[2], float(sys.argv[3]) if len(sys.argv) > 3 else 120.0)
    except TimeoutError as e:
        print("vm-shell: %s" % e, file=sys.stderr)
        sys.exit(124)
    sys.stdout.write(text if text.endswith("\n") or not text else text + "\n")
    sys.exit(status)
