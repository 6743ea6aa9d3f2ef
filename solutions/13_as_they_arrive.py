"""Reference solution for challenge 13 (one correct way among several: a TaskGroup whose tasks
each report their own body, or done-callbacks on tasks, work too)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable


async def fetch_and_report(fetch: Callable[[str], Awaitable[str]], urls: list[str],
                           report: Callable[[str], None]) -> None:
    """Fetch every URL at once and call report(body) for each body as soon as it arrives."""
    # as_completed starts every fetch at once and yields awaitables in the order the fetches
    # *finish*: each `await` below wakes up when the next body is in, so the body is reported
    # then, not when the slowest fetch is done. (gather would give the list only at the end.)
    for next_body in asyncio.as_completed([fetch(url) for url in urls]):
        report(await next_body)
    # The loop ends after the last fetch: every task as_completed started has finished, so
    # nothing is left running when we return.
