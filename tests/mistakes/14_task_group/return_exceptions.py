"""Keeps every outcome with return_exceptions=True: the failure comes back as a value, and the
caller never learns that a job failed.

expect: swallowed-error
"""

import asyncio


async def run_all(jobs):
    return list(await asyncio.gather(*(job() for job in jobs), return_exceptions=True))
