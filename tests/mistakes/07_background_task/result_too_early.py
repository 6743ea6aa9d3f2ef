"""Asks the task for its result instead of awaiting it: InvalidStateError, download left running.

expect: not-awaited
"""

import asyncio


async def prepare_report(download, summarise_local, url, sections):
    task = asyncio.create_task(download(url))
    summaries = [await summarise_local(section) for section in sections[:2]]
    figures = task.result()
    summaries.append(await summarise_local(sections[2]))
    return {"figures": figures, "summaries": summaries}
