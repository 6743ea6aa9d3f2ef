"""Challenge 06: asyncio.run inside async code.

This small web server used to be synchronous. Now the server runs `handle_request` on its event
loop for every request, many at once, but `load_page` was kept from the old version: it still
starts an event loop of its own with asyncio.run, and every request fails with
`RuntimeError: asyncio.run() cannot be called from a running event loop`.
Run `python solution.py` to see it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

Fetch = Callable[[str], Awaitable[str]]


def load_page(fetch: Fetch, path: str) -> str:
    """The page at path (kept from the synchronous version of the server)."""
    # TODO: asyncio.run starts a new event loop, but this code already runs on one: the server's.
    # Make load_page a coroutine that awaits fetch, and await load_page in handle_request.
    return asyncio.run(fetch(path))


async def handle_request(fetch: Fetch, path: str) -> dict[str, Any]:
    """The response to one request; the server runs this for many requests at once."""
    body = load_page(fetch, path)
    return {"status": 200, "path": path, "body": body}


if __name__ == "__main__":
    async def demo_fetch(path: str) -> str:
        await asyncio.sleep(1)
        return f"<h1>page {path}</h1>"

    async def serve(paths: list[str]) -> list[dict[str, Any]]:
        return list(await asyncio.gather(*(handle_request(demo_fetch, path) for path in paths)))

    # The one right place for asyncio.run: the program's entry point, outside any coroutine.
    for response in asyncio.run(serve(["/", "/about", "/blog"])):
        print(response)
