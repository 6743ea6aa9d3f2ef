"""Finds the kit through the grader package and overwrites the challenge's original test file
(and deletes the reference solutions), so that later students would pass.

A fresh uid may not write the kit; the grader's own user could (see docs/grading-a-class.md), so
this case only runs when the grader is root.

challenge: 02_three_fetches
status: failed
diagnosis: sequential
requires: isolation
"""

import contextlib
import glob
import os

import grader

kit = os.path.dirname(os.path.dirname(grader.__file__))
for test in glob.glob(os.path.join(kit, "challenges", "*", "test_*.py")):
    with contextlib.suppress(OSError), open(test, "w") as out:
        out.write("def test_everything_passes():\n    pass\n")
for reference in glob.glob(os.path.join(kit, "solutions", "*.py")):
    with contextlib.suppress(OSError):
        os.remove(reference)


async def fetch_all(fetch, urls):
    return [await fetch(url) for url in urls]
