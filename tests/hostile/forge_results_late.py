"""Lets the real tests run, then (from a thread that outlives the session) rewrites the signed
results file: every test passed, the real signature kept.

The signature covers the content, so the edited file no longer matches it. (Should the thread
lose the race against the end of the process, the honest verdict stands: sequential; should the
grader read the file while the thread is half-way through rewriting it: a crash.)

With the witness, the tests run in another process the solution cannot reach: the attack
changes nothing there, and the solution is graded as what it is.

challenge: 02_three_fetches
status: failed|error
diagnosis: import-error|sequential|crashed
"""

import json
import sys
import threading
import time

path = sys.argv[sys.argv.index("--grader-results") + 1]


def _rewrite():
    while True:
        time.sleep(0.002)
        try:
            with open(path) as source:
                data = json.load(source)
        except (OSError, ValueError):
            continue
        if data.get("complete") and any(t["status"] != "passed" for t in data["tests"]):
            for test in data["tests"]:
                test.update(status="passed", message="", diagnosis=None)
            with open(path, "w") as out:
                json.dump(data, out)


threading.Thread(target=_rewrite, daemon=False).start()


async def fetch_all(fetch, urls):
    return [await fetch(url) for url in urls]
