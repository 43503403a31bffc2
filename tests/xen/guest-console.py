#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Talk to a guest's text console through libvirt's console stream (as `virsh console` does).

Usage: guest-console.py URI DOMAIN EXPECTED_REGEX [SEND_TEXT] [TIMEOUT_S]
Opens the console stream over the (remote) connection, sends SEND_TEXT (with C-style escapes,
e.g. '\\n'), reads until EXPECTED_REGEX appears or TIMEOUT_S passes, prints what was read.
Exit 0 when the text appeared, 1 when not.
"""
import re
import threading
import sys
import time

import libvirt


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    uri, name, expected = sys.argv[1:4]
    send = sys.argv[4].encode().decode("unicode_escape") if len(sys.argv) > 4 else ""
    timeout = float(sys.argv[5]) if len(sys.argv) > 5 else 60.0
    libvirt.registerErrorHandler(lambda *a: None, None)
    # A non-blocking stream over the remote driver only gets its data while an event loop runs.
    libvirt.virEventRegisterDefaultImpl()
    threading.Thread(target=lambda: [libvirt.virEventRunDefaultImpl() for _ in iter(int, 1)],
                     daemon=True).start()
    conn = libvirt.open(uri)
    dom = conn.lookupByName(name)
    stream = conn.newStream(libvirt.VIR_STREAM_NONBLOCK)
    dom.openConsole(None, stream, libvirt.VIR_DOMAIN_CONSOLE_FORCE)
    pattern = re.compile(expected)
    text = ""
    deadline = time.monotonic() + timeout
    next_send = 0.0
    found = False
    try:
        while time.monotonic() < deadline:
            if send and time.monotonic() >= next_send:
                stream.send(send.encode())
                next_send = time.monotonic() + 5.0   # the shell may not be there yet: say it again
            data = stream.recv(4096)
            if isinstance(data, int) or not data:   # -2: nothing yet
                time.sleep(0.05)
                continue
            text += data.decode(errors="replace")
            if pattern.search(text):
                found = True
                break
    finally:
        try:
            stream.abort()
        except libvirt.libvirtError:
            pass
        conn.close()
    sys.stdout.write(text.replace("\r", "") + "\n")
    return 0 if found else 1


if __name__ == "__main__":
    sys.exit(main())
