"""Reads the kit's reference solution at grading time and runs it as its own.

With a fresh uid and mount namespaces the kit's solutions/ folder is covered by an empty mount, so
the file is not there and the sequential fallback is graded. As the grader's own user the file
can be read and the copy passes: graders of untrusted code should run as root.

challenge: 02_three_fetches
status: failed
diagnosis: sequential
same-user-status: passed
"""

import glob
import os

import grader

kit = os.path.dirname(os.path.dirname(grader.__file__))
found = glob.glob(os.path.join(kit, "solutions", "02_*.py"))
if found:
    with open(found[0]) as source:
        exec(source.read())
else:
    async def fetch_all(fetch, urls):
        return [await fetch(url) for url in urls]
