#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The main window through at-spi, as a person or a screen reader sees it: the page switcher's
buttons exist, clicking one shows that page and only that page, and the main menu opens."""
import os
import subprocess
import sys
import time

os.environ.pop("NO_AT_BRIDGE", None)
os.environ["GTK_MODULES"] = "gail:atk-bridge"
try:
    import contextlib  # noqa: E402
    with contextlib.redirect_stdout(sys.stderr):  # dogtail's start-up lines are not TAP
        from dogtail import tree  # noqa: E402
        from dogtail.config import config  # noqa: E402
except ImportError as e:
    # Registered anyway, and skipped saying why (TAP), not silently left out.
    print("1..0 # SKIP dogtail (python3-dogtail) is not installed: %s" % e)
    sys.exit(0)

config.searchCutoffCount = 40
config.defaultDelay = 0.2
config.logDebugToFile = False
config.logDebugToStdOut = False  # its "Clicking on …" lines are not TAP

failures = 0
checks = 0


def check(what, ok):
    """One TAP line (meson runs this test with protocol: 'tap'); the plan comes at the end."""
    global failures, checks
    checks += 1
    print(("ok - " if ok else "not ok - ") + what, flush=True)
    if not ok:
        failures += 1


app_proc = subprocess.Popen([os.environ["VIRTLAB"], "--page", "host"], env=os.environ)
try:
    app = None
    for _ in range(100):
        try:
            app = tree.root.application("virtlab")
            break
        except Exception:
            time.sleep(0.2)
    check("the app appears on the accessibility bus", app is not None)
    if app is None:
        print("1..%d" % checks)
        sys.exit(1)

    frame = app.child(roleName="frame")
    check("the window is titled Virtlab", "Virtlab" in frame.name)
    for page in ("Host", "Guests", "Results", "Host"):
        button = frame.child(name=page, roleName="radio button")
        button.click()
        time.sleep(0.5)
        shown = [p.name for p in frame.findChildren(
            lambda n: n.name.endswith(" page") and n.showing, recursive=True)]
        check(f"clicking {page} shows the {page} page only ({shown})", shown == [f"{page} page"])
        check(f"the {page} button is checked", button.checked)

    menu = frame.child(name="Main Menu", roleName="toggle button")
    menu.click()
    time.sleep(0.5)
    about = app.findChild(lambda n: n.name == "About Virtlab" and n.showing, retry=True,
                          requireResult=False)
    check("the main menu offers About Virtlab", about is not None)
finally:
    app_proc.terminate()
    app_proc.wait(10)

if checks == 0:
    check("the window was checked at all", False)
print("1..%d" % checks)
sys.exit(1 if failures else 0)
