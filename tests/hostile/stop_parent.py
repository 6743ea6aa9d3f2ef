"""Sends SIGSTOP to its parent (the keeper) and then loops forever.

As a fresh uid the signal is refused; as the grader's own user the keeper freezes. Either way the
watchdog fires and the whole session is killed.

challenge: 02_three_fetches
status: timeout
diagnosis: timeout
timeout: 4
"""

import contextlib
import os
import signal

with contextlib.suppress(OSError):
    os.kill(os.getppid(), signal.SIGSTOP)


async def fetch_all(fetch, urls):
    while True:
        pass
