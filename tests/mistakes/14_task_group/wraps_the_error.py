"""Uses a TaskGroup but re-raises the failure wrapped in a RuntimeError: the caller's
`except* ValueError` no longer matches.

expect: swallowed-error
"""

import asyncio


async def run_all(jobs):
    try:
        async with asyncio.TaskGroup() as group:
            tasks = [group.create_task(job()) for job in jobs]
    except* Exception as failures:
        raise RuntimeError("a job failed") from failures
    return [task.result() for task in tasks]
