"""Uses a TaskGroup (so the other jobs are cancelled) but catches the error and returns nothing.

expect: swallowed-error
"""

import asyncio


async def run_all(jobs):
    failed = False
    try:
        async with asyncio.TaskGroup() as group:
            tasks = [group.create_task(job()) for job in jobs]
    except* Exception as failures:
        print("some jobs failed:", failures.exceptions)
        failed = True
    if failed:
        return []  # the caller thinks all went well, with no results
    return [task.result() for task in tasks]
