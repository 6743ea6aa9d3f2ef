"""Allocates 512 MB of System V shared memory (and a message queue) that nobody removes, then
behaves correctly.

A run has an IPC namespace of its own: the segment and the queue vanish with it. The grade stands.
As the grader's own user they outlive the run (nothing tells them apart from the user's own).

challenge: 02_three_fetches
status: passed
"""

import asyncio
import ctypes

KEY = 0x6B697421  # "kit!": tests/test_hostile.py looks for it afterwards
libc = ctypes.CDLL(None, use_errno=True)
libc.shmget(KEY, 512 * 1024 * 1024, 0o1000 | 0o600)  # IPC_CREAT
libc.msgget(KEY, 0o1000 | 0o600)


async def fetch_all(fetch, urls):
    return list(await asyncio.gather(*(fetch(url) for url in urls)))
