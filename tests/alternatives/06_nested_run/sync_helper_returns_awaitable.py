"""Correct in another style: load_page stays a plain function that returns the awaitable, and
handle_request awaits what it returns."""


def load_page(fetch, path):
    return fetch(path)  # an awaitable: the caller decides when to wait for it


async def handle_request(fetch, path):
    body = await load_page(fetch, path)
    return {"status": 200, "path": path, "body": body}
