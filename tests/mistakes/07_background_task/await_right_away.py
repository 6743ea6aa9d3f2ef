"""Creates the task and awaits it on the very next line: nothing overlaps, 2.4 s.

expect: no-background
"""

import asyncio


async def prepare_report(download, summarise_local, url, sections):
    task = asyncio.create_task(download(url))
    figures = await task
    summaries = [await summarise_local(section) for section in sections]
    return {"figures": figures, "summaries": summaries}
