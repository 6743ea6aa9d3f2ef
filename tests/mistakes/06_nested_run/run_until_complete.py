"""Swaps asyncio.run for the running loop's run_until_complete: "This event loop is already running".

expect: nested-run
"""

import asyncio


def load_page(fetch, path):
    loop = asyncio.get_event_loop()
    return loop.run_until_complete(fetch(path))


async def handle_request(fetch, path):
    body = load_page(fetch, path)
    return {"status": 200, "path": path, "body": body}
