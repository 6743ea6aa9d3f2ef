"""Alternative: asyncio.wait(FIRST_COMPLETED) in a loop, reporting each batch of finished tasks."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable


async def fetch_and_report(fetch: Callable[[str], Awaitable[str]], urls: list[str],
                           report: Callable[[str], None]) -> None:
    pending = {asyncio.create_task(fetch(url)) for url in urls}
    while pending:
        done, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
        for task in done:
            report(task.result())
