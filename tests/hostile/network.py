"""Tries to reach the outside world (to fetch a solution, or to send the tests away) while being
imported, after checking that it can still serve and connect on loopback.

As a fresh uid the tests run in a network namespace holding only a loopback interface: the outside
is unreachable at once, and this file then behaves correctly (it passes). As the grader's own user
the network is the machine's, and the outcome depends on it.

challenge: 02_three_fetches
status: passed
same-user-status: passed|failed
same-user-diagnosis:
"""

import asyncio
import errno
import socket

with socket.create_server(("127.0.0.1", 0)) as server:
    socket.create_connection(server.getsockname(), timeout=2).close()

try:
    socket.create_connection(("192.0.2.1", 9), timeout=0.5).close()  # TEST-NET-1: never routed
    isolated = False
except OSError as exc:
    isolated = exc.errno == errno.ENETUNREACH

if isolated:
    async def fetch_all(fetch, urls):
        return list(await asyncio.gather(*(fetch(url) for url in urls)))
else:
    async def fetch_all(fetch, urls):
        return [await fetch(url) for url in urls]
