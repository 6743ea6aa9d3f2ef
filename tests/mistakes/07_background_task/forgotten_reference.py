"""Starts the download as a task but keeps no reference to it, so downloads again at the end.

expect: no-background
"""

import asyncio


async def prepare_report(download, summarise_local, url, sections):
    asyncio.create_task(download(url))
    summaries = [await summarise_local(section) for section in sections]
    figures = await download(url)
    return {"figures": figures, "summaries": summaries}
