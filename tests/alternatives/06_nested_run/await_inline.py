"""Correct in another style: no helper at all, handle_request awaits fetch itself."""


async def handle_request(fetch, path):
    return {"status": 200, "path": path, "body": await fetch(path)}
