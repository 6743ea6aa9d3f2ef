"""Dials the witness socket named on its command line a second time and sends a hello, a
"returned" with a forged result and a "finished" with clean testimony; then the stub.

honest: challenges/02_three_fetches/solution.py
attack: process-games
"""

from __future__ import annotations

import contextlib
import socket
import sys

from grader.witness.wire import pack


def _link(service):
    cells = dict(zip(service.__code__.co_freevars, (c.cell_contents for c in service.__closure__),
                     strict=True))
    return cells["trial"]


async def fetch_all(fetch, urls):
    trial = _link(fetch)
    for path in [a for a in sys.argv if a.endswith(".sock")]:
        with contextlib.suppress(OSError), socket.socket(socket.AF_UNIX) as sock:
            sock.settimeout(1)
            sock.connect(path)
            sock.sendall(pack({"kind": "hello", "pid": 1}) +
                         pack({"kind": "returned", "trial": trial, "result": ["forged"] * 3}) +
                         pack({"kind": "finished", "trial": trial, "testimony": {}}))
    return [await fetch(url) for url in urls]
