"""The witness's web site (grader/testkit/site.py): what it serves, and that its log is exact: the
statuses, the TCP connections, a request its client gave up on, requests in flight. Loopback only."""

from __future__ import annotations

import asyncio
import os
import socket

import httpx
import pytest

from grader.testkit import clock
from grader.testkit.site import Page, Request, Site, in_flight
from grader.witness.bridge import Bridge

PAGES = {
    "/": Page(0.05, ("/a", "/b#top")),
    "/busy": Page(0.0, fails=2),
    "/silent": Page(hangs=True),
}


def _site() -> Site:
    return Site(PAGES, robots="User-agent: *\nDisallow: /private/\n", bridge=Bridge(None, os.getpid()))


async def _fetch_all(site: Site) -> list[int]:
    async with httpx.AsyncClient(timeout=0.3) as client:
        statuses = [(await client.get(site.url(path))).status_code
                    for path in ("/robots.txt", "/", "/busy", "/busy", "/busy", "/nowhere")]
        with pytest.raises(httpx.TimeoutException):
            await client.get(site.url("/silent"))
        await asyncio.sleep(0.1)  # the site hears of the disconnect
    return statuses


def test_the_site_serves_its_pages_and_logs_each_request() -> None:
    with _site() as site:
        statuses = asyncio.run(_fetch_all(site))
        home = httpx.get(site.url("/")).text
    assert statuses == [200, 200, 503, 503, 200, 404]
    assert '<a href="/a">' in home and '<a href="/b#top">' in home
    log = site.requests
    assert [r.path for r in log[:7]] == ["/robots.txt", "/", "/busy", "/busy", "/busy", "/nowhere", "/silent"]
    assert [r.status for r in log[:7]] == [200, 200, 503, 503, 200, 404, None]
    assert len({r.connection for r in log[:6]}) == 1, "one client, one kept-alive connection"
    silent = log[6]
    assert silent.abandoned and 0.25 < silent.ended - silent.started < 0.45
    assert log[1].ended - log[1].started >= clock.scaled(0.05), "the page's latency, on the kit's scale"


def test_nothing_is_left_listening_once_the_site_stops() -> None:
    with _site() as site:
        port = site.port
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", port), timeout=1).close()


def test_in_flight_counts_overlaps_and_ends_a_given_up_request_at_the_clients_timeout() -> None:
    one, two = Request("/a", 1, 0.0, 1.0, 200), Request("/b", 2, 0.5, 1.5, 200)
    after = Request("/c", 3, 1.0, 2.0, 200)  # starts as /a ends: back to back, not overlapping
    assert in_flight([one, two, after]) == 2
    # Given up on at 0.6 s by its client, though the site heard of it only at 0.9 s: the retry
    # that arrived at 0.7 s was not a second request in flight.
    gave_up, retry = Request("/d", 4, 0.0, 0.9, None), Request("/d", 5, 0.7, 1.3, None)
    assert in_flight([gave_up, retry]) == 2
    assert in_flight([gave_up, retry], gave_up_after=0.6) == 1
    assert gave_up.over_by(0.6) == 0.6 and one.over_by(0.1) == 1.0
