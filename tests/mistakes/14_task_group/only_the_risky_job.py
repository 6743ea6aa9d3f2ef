"""Guesses from the names which job will fail and runs only that one first: when it fails, the
error is quick and nothing needs cancelling, because the other jobs were never started.

expect: wrong-result
"""

import asyncio

RISKY = ("charge", "pay", "bill")


async def run_all(jobs):
    risky = [job for job in jobs if job.__name__.startswith(RISKY)]
    for job in risky:
        await job()  # raises at once if it fails: the others never start
    results = {}
    async with asyncio.TaskGroup() as tg:
        tasks = {job: tg.create_task(job()) for job in jobs if job not in risky}
    for job, task in tasks.items():
        results[job] = task.result()
    return [results.get(job) for job in jobs]
