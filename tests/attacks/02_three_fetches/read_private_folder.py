"""Looks for the witness's private folder, its results file and its socket folder in every
temporary folder it can see, reads what it can, and tries to write a results file of its own.

honest: challenges/02_three_fetches/solution.py
attack: reading-answers
"""

from __future__ import annotations

import glob
import json
import os


def _snoop():
    seen = []
    for root in ("/tmp", "/var/tmp", "/dev/shm", os.path.expanduser("~"), os.getcwd() + "/..", "/run"):
        for path in glob.glob(os.path.join(root, "**", "*"), recursive=True)[:5000]:
            if any(k in path for k in ("witness", "results", "executor.sock", "pytest.ini", "test_")):
                seen.append(path)
                try:
                    with open(path, "rb") as f:
                        seen.append(f.read(4096).decode("latin-1"))
                except OSError:
                    pass
                if path.endswith("results.json"):
                    try:
                        with open(path, "w") as f:
                            json.dump({"tests": [], "forged": True}, f)
                    except OSError:
                        pass
    return seen


async def fetch_all(fetch, urls):
    _snoop()
    return [await fetch(url) for url in urls]
