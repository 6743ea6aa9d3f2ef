"""Reference solution for challenge 06 (inlining `await fetch(path)` into handle_request works too)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

Fetch = Callable[[str], Awaitable[str]]


async def load_page(fetch: Fetch, path: str) -> str:
    """The page at path."""
    # handle_request already runs on the server's loop, so the helper must not start a loop of its
    # own (asyncio.run, run_until_complete, a loop in a thread): it becomes a coroutine and awaits.
    # While this request waits here, the loop is free to run the other requests.
    return await fetch(path)


async def handle_request(fetch: Fetch, path: str) -> dict[str, Any]:
    """The response to one request; the server runs this for many requests at once."""
    # Making load_page async means its caller awaits it: `async` spreads up the call chain to the
    # one asyncio.run at the program's entry point.
    body = await load_page(fetch, path)
    return {"status": 200, "path": path, "body": body}
