"""A crawler with one loop that keeps `limit` requests running: asyncio.wait(FIRST_COMPLETED)
wakes it when any finishes, and it starts the next pages in the freed slots."""

import asyncio
from collections import deque
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
        if response.status_code != 503:
            return response.text if response.is_success else None
    return None


async def crawl(start, *, limit, timeout, retries):
    found = {}
    async with httpx.AsyncClient(timeout=httpx.Timeout(timeout)) as client:
        rules = RobotFileParser()
        rules.parse((await fetch(client, urljoin(start, "/robots.txt"), retries) or "").splitlines())
        waiting, seen, running = deque([start]), {start}, {}
        while waiting or running:
            while waiting and len(running) < limit:
                url = waiting.popleft()
                running[asyncio.create_task(fetch(client, url, retries))] = url
            done, _ = await asyncio.wait(running, return_when=asyncio.FIRST_COMPLETED)
            for task in done:
                url, html = running.pop(task), task.result()
                if html is None:
                    continue
                found[url] = links_in(url, html)
                for link in found[url]:
                    if link.startswith(start) and link not in seen and rules.can_fetch("*", link):
                        seen.add(link)
                        waiting.append(link)
    return found
