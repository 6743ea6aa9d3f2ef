"""os._exit(0) from inside the coroutine, while a test is running.

challenge: 02_three_fetches
status: error
diagnosis: crashed
"""

import os


async def fetch_all(fetch, urls):
    os._exit(0)
