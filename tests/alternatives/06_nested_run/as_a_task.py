"""Correct in another style: the fetch runs as a task on the server's loop, then is awaited."""

import asyncio


async def handle_request(fetch, path):
    page = asyncio.create_task(fetch(path), name=f"fetch {path}")
    response = {"status": 200, "path": path}
    response["body"] = await page
    return response
