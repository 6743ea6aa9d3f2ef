"""Never awaits the task: the report holds a Task object where the figures belong.

expect: not-awaited
"""

import asyncio


async def prepare_report(download, summarise_local, url, sections):
    figures = asyncio.create_task(download(url))
    summaries = [await summarise_local(section) for section in sections]
    return {"figures": figures, "summaries": summaries}
