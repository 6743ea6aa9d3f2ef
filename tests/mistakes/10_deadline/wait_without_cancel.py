"""Stops waiting at the deadline with asyncio.wait, but leaves the slow call running.

expect: leaked-task
"""

import asyncio


async def quote_or_fallback(get_quote, symbol, deadline, fallback):
    task = asyncio.create_task(get_quote(symbol))
    done, _ = await asyncio.wait({task}, timeout=deadline)
    if task in done:
        return task.result()
    return fallback
