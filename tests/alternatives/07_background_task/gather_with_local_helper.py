"""Correct in another style: gather the download with one coroutine that makes the summaries in turn."""

import asyncio


async def prepare_report(download, summarise_local, url, sections):
    async def summarise_all():
        return [await summarise_local(section) for section in sections]

    figures, summaries = await asyncio.gather(download(url), summarise_all())
    return {"figures": figures, "summaries": summaries}
