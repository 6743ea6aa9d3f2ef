"""A crawler as recursion in a TaskGroup: each page is a task, a semaphore holds the limit, and
asyncio.timeout (not the client's) bounds each request."""

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


async def crawl(start, *, limit, timeout, retries):
    found = {}
    slots = asyncio.Semaphore(limit)
    async with httpx.AsyncClient() as client:

        async def get(url):
            for _ in range(1 + retries):
                async with slots:  # held for one try only: a retry queues again
                    try:
                        async with asyncio.timeout(timeout):
                            response = await client.get(url)
                    except TimeoutError:
                        continue
                if response.status_code != 503:
                    return response.text if response.status_code == 200 else None
            return None

        rules = RobotFileParser()
        rules.parse((await get(urljoin(start, "/robots.txt")) or "").splitlines())
        seen = {start}

        async def visit(url, group):
            html = await get(url)
            if html is None:
                return
            found[url] = links_in(url, html)
            for link in found[url]:
                if link.startswith(start) and link not in seen and rules.can_fetch("*", link):
                    seen.add(link)
                    group.create_task(visit(link, group))

        async with asyncio.TaskGroup() as group:
            group.create_task(visit(start, group))
    return found
