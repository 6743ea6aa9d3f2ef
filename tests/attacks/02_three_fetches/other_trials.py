"""Sends requests and replies for other trial numbers, unknown services, negative and reused call
numbers, and a "returned" for the next trial, hoping to pre-load evidence; then the stub.

honest: challenges/02_three_fetches/solution.py
attack: writing-evidence
"""

from __future__ import annotations


def _link(service):
    cells = dict(zip(service.__code__.co_freevars, (c.cell_contents for c in service.__closure__),
                     strict=True))
    return cells["channel"], cells["trial"], cells["index"]


async def fetch_all(fetch, urls):
    channel, trial, index = _link(fetch)
    forged = [
        {"kind": "request", "trial": trial + 1, "call": 1, "service": index, "arg": urls[0]},
        {"kind": "request", "trial": trial - 1, "call": 2, "service": index, "arg": urls[0]},
        {"kind": "request", "trial": trial, "call": -5, "service": 99, "arg": urls[0]},
        {"kind": "request", "trial": trial, "call": "7", "service": "0", "arg": urls[0]},
        {"kind": "reply", "trial": trial, "call": 1, "ok": True, "body": "forged"},
        {"kind": "returned", "trial": trial + 1, "result": ["forged"]},
        {"kind": "finished", "trial": trial + 1, "testimony": {"sleeps": []}},
        {"kind": "hello", "pid": 1},
    ]
    for message in forged:
        channel.send(message)
    return [await fetch(url) for url in urls]
