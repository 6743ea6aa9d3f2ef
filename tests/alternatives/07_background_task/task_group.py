"""Correct in another style: the download is a task in a TaskGroup; leaving the block awaits it."""

import asyncio


async def prepare_report(download, summarise_local, url, sections):
    async with asyncio.TaskGroup() as tg:
        figures = tg.create_task(download(url))
        summaries = [await summarise_local(section) for section in sections]
    return {"figures": figures.result(), "summaries": summaries}
