"""Floods the witness with a hundred thousand small frames from a thread while fetching one URL
at a time, hoping to slow the witness's clock or make it drop evidence.

honest: challenges/02_three_fetches/solution.py
attack: writing-evidence
"""

from __future__ import annotations

import threading


def _link(service):
    cells = dict(zip(service.__code__.co_freevars, (c.cell_contents for c in service.__closure__),
                     strict=True))
    return cells["channel"], cells["trial"]


async def fetch_all(fetch, urls):
    channel, trial = _link(fetch)

    def flood():
        for n in range(100_000):
            channel.send({"kind": "record", "trial": trial, "name": f"noise{n % 7}", "value": n})

    threading.Thread(target=flood, daemon=True).start()
    return [await fetch(url) for url in urls]
