"""Challenge 01: your first coroutine.

Write `brew`: it waits `seconds` seconds without blocking the event loop, then says the drink is
ready. Try it by hand with `python solution.py`.
"""

from __future__ import annotations

import asyncio


async def brew(drink: str, seconds: float) -> str:
    """Wait `seconds` seconds, letting other coroutines run meanwhile; return f"{drink} is ready"."""
    # TODO: wait `seconds` seconds in a way that hands control back to the event loop (await it),
    # then return the message. Delete the raise below.
    raise NotImplementedError("brew is not written yet")


if __name__ == "__main__":
    print(asyncio.run(brew("tea", 1)))
