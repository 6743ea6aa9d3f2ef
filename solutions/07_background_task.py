"""Reference solution for challenge 07 (a TaskGroup, or gather of the download and a coroutine
doing the summaries, are correct too)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any


async def prepare_report(download: Callable[[str], Awaitable[str]],
                         summarise_local: Callable[[str], Awaitable[str]],
                         url: str, sections: list[str]) -> dict[str, Any]:
    """The report: the figures downloaded from url, and a summary of each section, in order."""
    # create_task hands the download to the loop and returns at once; the loop runs it whenever
    # this coroutine is waiting, which is during each summary below. Keeping the task in a variable
    # is what lets us await it later (and keeps it from being dropped).
    figures_task = asyncio.create_task(download(url))
    summaries = []
    for section in sections:  # one at a time, in order: the summariser cannot do two at once
        summaries.append(await summarise_local(section))
    # Only now are the figures needed. The download has been running all along, so this waits
    # for whatever is left of it (almost nothing), gives its result, and leaves no task behind.
    figures = await figures_task
    return {"figures": figures, "summaries": summaries}
