"""Fetches every page it knows of at once, level by level: no limit on the requests in flight.

expect: over-limit
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
    async with httpx.AsyncClient(timeout=timeout) as client:
        robots = await read_robots(client, start, retries)
        level, seen = [start], {start}
        while level:
            pages = await asyncio.gather(*(fetch(client, url, retries) for url in level))  # all at once
            following = []
            for url, html in zip(level, pages):
                if html is None:
                    continue
                found[url] = links_in(url, html)
                for link in found[url]:
                    if link.startswith(start) and link not in seen and robots.can_fetch("*", link):
                        seen.add(link)
                        following.append(link)
            level = following
    return found
