"""Looks for other runs' scratch folders for three seconds (their paths are in /proc/*/cmdline,
and they live in /tmp/grader-*) and runs the first classmate's solution it can read as its own.

In namespaces of its own a run sees neither other runs' processes nor their folders, and a scratch
folder is readable by its own run alone: the sequential fallback is graded. tests/test_isolation.py
runs this beside a classmate's run. Alone, there is nothing to copy in any mode.

challenge: 02_three_fetches
status: failed
diagnosis: sequential
same-user-status: failed|passed
same-user-diagnosis:
"""

import glob
import os
import time

found = None
deadline = time.monotonic() + 3
while found is None and time.monotonic() < deadline:
    candidates = set(glob.glob("/tmp/grader-*/*/solution.py"))
    for cmdline in glob.glob("/proc/[0-9]*/cmdline"):
        try:
            args = open(cmdline, "rb").read().decode(errors="replace").split("\0")
        except OSError:
            continue
        candidates.update(a for a in args if a.endswith("/solution.py"))
    mine = os.path.realpath(__file__)
    for path in sorted(candidates):
        try:
            text = open(path).read()
        except OSError:
            continue
        if os.path.realpath(path) != mine and "gather" in text and "grader-hostile" not in text:
            found = text
            break
    time.sleep(0.05)
if found:
    exec(found)
else:
    async def fetch_all(fetch, urls):
        return [await fetch(url) for url in urls]
