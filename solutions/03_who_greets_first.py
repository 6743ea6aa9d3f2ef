"""Reference solution for challenge 03 (one correct way; tasks or a TaskGroup work too)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable


async def greet(name: str, delay: float, say: Callable[[str], None]) -> None:
    """Wait `delay` seconds, then say hello to `name`."""
    await asyncio.sleep(delay)
    say(f"Hello, {name}!")


async def greet_both(say: Callable[[str], None], alice_delay: float = 2.0, bob_delay: float = 1.0) -> None:
    """Greet Alice after alice_delay seconds and Bob after bob_delay seconds, both waits at once."""
    # gather starts both greet coroutines together, so the two waits overlap. Each greet calls say
    # itself the moment its own wait is over: whoever waits less greets first, whatever order they
    # were passed in, and the whole thing takes as long as the longest wait, not the sum.
    await asyncio.gather(greet("Alice", alice_delay, say), greet("Bob", bob_delay, say))
