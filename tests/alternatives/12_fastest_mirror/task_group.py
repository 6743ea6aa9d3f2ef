"""Alternative: a TaskGroup in which the winning task raises, so the group cancels the others."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable


class _Found(Exception):
    """Raised by the first mirror to succeed; the TaskGroup then cancels every other task."""

    def __init__(self, body: str) -> None:
        super().__init__("found")
        self.body = body


async def fastest(mirrors: list[Callable[[str], Awaitable[str]]], path: str) -> str:
    errors: list[Exception] = []

    async def attempt(mirror: Callable[[str], Awaitable[str]]) -> None:
        try:
            body = await mirror(path)
        except Exception as exc:  # a broken mirror must not stop the group: just note it
            errors.append(exc)
            return
        raise _Found(body)

    found: _Found | None = None
    try:
        async with asyncio.TaskGroup() as group:
            for mirror in mirrors:
                group.create_task(attempt(mirror))
    except* _Found as winners:  # the group waited for the cancelled losers before raising
        found = winners.exceptions[0]  # type: ignore[assignment]
    if found is None:
        raise ExceptionGroup("every mirror failed", errors)
    return found.body
