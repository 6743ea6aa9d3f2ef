"""Opens a new httpx.AsyncClient for every request: a new TCP connection each time.

expect: client-per-request
"""

import asyncio
from html.parser import HTMLParser
from urllib.parse import urldefrag, urljoin
from urllib.robotparser import RobotFileParser

import httpx


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.found.append(href)


def links_in(page_url, html):
    parser = _Links()
    parser.feed(html)
    return [urldefrag(urljoin(page_url, href)).url for href in parser.found]


async def fetch(client, url, retries):
    for _ in range(1 + retries):
        try:
            response = await client.get(url)
        except httpx.TimeoutException:
            continue
        if response.status_code == 503:
            continue
        return response.text if response.status_code == 200 else None
    return None


async def read_robots(client, start, retries):
    robots = RobotFileParser()
    robots.parse((await fetch(client, urljoin(start, "/robots.txt"), retries) or "").splitlines())
    return robots


async def crawl(start, *, limit, timeout, retries):
    found = {}
    slots = asyncio.Semaphore(limit)

    async def get(url):
        async with slots, httpx.AsyncClient(timeout=timeout) as client:  # a client per request
            return await fetch(client, url, retries)

    async with httpx.AsyncClient(timeout=timeout) as first:
        robots = await read_robots(first, start, retries)
    seen = {start}

    async def visit(url):
        html = await get(url)
        if html is None:
            return
        found[url] = links_in(url, html)
        new = [link for link in found[url]
               if link.startswith(start) and link not in seen and robots.can_fetch("*", link)]
        seen.update(new)
        await asyncio.gather(*(visit(link) for link in new))

    await visit(start)
    return found
