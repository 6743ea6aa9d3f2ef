"""Never reads robots.txt, so it crawls /private/ too.

expect: ignored-robots
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
        queue, seen = asyncio.Queue(), {start}
        queue.put_nowait(start)

        async def worker():
            while True:
                url = await queue.get()
                try:
                    html = await fetch(client, url, retries)
                    if html is not None:
                        found[url] = links_in(url, html)
                        for link in found[url]:
                            if link.startswith(start) and link not in seen:
                                seen.add(link)
                                queue.put_nowait(link)
                finally:
                    queue.task_done()

        workers = [asyncio.create_task(worker()) for _ in range(limit)]
        await queue.join()
        for task in workers:
            task.cancel()
        await asyncio.gather(*workers, return_exceptions=True)
    return found
