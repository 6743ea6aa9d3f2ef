"""Fetches one page at a time: a plain loop over a to-do list, each request awaited before the next.

expect: sequential
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
        todo, seen = [start], {start}
        while todo:
            url = todo.pop(0)
            html = await fetch(client, url, retries)  # the next page waits for this one
            if html is None:
                continue
            found[url] = links_in(url, html)
            for link in found[url]:
                if link.startswith(start) and link not in seen and robots.can_fetch("*", link):
                    seen.add(link)
                    todo.append(link)
    return found
