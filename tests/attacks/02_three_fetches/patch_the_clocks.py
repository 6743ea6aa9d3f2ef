"""Makes every clock the learner's process has run three times as fast (time.monotonic,
perf_counter, time, the running loop's time) and fetches one URL after another.

honest: challenges/02_three_fetches/solution.py
attack: time
"""

from __future__ import annotations

import asyncio
import time

_real = {name: getattr(time, name) for name in ("monotonic", "perf_counter", "time")}
_start = {name: clock() for name, clock in _real.items()}
for _name, _clock in _real.items():
    setattr(time, _name, lambda c=_clock, s=_start[_name]: s + 3 * (c() - s))


async def fetch_all(fetch, urls):
    loop = asyncio.get_running_loop()
    base = loop.time()
    loop.time = lambda: base + 3 * (time.monotonic() - base)
    return [await fetch(url) for url in urls]
