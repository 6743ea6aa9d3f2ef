"""os._exit(0) from inside the coroutine, while a test is running.

With the witness, the tests run in another process the solution cannot reach: the attack
changes nothing there, and the solution is graded as what it is.

challenge: 02_three_fetches
status: failed|error
diagnosis: crashed
"""

import os


async def fetch_all(fetch, urls):
    os._exit(0)
