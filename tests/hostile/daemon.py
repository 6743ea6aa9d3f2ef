"""A correct solution that leaves a daemon behind: double fork, setsid, and exec with an empty
environment (so no tag in its environment betrays it).

The keeper is a child subreaper, so the daemon stays in its tree and is killed; the grade stands.

challenge: 02_three_fetches
status: passed
"""

import asyncio
import os
import sys

if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        os.execve(sys.executable, [sys.executable, "-c", "import time; time.sleep(300)",
                                   "grader-hostile-daemon"], {})
    os._exit(0)


async def fetch_all(fetch, urls):
    return list(await asyncio.gather(*(fetch(url) for url in urls)))
