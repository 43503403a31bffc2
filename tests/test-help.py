#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Help opens (issue 15 item 4): the app's Help menu item opens yelp on help:virtlab, and yelp shows
the help's title, not "Document Not Found". Read through at-spi (yelp's X window is always titled
"Help"; its document carries the page's title). Four ways: run from the build folder as
build-aux/run.sh runs it (XDG_DATA_DIRS=_build/help/data:...), and installed by `meson install`
into a DESTDIR; each in English and in zh_TW (LANGUAGE=zh_TW LANG=zh_TW.UTF-8)."""
import os
import shutil
import subprocess
import sys
import tempfile
import time

if shutil.which("yelp") is None:
    print("1..0 # SKIP yelp is not installed")
    sys.exit(0)

os.environ.pop("NO_AT_BRIDGE", None)
os.environ["GTK_MODULES"] = "gail:atk-bridge"
import contextlib  # noqa: E402
with contextlib.redirect_stdout(sys.stderr):  # dogtail's start-up lines are not TAP
    from dogtail import tree  # noqa: E402
    from dogtail.config import config  # noqa: E402

config.searchCutoffCount = 40
config.defaultDelay = 0.2
config.logDebugToFile = False
config.logDebugToStdOut = False  # its "Clicking on …" lines are not TAP
config.searchShowingOnly = False

builddir = os.environ["VL_TOP_BUILDDIR"]
shots = os.path.join(builddir, "tests", "help-shots")
os.makedirs(shots, exist_ok=True)
failures = 0
print("1..8")
n = 0


def check(what, ok):
    global failures, n
    n += 1
    print(("ok %d - " if ok else "not ok %d - ") % n + what, flush=True)
    if not ok:
        failures += 1


def find_app(name, seconds):
    for _ in range(int(seconds * 5)):
        try:
            for app in tree.root.children:
                if app.name == name:
                    return app
        except Exception:
            pass
        time.sleep(0.2)
    return None


def yelp_title(app, seconds):
    """The document's title once yelp has loaded one (an empty or "Help" title means still loading)."""
    title = None
    for _ in range(int(seconds * 5)):
        try:
            docs = app.findChildren(lambda n: n.roleName == "document web", recursive=True)
            titles = [d.name for d in docs if d.name]
            if titles:
                title = titles[0]
                if title != "Help":
                    return title
            # yelp's error page has no document title: its heading says what went wrong.
            missing = app.findChildren(lambda n: "Not Found" in (n.name or ""), recursive=True)
            if missing:
                return missing[0].name
        except Exception:
            pass
        time.sleep(0.2)
    return title


def open_help(data_dirs, language, expected, label):
    env = dict(os.environ)
    env["XDG_DATA_DIRS"] = data_dirs
    if language:
        env["LANGUAGE"] = language
        env["LANG"] = language + ".UTF-8"
        env.pop("LC_ALL", None)
        env.pop("LC_MESSAGES", None)
    app_proc = subprocess.Popen([os.environ["VIRTLAB"], "--page", "results"], env=env)
    yelp_pid = None
    title = None
    try:
        app = find_app("virtlab", 30)
        if app is None:
            return check(f"{label}: the app appears on the accessibility bus", False)
        frame = app.child(roleName="frame")
        # Named in the interface's language: run from the build folder the app finds its zh_TW catalogue.
        import gettext
        catalogue = gettext.translation("virtlab", localedir=os.path.join(builddir, "po"),
                                        languages=[language] if language else ["C"], fallback=True)
        menu_names = {"Main Menu", catalogue.gettext("Main Menu")}
        frame.findChild(lambda n: n.name in menu_names and n.roleName == "toggle button",
                        retry=True, requireResult=True).click()
        time.sleep(0.5)
        import re as _re
        help_names = {"Help", "說明", _re.sub(r"\(_?[A-Za-z]\)|_", "", catalogue.gettext("_Help")).strip()}
        item = app.findChild(lambda n: _re.sub(r"\(_?[A-Za-z]\)|_", "", n.name or "").strip() in help_names
                             and n.showing and n.roleName != "frame",
                             retry=True, requireResult=False)
        if item is None:
            seen = [f"{n.roleName}:{n.name!r}" for n in app.findChildren(
                lambda n: n.showing and n.roleName in ("menu item", "push button", "check menu item"))]
            print("# showing items:", ", ".join(seen[:30]))
            return check(f"{label}: the main menu offers Help", False)
        item.click()
        yelp = find_app("yelp", 30)
        if yelp is not None:
            yelp_pid = yelp.get_process_id()
            title = yelp_title(yelp, 20)
        subprocess.run(["import", "-window", "root", os.path.join(shots, label + ".png")],
                       stderr=subprocess.DEVNULL)
        check(f"{label}: yelp shows “{expected}” (it shows “{title}”)", title == expected)
    finally:
        if yelp_pid:
            try:
                os.kill(yelp_pid, 15)
            except ProcessLookupError:
                pass
            # The next case needs a yelp of its own (yelp is single-instance, with its first environment).
            for _ in range(50):
                if not os.path.exists(f"/proc/{yelp_pid}") or \
                        open(f"/proc/{yelp_pid}/stat").read().split(") ")[1].startswith("Z"):
                    break
                time.sleep(0.1)
        app_proc.terminate()
        app_proc.wait(10)


system_dirs = "/usr/local/share:/usr/share"
build_tree = os.path.join(builddir, "help", "data")
check("the build folder has the help as installed (help/C/virtlab/index.page)",
      os.path.isfile(os.path.join(build_tree, "help", "C", "virtlab", "index.page")))
check("and in zh_TW (help/zh_TW/virtlab/index.page)",
      os.path.isfile(os.path.join(build_tree, "help", "zh_TW", "virtlab", "index.page")))
open_help(build_tree + ":" + system_dirs, None, "Virtlab Help", "build-en")
open_help(build_tree + ":" + system_dirs, "zh_TW", "Virtlab 說明", "build-zh_TW")

destdir = tempfile.mkdtemp(prefix="vl-help-install-")
try:
    # Only the help (install tag "doc"): what `meson install` puts where yelp looks.
    done = subprocess.run(["meson", "install", "-C", builddir, "--no-rebuild", "--tags", "doc",
                           "--destdir", destdir], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    prefix = subprocess.run(["meson", "introspect", "--buildoptions", builddir], capture_output=True,
                            text=True).stdout
    import json
    opts = {o["name"]: o["value"] for o in json.loads(prefix)}
    share = destdir + os.path.join(opts["prefix"], opts["datadir"])
    check(f"meson install puts the help in {share}/help/C/virtlab ({done.stderr.strip()[-200:]})",
          done.returncode == 0 and os.path.isfile(os.path.join(share, "help", "C", "virtlab", "index.page")))
    check("and the zh_TW help in help/zh_TW/virtlab",
          os.path.isfile(os.path.join(share, "help", "zh_TW", "virtlab", "index.page")))
    open_help(share + ":" + system_dirs, None, "Virtlab Help", "installed-en")
    open_help(share + ":" + system_dirs, "zh_TW", "Virtlab 說明", "installed-zh_TW")
finally:
    shutil.rmtree(destdir, ignore_errors=True)

sys.exit(1 if failures else 0)
