"""Cancels the other jobs when one fails, but raises at once without waiting for them: their
cleanup (the jobs' finally blocks) has not run when the error reaches the caller.

expect: cancel-not-awaited
"""

import asyncio


async def run_all(jobs):
    tasks = [asyncio.create_task(job()) for job in jobs]
    try:
        return list(await asyncio.gather(*tasks))
    except Exception:
        for task in tasks:
            task.cancel()
        raise
