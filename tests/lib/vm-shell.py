#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Run one shell command in a test machine through a serial socket; print its output, exit with its status.

Usage: vm-shell.py [--socket NAME] [--chunk BYTES] [--gap SECONDS] [--interrupt-wait SECONDS]
                   STATE_DIR 'command' [timeout_seconds]

The machine keeps a root shell (echo off) on a serial line that QEMU offers as the unix socket
STATE_DIR/NAME: the install tier's test machine on ttyS1 (shell.sock, the default), the Xen tier's
dom0 on hvc0, which Xen multiplexes onto com1 (serial.sock). Markers with a random tag delimit the
command's output; lines of Xen's own messages ("(XEN)…") are dropped from it. Exit status 124 and a
message on stderr when no answer came in time (the machine is down, or still booting).

The line is typed in pieces of BYTES with SECONDS between them: Xen keeps only 128 bytes of serial
input for dom0 and drops what dom0 has not taken yet (the Xen tier uses 16 bytes, 0.05 s).
"""
import argparse
import os
import re
import secrets
import socket
import sys
import time


def send_line(sock, tag, command, chunk, gap, interrupt_wait):
    # The printf format splits the tag, so an echoed command line can never look like a marker.
    line = ("printf '\\n%s_B\\n' {t}; ( {c} ) 2>&1; printf '\\n%s_E %s\\n' {t} $?\n"
            .format(t=tag, c=command))
    # ^C first: a line left half-typed by an earlier, interrupted call (a lost quote) is abandoned;
    # a shell may drop what comes right after it, so the line can wait a moment.
    if interrupt_wait > 0:
        sock.sendall(b"\x03")
        time.sleep(interrupt_wait)
        data = line.encode()
    else:
        data = ("\x03" + line).encode()
    for i in range(0, len(data), chunk):
        sock.sendall(data[i:i + chunk])
        time.sleep(gap)


def run(state, command, timeout=120.0, sock_name="shell.sock", chunk=64, gap=0.01, interrupt_wait=0.5,
        retype=10.0):
    deadline = time.monotonic() + timeout
    sock = None
    while sock is None:
        try:
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            sock.connect(os.path.join(state, sock_name))
        except OSError:
            sock = None
            if time.monotonic() > deadline:
                raise TimeoutError("no socket %s in %s" % (sock_name, state))
            time.sleep(1)
    sock.settimeout(1.0)
    buf = b""
    tag = None
    began = False
    sent_at = 0.0
    try:
        while time.monotonic() < deadline:
            # The begin marker comes as soon as the shell has read the line: if it does not come (a
            # character was lost on the way, or the machine is still booting), type the line again
            # under a new tag.
            if tag is None or (not began and time.monotonic() - sent_at > retype):
                tag = secrets.token_hex(6)
                began = False
                buf = b""
                sent_at = time.monotonic()
                try:
                    send_line(sock, tag, command, chunk, gap, interrupt_wait)
                except socket.timeout:
                    # Nobody reads the serial line yet (the machine is booting, or Xen starts): QEMU
                    # stops taking input; the line is typed again later, until the deadline.
                    continue
            try:
                data = sock.recv(65536)
            except socket.timeout:
                continue
            if not data:
                break
            buf += data.replace(b"\r", b"")
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
    raise TimeoutError("no answer to %r within %.0f s" % (command, timeout))


def main():
    p = argparse.ArgumentParser(usage=__doc__.split("\n\n")[1])
    p.add_argument("--socket", default="shell.sock")
    p.add_argument("--chunk", type=int, default=64)
    p.add_argument("--gap", type=float, default=0.01)
    p.add_argument("--interrupt-wait", type=float, default=0.5)
    p.add_argument("--retype", type=float, default=10.0)
    p.add_argument("state")
    p.add_argument("command")
    p.add_argument("timeout", nargs="?", type=float, default=120.0)
    a = p.parse_args()
    try:
        status, text = run(a.state, a.command, a.timeout, a.socket, a.chunk, a.gap, a.interrupt_wait, a.retype)
    except TimeoutError as e:
        print("vm-shell: %s" % e, file=sys.stderr)
        sys.exit(124)
    sys.stdout.write(text if text.endswith("\n") or not text else text + "\n")
    sys.exit(status)


if __name__ == "__main__":
    main()
