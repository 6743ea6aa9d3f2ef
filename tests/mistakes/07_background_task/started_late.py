"""Starts the download only after the first summary: it overlaps part of the work, not all of it.

expect: no-background
"""

import asyncio


async def prepare_report(download, summarise_local, url, sections):
    summaries = [await summarise_local(sections[0])]
    task = asyncio.create_task(download(url))
    for section in sections[1:]:
        summaries.append(await summarise_local(section))
    return {"figures": await task, "summaries": summaries}
