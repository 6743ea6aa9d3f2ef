"""Challenge 04: don't block the loop.

Two helpers of a small async program. Both give the right answers, and both freeze the event loop
while they wait, so every other task of the program stops too. Run `python solution.py` to see a
ticker task stall while they work.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable


def legacy_lookup(user_id: str) -> str:
    """The old profile client: a plain, blocking function that takes about a second.

    Treat it as a library you may not change. (The tests give load_profile their own copy.)
    """
    time.sleep(1)
    return f"profile of {user_id}"


async def wait_until_ready(is_ready: Callable[[], bool], interval: float = 0.1) -> int:
    """Call is_ready() every `interval` seconds until it returns True; return how many calls it took."""
    checks = 1
    while not is_ready():
        # TODO (part 1): time.sleep freezes the whole event loop between checks. Wait without blocking.
        time.sleep(interval)
        checks += 1
    return checks


async def load_profile(user_id: str, lookup: Callable[[str], str] = legacy_lookup) -> str:
    """Return lookup(user_id), keeping the event loop free while lookup blocks."""
    # TODO (part 2): lookup blocks for about a second, and called here it blocks the loop with it.
    # Run it in a worker thread instead.
    return lookup(user_id)


async def _demo() -> None:
    async def ticker() -> None:
        while True:
            print("tick")
            await asyncio.sleep(0.2)

    ticking = asyncio.create_task(ticker())
    await asyncio.sleep(0.5)
    print(await load_profile("ada"))
    ticking.cancel()


if __name__ == "__main__":
    asyncio.run(_demo())
