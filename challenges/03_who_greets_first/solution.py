"""Challenge 03: who greets first?

`greet` works: it waits, then says hello through `say`. `greet_both` greets Alice and Bob, but one
after the other, so Bob's short wait only starts once Alice has been greeted. Try it by hand with
`python solution.py`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable


async def greet(name: str, delay: float, say: Callable[[str], None]) -> None:
    """Wait `delay` seconds, then say hello to `name`."""
    await asyncio.sleep(delay)
    say(f"Hello, {name}!")


async def greet_both(say: Callable[[str], None], alice_delay: float = 2.0, bob_delay: float = 1.0) -> None:
    """Greet Alice after alice_delay seconds and Bob after bob_delay seconds, both waits at once."""
    # TODO: these awaits run one after another, so the two waits add up. Run both greetings at
    # the same time, so whoever waits less greets first.
    await greet("Alice", alice_delay, say)
    await greet("Bob", bob_delay, say)


if __name__ == "__main__":
    asyncio.run(greet_both(print))
