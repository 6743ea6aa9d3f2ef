"""Dodges the error by running asyncio.run in a worker thread and waiting for it: no exception,
right answers, but each request freezes the server's loop until its page arrives.

expect: nested-run
"""

import asyncio
from concurrent.futures import ThreadPoolExecutor


def load_page(fetch, path):
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, fetch(path)).result()


async def handle_request(fetch, path):
    body = load_page(fetch, path)
    return {"status": 200, "path": path, "body": body}
