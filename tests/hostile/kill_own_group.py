"""Kills its own process group with SIGKILL while a test runs (itself included).

challenge: 02_three_fetches
status: error
diagnosis: crashed
"""

import os
import signal


async def fetch_all(fetch, urls):
    os.killpg(os.getpgid(0), signal.SIGKILL)
