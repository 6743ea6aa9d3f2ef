"""sys.exit() from inside the coroutine, while a test is running.

challenge: 02_three_fetches
status: error|failed
diagnosis: raised|crashed
"""

import sys


async def fetch_all(fetch, urls):
    sys.exit(3)
