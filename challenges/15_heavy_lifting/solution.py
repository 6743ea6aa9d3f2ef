"""Challenge 15: heavy lifting.

`crunch(seed, rounds)` is CPU-heavy: it computes for a good fraction of a second and never awaits.
Called directly inside a coroutine it freezes the event loop, so a server doing this would stop
answering everyone else until it is done.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any


async def crunch_all(crunch: Callable[[str, int], Any], seeds: list[str], rounds: int) -> list[Any]:
    """Return crunch(seed, rounds) for every seed, in the order of `seeds`."""
    # TODO: each crunch call runs on the event loop's own thread and blocks it. Run them in a
    # process pool instead, all at once, and await their results.
    return [crunch(seed, rounds) for seed in seeds]
