"""Challenge 17 reference: a polite crawler with one httpx.AsyncClient and a pool of workers.

A queue holds the pages still to fetch and a set remembers every page ever queued, so a page is
queued (and fetched) once however many pages link to it, cycles included. `limit` workers take
pages from the queue: never more than `limit` requests are in flight, and a free worker takes the
next page at once. One client serves them all and reuses its connections. Every request has a
timeout, and a page that answers 503 or does not answer in time is tried again, `retries` times
at most; a page that still fails is left out of the map.
"""

from __future__ import annotations

import asyncio
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin
from urllib.robotparser import RobotFileParser

import httpx


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.found.append(href)


def links_in(page_url: str, html: str) -> list[str]:
    """The links of a page, as absolute URLs without #fragments, in the order they appear."""
    parser = _Links()
    parser.feed(html)
    return [urldefrag(urljoin(page_url, href)).url for href in parser.found]


async def fetch(client: httpx.AsyncClient, url: str, retries: int) -> str | None:
    """The page's HTML, trying again after a 503 or a timeout; None when it never succeeds."""
    for _attempt in range(1 + retries):  # the first try plus `retries` more: bounded
        try:
            response = await client.get(url)
        except httpx.TimeoutException:
            continue  # the client's timeout gave up on it: try again
        if response.status_code == 503:
            continue  # busy for now: try again
        return response.text if response.status_code == 200 else None  # 404: do not insist
    return None


async def crawl(start: str, *, limit: int, timeout: float, retries: int) -> dict[str, list[str]]:
    """Every page reachable from start that robots.txt allows: page URL -> the links on it."""
    found: dict[str, list[str]] = {}
    # One client for the whole crawl: its connections are opened once and reused. The timeout
    # applies to every request it makes, so a page that never answers cannot hold a worker forever.
    async with httpx.AsyncClient(timeout=timeout) as client:
        robots = RobotFileParser()
        robots.parse((await fetch(client, urljoin(start, "/robots.txt"), retries) or "").splitlines())

        queue: asyncio.Queue[str] = asyncio.Queue()
        seen = {start}  # marked when queued, not when fetched: two pages linking here queue it once
        queue.put_nowait(start)

        async def worker() -> None:
            while True:
                url = await queue.get()
                try:
                    html = await fetch(client, url, retries)
                    if html is not None:
                        found[url] = links_in(url, html)
                        for link in found[url]:
                            if link.startswith(start) and link not in seen and robots.can_fetch("*", link):
                                seen.add(link)
                                queue.put_nowait(link)
                finally:
                    queue.task_done()  # counted even when fetch raised, so join() cannot hang

        workers = [asyncio.create_task(worker()) for _ in range(limit)]
        try:
            await queue.join()  # every queued page is done, and no worker can queue another
        finally:
            for task in workers:
                task.cancel()
            await asyncio.gather(*workers, return_exceptions=True)
    return found
