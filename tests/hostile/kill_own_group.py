"""Kills its own process group with SIGKILL while a test runs (itself included).

With the witness, the tests run in another process the solution cannot reach: the attack
changes nothing there, and the solution is graded as what it is.

challenge: 02_three_fetches
status: failed|error
diagnosis: crashed
"""

import os
import signal


async def fetch_all(fetch, urls):
    os.killpg(os.getpgid(0), signal.SIGKILL)
