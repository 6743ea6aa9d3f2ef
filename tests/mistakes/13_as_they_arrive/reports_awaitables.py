"""Reports what as_completed yields without awaiting it: awaitables, not bodies.

expect: not-awaited
"""

import asyncio


async def fetch_and_report(fetch, urls, report):
    for next_body in asyncio.as_completed([fetch(url) for url in urls]):
        report(next_body)  # an awaitable that would give the next body, not the body
