"""Ignores SIGTERM (and SIGINT, SIGHUP) and then blocks forever, in two processes.

The watchdog does not rely on SIGTERM reaching the tests: the keeper kills with SIGKILL.

challenge: 02_three_fetches
status: timeout
diagnosis: timeout
timeout: 4
"""

import ctypes
import os
import signal
import time

for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
    signal.signal(sig, signal.SIG_IGN)
if os.fork() == 0:
    ctypes.CDLL(None).prctl(15, b"hostile-noterm", 0, 0, 0)
    time.sleep(300)
    os._exit(0)


async def fetch_all(fetch, urls):
    time.sleep(300)
