"""Both greetings as tasks of a TaskGroup: the group waits for both before greet_both returns."""

from __future__ import annotations

import asyncio
from collections.abc import Callable


async def greet(name: str, delay: float, say: Callable[[str], None]) -> None:
    await asyncio.sleep(delay)
    say(f"Hello, {name}!")


async def greet_both(say: Callable[[str], None], alice_delay: float = 2.0, bob_delay: float = 1.0) -> None:
    async with asyncio.TaskGroup() as group:
        group.create_task(greet("Alice", alice_delay, say))
        group.create_task(greet("Bob", bob_delay, say))
