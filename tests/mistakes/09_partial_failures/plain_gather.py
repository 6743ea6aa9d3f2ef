"""gather without return_exceptions: the first failure is raised and every body is lost.

expect: lost-results
"""

import asyncio


async def fetch_all(fetch, urls):
    return await asyncio.gather(*[fetch(url) for url in urls])
