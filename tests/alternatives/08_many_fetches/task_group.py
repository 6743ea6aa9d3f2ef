"""Alternative for 08: a TaskGroup starts every fetch; results are read back in input order."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any


async def fetch_all(fetch: Callable[[str], Coroutine[Any, Any, str]], urls: list[str]) -> list[str]:
    async with asyncio.TaskGroup() as group:
        tasks = [group.create_task(fetch(url)) for url in urls]
    # Leaving the block waited for every task, so each result is ready.
    return [task.result() for task in tasks]
