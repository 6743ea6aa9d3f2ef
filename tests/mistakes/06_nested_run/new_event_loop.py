"""Starts a fresh loop for each page: "Cannot run the event loop while another loop is running".

expect: nested-run
"""

import asyncio


def load_page(fetch, path):
    return asyncio.new_event_loop().run_until_complete(fetch(path))


async def handle_request(fetch, path):
    body = load_page(fetch, path)
    return {"status": 200, "path": path, "body": body}
