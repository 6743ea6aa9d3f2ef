"""Wraps each fetch with `except BaseException`, which the README rules out: a cancellation of a
wrapper would be swallowed and returned as a value.

expect: swallowed-error
"""

import asyncio


async def fetch_all(fetch, urls):
    async def one(url):
        try:
            return await fetch(url)
        except BaseException as exc:
            return exc

    return list(await asyncio.gather(*(one(url) for url in urls)))
