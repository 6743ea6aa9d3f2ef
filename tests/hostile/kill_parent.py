"""Kills its parent with SIGKILL at import time, then behaves like the stub.

The parent is the keeper, not the grader. As a fresh uid it may not signal the keeper at all, so
the tests run and judge the sequential code; as the grader's own user the keeper dies, and with
it the test process (parent-death signal): a crash. The grader survives either way.

challenge: 02_three_fetches
status: failed
diagnosis: sequential
same-user-status: error|failed
same-user-diagnosis: crashed
"""

import contextlib
import os
import signal

with contextlib.suppress(OSError):
    os.kill(os.getppid(), signal.SIGKILL)


async def fetch_all(fetch, urls):
    return [await fetch(url) for url in urls]
