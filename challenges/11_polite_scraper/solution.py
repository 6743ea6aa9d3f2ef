"""Challenge 11: a polite scraper.

`fetch` is an async function: `await fetch(url)` returns the page at `url`. The site allows at most
`limit` requests in flight at once from one client. This version fetches every page at the same
time, which is fast but breaks that rule.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable


async def scrape(fetch: Callable[[str], Awaitable[str]], urls: list[str], limit: int = 5) -> list[str]:
    """Every page, in the order of `urls`, with never more than `limit` fetches in flight."""
    # TODO: all the fetches start at once here. Let at most `limit` run at a time, and start the next
    # one as soon as any of them finishes.
    return list(await asyncio.gather(*(fetch(url) for url in urls)))
