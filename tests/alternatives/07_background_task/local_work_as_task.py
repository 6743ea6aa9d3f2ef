"""Correct in another style: the local work is the task, the download is awaited directly, then
the task; both run at the same time either way round."""

import asyncio


async def prepare_report(download, summarise_local, url, sections):
    async def summarise_all():
        summaries = []
        for section in sections:
            summaries.append(await summarise_local(section))
        return summaries

    local = asyncio.create_task(summarise_all())
    figures = await download(url)
    return {"figures": figures, "summaries": await local}
