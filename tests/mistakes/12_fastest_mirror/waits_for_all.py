"""Takes the answers as they arrive, but keeps looping until every mirror has answered.

expect: waited-for-all
"""

import asyncio


async def fastest(mirrors, path):
    first = None
    errors = []
    for next_answer in asyncio.as_completed([mirror(path) for mirror in mirrors]):
        try:
            body = await next_answer
        except Exception as exc:
            errors.append(exc)
            continue
        if first is None:
            first = body  # the right answer, but the loop goes on waiting for the slowest mirror
    if first is None:
        raise ExceptionGroup("every mirror failed", errors)
    return first
