"""Makes load_page async and awaits it, but keeps the asyncio.run inside it.

expect: nested-run
"""

import asyncio


async def load_page(fetch, path):
    return asyncio.run(fetch(path))


async def handle_request(fetch, path):
    body = await load_page(fetch, path)
    return {"status": 200, "path": path, "body": body}
