#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Stands in for virtlab-host-helper and answers with what the real one said in the install tier's
Debian machine (tests/install/helper-transcript.sh recorded it): the Host page's runner reads these
lines through its own parser, as it reads the real helper's.

Started by the page (VIRTLAB_HOST_HELPER names this file; the page adds "--root SYSROOT", which is
ignored). The records, in order, are named by VL_REPLAY_TRANSCRIPTS (paths joined by ":"); each
line of a record is "TIME > REQUEST" (what the runner asked) or "TIME LINE" (what the helper said).

The helper's first "ready" line is said at once. Then each request from the page must be the
recorded request at that place, word for word: otherwise the step is refused, naming both, and the
page shows it (the page and the real run disagree). A request after the recording's last one gets
no answer (a helper at work) until "cancel". The recorded answer follows with its own
pauses, shortened VL_REPLAY_SPEED times (default 400) and to at most 0.25 s each. "cancel" ends
the replay with "cancelled". VL_REPLAY_LOG, when set, receives one line per request replayed.
"""
import os
import sys
import time

END_WORDS = ("step-done", "step-failed", "refused", "cancelled")


def load(paths):
    """The requests in order, each with the helper's timed lines that answered it; the ready line."""
    ready = None
    steps = []
    for path in paths:
        with open(path, encoding="utf-8") as f:
            for raw in f:
                raw = raw.rstrip("\n")
                stamp, _, rest = raw.partition(" ")
                t = float(stamp)
                if rest.startswith("> "):
                    steps.append({"request": rest[2:], "lines": []})
                elif rest.startswith("ready ") or rest == "ready":
                    ready = ready or rest
                elif steps:
                    steps[-1]["lines"].append((t, rest))
    return ready, steps


def say(line):
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def main():
    paths = [p for p in os.environ.get("VL_REPLAY_TRANSCRIPTS", "").split(":") if p]
    if not paths:
        print("replay-helper: VL_REPLAY_TRANSCRIPTS names no record", file=sys.stderr)
        return 2
    speed = float(os.environ.get("VL_REPLAY_SPEED", "400"))
    log = open(os.environ["VL_REPLAY_LOG"], "a", encoding="utf-8") if os.environ.get("VL_REPLAY_LOG") else None
    ready, steps = load(paths)
    say(ready or "ready debian")
    index = 0
    for request in sys.stdin:
        request = request.rstrip("\n")
        if request == "cancel":
            say("cancelled")
            continue
        if index >= len(steps):
            # The recording ends here: like a helper still at work, no answer until "cancel".
            if log:
                log.write("unrecorded %s\n" % request.split("\t")[0])
                log.flush()
            continue
        step = steps[index]
        index += 1
        if request != step["request"]:
            if log:
                log.write("mismatch\npage: %s\nrecorded: %s\n" % (request, step["request"]))
                log.flush()
            say("refused the page asked for “%s”, the recorded run for “%s” here"
                % (request.replace("\t", " ")[:200], step["request"].replace("\t", " ")[:200]))
            continue
        if log:
            log.write("%s\n" % request.split("\t")[0])
            log.flush()
        last = step["lines"][0][0] if step["lines"] else 0
        for t, line in step["lines"]:
            time.sleep(min(max(t - last, 0) / speed, 0.25))
            last = t
            say(line)
            if line.split(" ")[0] in END_WORDS:
                break
    return 0


if __name__ == "__main__":
    sys.exit(main())
