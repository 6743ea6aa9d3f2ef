"""Reference solution for challenge 04 (one correct way; loop.run_in_executor works for part 2 too)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable


def legacy_lookup(user_id: str) -> str:
    """The old profile client: a plain, blocking function that takes about a second."""
    time.sleep(1)
    return f"profile of {user_id}"


async def wait_until_ready(is_ready: Callable[[], bool], interval: float = 0.1) -> int:
    """Call is_ready() every `interval` seconds until it returns True; return how many calls it took."""
    checks = 1
    while not is_ready():
        # `await asyncio.sleep` pauses only this coroutine: the loop runs every other task until the
        # next check is due. time.sleep would stop the loop's thread between checks, and a loop with
        # no await at all (busy waiting) would never let the loop run either, while burning a core.
        await asyncio.sleep(interval)
        checks += 1
    return checks


async def load_profile(user_id: str, lookup: Callable[[str], str] = legacy_lookup) -> str:
    """Return lookup(user_id), keeping the event loop free while lookup blocks."""
    # lookup has no async version and blocks whichever thread calls it. to_thread runs it in a worker
    # thread and gives back an awaitable, so only this coroutine waits for it and the loop carries on.
    # Pass the function and its argument separately: to_thread(lookup(user_id)) would call it here,
    # on the loop, before the thread is even asked. Blocking I/O releases the GIL, so threads suit it.
    return await asyncio.to_thread(lookup, user_id)
