"""Alternative for 08: create every task first, then await them in the order of the URLs."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable


async def fetch_all(fetch: Callable[[str], Awaitable[str]], urls: list[str]) -> list[str]:
    # All tasks are scheduled before the first await, so they overlap; awaiting a task that has
    # already finished returns its result at once, so awaiting in input order costs nothing extra.
    tasks = [asyncio.ensure_future(fetch(url)) for url in urls]
    return [await task for task in tasks]
