"""Start both tasks first, then await each: the second await finds its task already running."""

from __future__ import annotations

import asyncio
from collections.abc import Callable


async def greet(name: str, delay: float, say: Callable[[str], None]) -> None:
    await asyncio.sleep(delay)
    say(f"Hello, {name}!")


async def greet_both(say: Callable[[str], None], alice_delay: float = 2.0, bob_delay: float = 1.0) -> None:
    delays = {"Alice": alice_delay, "Bob": bob_delay}
    tasks = [asyncio.create_task(greet(name, delay, say)) for name, delay in delays.items()]
    for task in tasks:
        await task
