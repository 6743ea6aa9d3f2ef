"""A correct solution that leaves files behind in /tmp, /var/tmp and /dev/shm at import time.

As a fresh uid, everything it owns there is deleted after the run; as the grader's own user the
files stay (nothing tells them apart from the user's own files). The grade stands either way.

challenge: 02_three_fetches
status: passed
"""

import asyncio
import contextlib

for folder in ("/tmp", "/var/tmp", "/dev/shm"):
    with contextlib.suppress(OSError), open(f"{folder}/grader-hostile-litter.txt", "w") as out:
        out.write("was here\n")


async def fetch_all(fetch, urls):
    return list(await asyncio.gather(*(fetch(url) for url in urls)))
