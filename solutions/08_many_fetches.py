"""Reference solution for challenge 08 (one correct way among several: a list of tasks awaited in
order, a TaskGroup, or asyncio.wait with the results put back in input order all pass too)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable


async def fetch_all(fetch: Callable[[str], Awaitable[str]], urls: list[str]) -> list[str]:
    """Return the body of every URL, in the order of `urls`."""
    # fetch(url) only creates a coroutine; gather wraps each in a task, so all ten waits run at
    # once and the whole call lasts as long as the slowest one. gather's result lists the values in
    # the order of its arguments, however the fetches happen to finish, which is exactly the
    # order the task asks for. With no arguments it returns [] at once, so an empty list needs no
    # special case.
    return list(await asyncio.gather(*(fetch(url) for url in urls)))
