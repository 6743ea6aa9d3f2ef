"""A memory hog split over several processes, each one under the per-process limit.

Four processes each touch about 700 MB: only the keeper's watch on the whole tree's memory stops
them (before the machine runs out of memory).

challenge: 02_three_fetches
status: error
diagnosis: crashed
timeout: 20
"""

import ctypes
import os
import time

for _ in range(3):
    if os.fork() == 0:
        ctypes.CDLL(None).prctl(15, b"hostile-hog", 0, 0, 0)
        break
blocks = [b"\x01" * (100 * 1024 * 1024) for _ in range(7)]
time.sleep(30)
