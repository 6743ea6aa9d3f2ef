"""Challenge 07: a background task.

The nightly report needs two things: today's figures, downloaded from the head office (about
1.2 s), and a summary of each local section, made by a summariser that handles one section at a
time (about 0.4 s each). This version does them one after the other, so the report takes about
2.4 s, and for the first 1.2 s nothing but the download happens.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any


async def prepare_report(download: Callable[[str], Awaitable[str]],
                         summarise_local: Callable[[str], Awaitable[str]],
                         url: str, sections: list[str]) -> dict[str, Any]:
    """The report: the figures downloaded from url, and a summary of each section, in order."""
    # TODO: nothing else happens while this download waits. Start it in the background first,
    # make the local summaries while it runs, and await it at the end, when its figures are needed.
    figures = await download(url)
    summaries = []
    for section in sections:  # one at a time, in order: the summariser cannot do two at once
        summaries.append(await summarise_local(section))
    return {"figures": figures, "summaries": summaries}
