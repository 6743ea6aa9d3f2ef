"""Awaits asyncio.run in a worker thread: the server's loop stays free, but every fetch runs on a
second event loop, one thread per request.

expect: nested-run
"""

import asyncio


async def handle_request(fetch, path):
    body = await asyncio.to_thread(asyncio.run, fetch(path))
    return {"status": 200, "path": path, "body": body}
