"""Removes asyncio.run but forgets to await: the responses carry coroutine objects as bodies.

expect: not-awaited
"""


def load_page(fetch, path):
    return fetch(path)


async def handle_request(fetch, path):
    body = load_page(fetch, path)
    return {"status": 200, "path": path, "body": body}
