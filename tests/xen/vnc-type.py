#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Type text into a VNC screen with gtk-vnc and save what the screen shows afterwards.

Usage: vnc-type.py HOST PORT TEXT OUT.png [WAIT_S]
TEXT: lower-case letters, digits, space, - . / = and \n only (keys are sent unshifted).
Connects a GtkVnc.Display (the widget the app's console is built on), types TEXT (a trailing
'\\n' is sent as Return), waits WAIT_S seconds (default 3) and saves the framebuffer as OUT.png.
Needs an X display (run under xvfb-run). Exit 0 when the picture was saved.
"""
import sys

import gi
gi.require_version("Gdk", "3.0")
gi.require_version("Gtk", "3.0")
gi.require_version("GtkVnc", "2.0")
from gi.repository import Gdk, GLib, Gtk, GtkVnc  # noqa: E402


def main():
    if len(sys.argv) < 5:
        sys.exit(__doc__)
    host, port, text, out = sys.argv[1:5]
    wait = float(sys.argv[5]) if len(sys.argv) > 5 else 3.0
    text = text.encode().decode("unicode_escape")
    result = {"ok": False}
    win = Gtk.Window()
    vnc = GtkVnc.Display()
    win.add(vnc)
    win.show_all()

    def save():
        pix = vnc.get_pixbuf()
        if pix is not None:
            pix.savev(out, "png", [], [])
            result["ok"] = True
        Gtk.main_quit()
        return False

    def type_text():
        for ch in text:
            keyval = Gdk.KEY_Return if ch == "\n" else Gdk.unicode_to_keyval(ord(ch))
            vnc.send_keys([keyval])
        GLib.timeout_add(int(wait * 1000), save)
        return False

    # Let the first frames arrive before typing: the guest must have drawn its prompt.
    vnc.connect("vnc-initialized", lambda *a: GLib.timeout_add(1000, type_text))
    vnc.connect("vnc-disconnected", lambda *a: Gtk.main_quit())
    GLib.timeout_add_seconds(60, Gtk.main_quit)
    vnc.open_host(host, port)
    Gtk.main()
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
