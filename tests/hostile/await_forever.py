"""An await that never returns: the coroutine waits on an event nobody sets.

The trial's own budget turns the hang into a verdict: every test fails with never-finished.

challenge: 02_three_fetches
status: failed
diagnosis: never-finished
"""

import asyncio


async def fetch_all(fetch, urls):
    await asyncio.Event().wait()
