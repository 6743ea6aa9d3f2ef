"""Challenge 12: the fastest mirror.

Each mirror is an async function: `await mirror(path)` returns the file's body, or raises (a
ConnectionError, say) when that mirror is broken. This version works, but it waits for every mirror
to answer before it picks one, and it picks the first in the list, not the first to answer.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

Mirror = Callable[[str], Awaitable[str]]


async def fastest(mirrors: list[Mirror], path: str) -> str:
    """Return the first successful answer; cancel the other mirrors; if all fail, raise."""
    # TODO: gather waits for the slowest mirror. Take the answers as they arrive instead, return
    # the first success, and cancel the mirrors that are still working before you return.
    answers = await asyncio.gather(*(mirror(path) for mirror in mirrors), return_exceptions=True)
    errors = [answer for answer in answers if isinstance(answer, Exception)]
    for answer in answers:
        if not isinstance(answer, BaseException):
            return answer
    raise ExceptionGroup("every mirror failed", errors)
