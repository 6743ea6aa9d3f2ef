"""Keeps every outcome, but appends each one when it arrives, so the list is in completion order.

expect: wrong-order
"""

import asyncio


async def fetch_all(fetch, urls):
    outcomes = []

    async def one(url):
        try:
            outcomes.append(await fetch(url))
        except Exception as exc:
            outcomes.append(exc)

    await asyncio.gather(*(one(url) for url in urls))
    return outcomes
