"""Calls pytest.exit() from inside the coroutine while a test runs.

challenge: 02_three_fetches
status: failed|error
diagnosis: raised|crashed
"""

import pytest


async def fetch_all(fetch, urls):
    pytest.exit("nothing to see here", returncode=0)
