"""Imports a module that does not exist.

challenge: 02_three_fetches
status: error
diagnosis: import-error
"""

import asyncio

import fastfetch_turbo  # noqa: F401


async def fetch_all(fetch, urls):
    return list(await asyncio.gather(*(fetch(url) for url in urls)))
