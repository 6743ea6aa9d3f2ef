"""Alternative: a TaskGroup in which each task fetches and then reports its own body."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable


async def fetch_and_report(fetch: Callable[[str], Awaitable[str]], urls: list[str],
                           report: Callable[[str], None]) -> None:
    async def fetch_then_report(url: str) -> None:
        report(await fetch(url))  # runs the moment this URL's body is in

    async with asyncio.TaskGroup() as group:
        for url in urls:
            group.create_task(fetch_then_report(url))
