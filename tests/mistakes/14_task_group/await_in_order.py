"""Starts every job as a task, then awaits them in order: the first error is raised while the
later jobs are still running, and nothing cancels them.

expect: siblings-left-running
"""

import asyncio


async def run_all(jobs):
    tasks = [asyncio.create_task(job()) for job in jobs]
    return [await task for task in tasks]
