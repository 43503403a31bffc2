#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The New Guest assistant's Browse… file chooser through at-spi, as a user drives it (issue 15, item 1):
the chooser opens on top of the modal assistant and takes input — Cancel and Escape close it, a file
double-clicked in its list is picked — and what was typed in the assistant is kept each time.
Before the fix the chooser was a non-modal dialog under the modal assistant's grab and ignored
every click and key."""
import os
import shutil
import subprocess
import sys
import tempfile
import time

os.environ.pop("NO_AT_BRIDGE", None)
os.environ["GTK_MODULES"] = "gail:atk-bridge"
import contextlib  # noqa: E402
with contextlib.redirect_stdout(sys.stderr):  # dogtail's start-up lines are not TAP
    from dogtail import tree  # noqa: E402
    from dogtail import rawinput  # noqa: E402
    from dogtail.config import config  # noqa: E402

config.searchCutoffCount = 40
config.defaultDelay = 0.2
config.logDebugToFile = False
config.logDebugToStdOut = False  # its "Clicking on …" lines are not TAP

failures = 0
shots = os.environ.get("VL_SHOT_DIR") or tempfile.mkdtemp(prefix="virtlab-choosers-")


def check(what, ok):
    global failures
    print(("ok - " if ok else "not ok - ") + what, flush=True)
    if not ok:
        failures += 1


def screenshot(name):
    path = os.path.join(shots, f"file-chooser-{name}.png")
    subprocess.run(["import", "-window", "root", path], check=False)
    print(f"# screenshot {path}", flush=True)


def wait_for(predicate, seconds=10):
    end = time.time() + seconds
    while time.time() < end:
        try:
            value = predicate()
            if value:
                return value
        except Exception:
            pass
        time.sleep(0.2)
    return None


def chooser_dialog(app):
    return wait_for(lambda: [w for w in app.children
                             if w.roleName in ("file chooser", "dialog") and w.showing
                             and "Choose an ISO image" in w.name])


def gone(app):
    return wait_for(lambda: not [w for w in app.children
                                 if "Choose an ISO image" in w.name and w.showing], 5) is not None


# The app's home folder, where the chooser opens: the ISO is the one file there.
work = tempfile.mkdtemp(prefix="vl-home-")
iso = os.path.join(work, "picked-by-activating.iso")
with open(iso, "wb") as f:
    f.write(b"\0" * 2048)

app_proc = subprocess.Popen([os.environ["VIRTLAB"], "--page", "guests", "--connect", "test:///default"],
                            env=dict(os.environ, HOME=work))
try:
    app = wait_for(lambda: tree.root.application("virtlab"), 20)
    check("the app appears on the accessibility bus", app is not None)
    if app is None:
        sys.exit(1)
    frame = app.child(roleName="frame")
    new_guest = wait_for(lambda: frame.findChild(lambda n: n.name == "New Guest…" and n.sensitive
                                                 and n.roleName == "push button", retry=False), 20)
    check("New Guest… is offered once test:///default is connected", new_guest is not None)
    new_guest.click()
    assistant = wait_for(lambda: [w for w in app.children if w.name == "New Guest" and w.showing][0])
    check("the assistant opens", assistant is not None)
    next_button = assistant.findChild(lambda n: n.name == "Next" and n.roleName == "push button")
    wait_for(lambda: next_button.sensitive, 20)
    next_button.click()

    # The source step has a Browse… per kind of file; the ISO image's is the topmost.
    browse = wait_for(lambda: sorted(assistant.findChildren(
        lambda n: n.name == "Browse…" and n.roleName == "push button" and n.showing),
        key=lambda b: b.position[1])[0])
    # Its field is the text entry on the same row.
    entry = min(browse.parent.findChildren(lambda n: n.roleName == "text" and n.showing),
                key=lambda e: abs(e.position[1] + e.size[1] / 2 - browse.position[1] - browse.size[1] / 2))
    entry.click()
    rawinput.typeText("/typed/before/browsing.iso")
    check("the ISO field took the typed path", wait_for(lambda: entry.text == "/typed/before/browsing.iso", 5))

    # 1. Cancel: the chooser closes and the typed path is still there.
    browse.click()
    dialog = chooser_dialog(app)
    check("Browse… opens the chooser", dialog is not None)
    if dialog:
        dialog = dialog[0]
        screenshot("1-open")
        cancel = dialog.findChild(lambda n: n.name == "Cancel" and n.roleName == "push button")
        cancel.click()
        check("Cancel closes the chooser", gone(app))
        check("after Cancel the typed path is kept", entry.text == "/typed/before/browsing.iso")

    # 2. Escape: the same.
    browse.click()
    dialog = chooser_dialog(app)
    check("Browse… opens the chooser again", dialog is not None)
    if dialog:
        time.sleep(0.5)
        rawinput.pressKey("Escape")
        check("Escape closes the chooser", gone(app))
        check("after Escape the typed path is kept", entry.text == "/typed/before/browsing.iso")

    # 3. The file double-clicked in the chooser's list (it opens in the home folder) is picked.
    browse.click()
    dialog = chooser_dialog(app)
    check("Browse… opens the chooser a third time", dialog is not None)
    if dialog:
        row = wait_for(lambda: dialog[0].findChild(lambda n: n.name == "picked-by-activating.iso"
                                                   and n.roleName == "table cell" and n.showing,
                                                   retry=False))
        check("the chooser lists the ISO in the home folder", row is not None)
        screenshot("2-listed")
        if row:
            row.doubleClick()
        check("activating the file closes the chooser", gone(app))
        check(f"the file is in the ISO field ({entry.text!r})", wait_for(lambda: entry.text == iso, 5))
        screenshot("3-picked")
    check("the assistant is still open", assistant.showing)
finally:
    app_proc.terminate()
    app_proc.wait(10)
    shutil.rmtree(work, ignore_errors=True)

sys.exit(1 if failures else 0)
