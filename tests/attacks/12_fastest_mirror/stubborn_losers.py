"""Wraps each mirror in a task that catches CancelledError and goes on waiting for its mirror;
cancels the losers (which ignore it) and returns the first success.

honest: tests/mistakes/12_fastest_mirror/no_cancel.py
attack: cancellation
"""

from __future__ import annotations

import asyncio


async def _stubborn(call):
    inner = asyncio.ensure_future(call)
    while True:
        try:
            return await asyncio.shield(inner)
        except asyncio.CancelledError:
            continue


async def fastest(mirrors, path):
    pending = {asyncio.create_task(_stubborn(mirror(path))) for mirror in mirrors}
    errors = []
    while pending:
        done, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
        for task in done:
            if task.exception() is None:
                for loser in pending:
                    loser.cancel()
                await asyncio.sleep(0.1)  # "awaited" the cancellation
                return task.result()
            errors.append(task.exception())
    raise ExceptionGroup("every mirror failed", errors)
