#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The shared test-machine shell driver (tests/lib/vm-shell.py) against a real bash behind a unix
# socket, as QEMU's serial socket offers a machine's shell: the output and exit status come back,
# Xen's "(XEN)" lines are dropped, the Xen tier's small pieces work, a missing machine times out (124).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
dir=$(mktemp -d)
trap 'kill "$server" 2>/dev/null; rm -rf "$dir"' EXIT
/usr/bin/python3 - "$dir/serial.sock" <<'PY' &
# A root shell on a terminal without echo (as the machines' serial consoles have it), its terminal
# relayed to the socket.
import os, pty, select, socket, sys, termios
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind(sys.argv[1]); s.listen(1)
pid, fd = pty.fork()
if pid == 0:
    os.execvp("bash", ["bash", "--norc", "--noprofile", "-i"])
attrs = termios.tcgetattr(fd)
attrs[3] &= ~termios.ECHO
termios.tcsetattr(fd, termios.TCSANOW, attrs)
while True:
    c, _ = s.accept()
    while True:
        r, _, _ = select.select([c, fd], [], [])
        if c in r:
            data = c.recv(4096)
            if not data:
                break
            os.write(fd, data)
        if fd in r:
            try:
                c.sendall(os.read(fd, 4096))
            except OSError:
                break
    c.close()
PY
server=$!
export PS1='# '
for _ in $(seq 50); do [ -S "$dir/serial.sock" ] && break; sleep 0.1; done
fail=0
t() { if "$@"; then echo "ok - $what"; else echo "not ok - $what"; fail=1; fi; }
shell() { /usr/bin/python3 "$here/vm-shell.py" --socket serial.sock "$@"; }

out=$(shell "$dir" 'echo hello; echo "(XEN) a hypervisor line"; echo world; exit 3' 20); rc=$?
what="output and status come back ($rc)"; t test "$rc" -eq 3
what="Xen's (XEN) lines are dropped"; t test "$out" = "$(printf 'hello\nworld')"
out=$(shell --chunk 16 --gap 0.05 "$dir" 'printf "%s\n" "a long line typed in small pieces, as Xen needs"' 20); rc=$?
what="a line typed in 16-byte pieces"; t test "$rc:$out" = "0:a long line typed in small pieces, as Xen needs"
start=$(date +%s)
shell "$dir/none" 'true' 3 2>/dev/null; rc=$?
what="no machine: status 124 after the timeout ($(( $(date +%s) - start )) s)"; t test "$rc" -eq 124
exit "$fail"
