#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Run one shell command in the test dom0 through its serial console; print its output, exit with its status.

Usage: dom0-shell.py STATE_DIR 'command' [timeout_seconds]
The dom0's /init keeps a root shell (echo off) on hvc0, which Xen multiplexes onto com1: QEMU's
serial unix socket STATE_DIR/serial.sock. The shared tests/lib/vm-shell.py does the work, with the
settings Xen's console needs: it keeps only 128 bytes of serial input for dom0 and drops what dom0
has not taken yet, so the line goes in 16-byte pieces; a lost character shows after 15 s.
"""
import os
import sys

shell = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "lib", "vm-shell.py")
os.execv(sys.executable, [sys.executable, shell, "--socket", "serial.sock", "--chunk", "16", "--gap", "0.05",
                          "--interrupt-wait", "0", "--retype", "15"] + sys.argv[1:])
