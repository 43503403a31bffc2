#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Run one shell command in the test dom0 through its serial console; print its output, exit with its status.

Usage: dom0-shell.py STATE_DIR 'command' [timeout_seconds]
The dom0's /init keeps a root shell (echo off) on hvc0, which Xen multiplexes onto com1: QEMU's
serial unix socket STATE_DIR/serial.sock. Markers with a random tag delimit the command's output.
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
    # Xen keeps only 128 bytes of serial input for dom0 and drops what dom0 has not taken yet: send
    # small pieces, and start with ^C so that a line left half-typed (a lost quote) is abandoned.
    data = ("\x03" + line).encode()
    for i in range(0, len(data), 16):
        sock.sendall(data[i:i + 16])
        time.sleep(0.05)


def run(state, command, timeout=120.0):
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.connect(os.path.join(state, "serial.sock"))
    sock.settimeout(1.0)
    deadline = time.monotonic() + timeout
    buf = b""
    tag = None
    sent_at = 0.0
    try:
        while time.monotonic() < deadline:
            # The begin marker is printed as soon as the shell has read the line: if it does not come,
            # a character was lost on the way; type the line again under a new tag.
            if tag is None or (not began and time.monotonic() - sent_at > 15.0):
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
                # Xen's own messages may interleave on com1; they start with "(XEN)".
                text = "\n".join(l for l in text.split("\n") if not l.startswith("(XEN)"))
                return int(m.group(1)), text
    finally:
        sock.close()
    raise TimeoutError("dom0 shell: no answer to %r within %.0f s" % (command, timeout))


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    status, text = run(sys.argv[1], sys.argv[2], float(sys.argv[3]) if len(sys.argv) > 3 else 120.0)
    sys.stdout.write(text if text.endswith("\n") or not text else text + "\n")
    sys.exit(status)
