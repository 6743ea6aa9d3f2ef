"""Starts every fetch at once, but waits for the tasks in the order of urls: a fast body behind a
slow one is reported late.

expect: not-streaming
"""

import asyncio


async def fetch_and_report(fetch, urls, report):
    tasks = [asyncio.create_task(fetch(url)) for url in urls]
    for task in tasks:
        report(await task)  # the first URL is the slowest: everything waits for it
