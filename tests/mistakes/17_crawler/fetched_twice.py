"""Marks a page as seen only once it has been fetched: pages linked from two places, fetched side by side, are fetched twice.

expect: fetched-twice
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
    async with httpx.AsyncClient(timeout=timeout) as client:
        robots = await read_robots(client, start, retries)
        done = set()

        async def visit(url):
            if url in done:
                return
            async with slots:
                html = await fetch(client, url, retries)
            done.add(url)  # too late: while it was fetched, another page linked here too
            if html is None:
                return
            found[url] = links_in(url, html)
            await asyncio.gather(*(visit(link) for link in found[url]
                                   if link.startswith(start) and robots.can_fetch("*", link)))

        await visit(start)
    return found
