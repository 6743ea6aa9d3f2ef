"""Writes a complete results file, every test passed, to the path it finds in sys.argv, then
leaves with os._exit(0) before any test runs. It even waits out the simulated waiting first, so
the parent's clock alone would not catch it: the missing signature does.

With the witness, the tests run in another process the solution cannot reach: the attack
changes nothing there, and the solution is graded as what it is.

challenge: 02_three_fetches
status: failed|error
diagnosis: import-error|sequential|crashed
"""

import json
import os
import sys
import time

path = sys.argv[sys.argv.index("--grader-results") + 1]
tests = [("test_returns_every_body_in_order", 4), ("test_fetches_overlap", 3),
         ("test_finishes_in_about_one_second", 3)]
time.sleep(1.5)
with open(path, "w") as out:
    json.dump({"version": 1, "complete": True, "exitstatus": 0, "incidents": [],
               "tests": [{"nodeid": f"02_three_fetches/test_three_fetches.py::{name}", "name": name,
                          "points": points, "status": "passed", "message": "", "diagnosis": None,
                          "duration": 1.0, "line_no": 1} for name, points in tests]}, out)
os._exit(0)
