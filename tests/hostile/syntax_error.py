"""A syntax error.

challenge: 02_three_fetches
status: error
diagnosis: syntax-error
"""

import asyncio


async def fetch_all(fetch, urls)
    return list(await asyncio.gather(*(fetch(url) for url in urls)))
