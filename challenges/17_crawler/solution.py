"""Challenge 17: a polite crawler.

Crawl a small web site from its home page: fetch every page robots.txt allows, each once, never
more than `limit` at a time, with one httpx.AsyncClient, a timeout on every request and a few
retries. Return a map of each page fetched to the links on it.
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
    """Given: the links of a page, as absolute URLs without #fragments, in the order they appear."""
    parser = _Links()
    parser.feed(html)
    return [urldefrag(urljoin(page_url, href)).url for href in parser.found]


async def crawl(start: str, *, limit: int, timeout: float, retries: int) -> dict[str, list[str]]:
    """Every page reachable from start that robots.txt allows: page URL -> links_in(page)."""
    # TODO: with ONE httpx.AsyncClient(timeout=timeout) for the whole crawl:
    #   1. read robots.txt (RobotFileParser().parse(text.splitlines()), then can_fetch("*", url));
    #   2. fetch start, then every link on this site that robots.txt allows, each page once,
    #      never more than `limit` requests at a time;
    #   3. a 503 or a timeout: try again, `retries` more times at most; a page that still fails,
    #      or answers 404, is left out of the map.
    raise NotImplementedError
