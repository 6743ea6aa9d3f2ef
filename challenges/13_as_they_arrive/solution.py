"""Challenge 13: as they arrive.

`fetch` is an async function: `await fetch(url)` returns the body of that URL after a while, and
some URLs are much slower than others. `report` is a plain function: `report(body)` shows one body
to the user straight away. This version fetches everything at once, which is good, but reports
nothing until the slowest fetch is done.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable


async def fetch_and_report(fetch: Callable[[str], Awaitable[str]], urls: list[str],
                           report: Callable[[str], None]) -> None:
    """Fetch every URL at once and call report(body) for each body as soon as it arrives."""
    # TODO: gather waits for the slowest fetch before the loop below reports anything. Report each
    # body the moment its own fetch completes instead.
    bodies = await asyncio.gather(*(fetch(url) for url in urls))
    for body in bodies:
        report(body)
