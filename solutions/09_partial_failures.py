"""Reference solution for challenge 09 (a TaskGroup of wrappers that return their exception, or
asyncio.wait followed by task.exception() / task.result(), pass too)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable


async def fetch_all(fetch: Callable[[str], Awaitable[str]], urls: list[str]) -> list[str | BaseException]:
    """One item per URL, in the order of `urls`: the body, or the exception fetch raised for it."""
    # return_exceptions=True makes gather wait for every fetch and store an exception as that
    # fetch's result instead of raising it, so one failure neither ends this await early nor
    # cancels the others. The item is the very exception object the fetch raised (gather takes it
    # from the finished task), in the position of its URL, like every other result.
    return list(await asyncio.gather(*(fetch(url) for url in urls), return_exceptions=True))
