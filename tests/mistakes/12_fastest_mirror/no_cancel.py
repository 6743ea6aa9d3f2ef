"""Returns the first success on time, but leaves the slower mirrors running.

expect: not-cancelled
"""

import asyncio


async def fastest(mirrors, path):
    pending = {asyncio.create_task(mirror(path)) for mirror in mirrors}
    errors = []
    while pending:
        done, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
        for task in done:
            if task.exception() is None:
                return task.result()  # the tasks still in `pending` keep downloading
            errors.append(task.exception())
    raise ExceptionGroup("every mirror failed", errors)
