"""Alternative for 09: each fetch wrapped so it returns its exception; a TaskGroup runs the wrappers."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable


async def fetch_all(fetch: Callable[[str], Awaitable[str]], urls: list[str]) -> list[str | Exception]:
    async def outcome(url: str) -> str | Exception:
        try:
            return await fetch(url)
        except Exception as exc:  # not BaseException: a cancellation must still cancel
            return exc

    # No wrapper ever raises, so the TaskGroup never cancels a sibling.
    async with asyncio.TaskGroup() as group:
        tasks = [group.create_task(outcome(url)) for url in urls]
    return [task.result() for task in tasks]
