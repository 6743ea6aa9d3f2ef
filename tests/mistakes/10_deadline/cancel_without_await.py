"""Gives up at the deadline and cancels the quote's task, but returns the fallback at once without
awaiting the task: the cancellation is still under way when the function returns.

expect: cancel-not-awaited
"""

import asyncio


async def quote_or_fallback(get_quote, symbol, deadline, fallback):
    task = asyncio.create_task(get_quote(symbol))
    done, _ = await asyncio.wait({task}, timeout=deadline)
    if task in done:
        return task.result()
    task.cancel()
    return fallback
