"""Challenge 17: a polite crawler, graded by the web site it crawls.

The site is the witness's: uvicorn serving thirteen small pages on the learner's loopback. Some
pages are slow, one answers 503 twice before it succeeds, one never answers, one does not exist,
links run in cycles, and robots.txt keeps crawlers out of /private/. The site logs every request
(when it arrived, when its answer left or its client gave up, which TCP connection it came on), so
every figure below is the witness's, never the crawler's word.
"""

from __future__ import annotations

from collections import Counter
from types import ModuleType
from typing import NamedTuple
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest

from grader.testkit import Mistake, Trial, checks, clock, require, run_trial
from grader.testkit.site import Page, Request, Site, in_flight, render

LIMIT = 4        # requests in flight at most
TIMEOUT = 0.6    # seconds a request may wait for its answer
RETRIES = 2      # tries after the first, for a 503 or a timeout
BUDGET = 8.0     # seconds the crawl gets (one request at a time needs about 5.5 s)
SLACK = 0.25     # seconds a timed-out request may take beyond the timeout (the client's own work)
ROBOTS = "User-agent: *\nDisallow: /private/\n"

PAGES = {
    "/": Page(0.1, ("/a", "/b", "/c", "/d", "/e", "/f", "/private/admin", "/#top")),
    "/a": Page(0.3, ("/a1", "/a2", "/b", "/")),
    "/b": Page(0.2, ("/b1", "/a")),
    "/c": Page(0.2, ("/c1", "/"), fails=2),     # 503, 503, then the page
    "/d": Page(links=("/d1",), hangs=True),     # never answers: /d1 is never found
    "/e": Page(0.1, ("/e1", "/missing", "/private/keys")),
    "/f": Page(0.4, ("/b1", "/e")),
    "/a1": Page(0.4, ("/a",)),
    "/a2": Page(0.1, ("b2",)),                  # a relative link
    "/b1": Page(0.3, ("/a1",)),
    "/b2": Page(0.2),
    "/c1": Page(0.2, ("/c",)),
    "/e1": Page(0.4, ("/",)),
}
FOUND = [path for path, page in PAGES.items() if not page.hangs]  # the pages the map must hold


class Crawl(NamedTuple):
    trial: Trial
    site: Site


@pytest.fixture(scope="module")
def crawl(solution: ModuleType) -> Crawl:
    crawler = require(solution, "crawl")
    with Site(PAGES, robots=ROBOTS) as site:
        start, warm = site.url("/"), site.url("/warm-up")
        run_trial(lambda kit: _warm_up(warm), budget=BUDGET, retries=0)
        site.requests.clear()
        trial = run_trial(lambda kit: crawler(start, limit=LIMIT, timeout=clock.scaled(TIMEOUT),
                                              retries=RETRIES), budget=BUDGET, retries=0)
    return Crawl(trial, site)


async def _warm_up(url: str) -> None:
    """One request before the graded run: a process's first httpx request imports its transport and
    builds its TLS defaults (about 0.1 s of CPU), which is httpx's start-up, not the crawler's."""
    import httpx

    async with httpx.AsyncClient(timeout=clock.scaled(BUDGET)) as client:
        await client.get(url)


def expected(site: Site) -> dict[str, list[str]]:
    return {site.url(path): [urldefrag(urljoin(site.url(path), href)).url for href in PAGES[path].links]
            for path in FOUND}


def _path(url: object) -> str:
    return urlsplit(str(url)).path or "/"


def _timeline(crawl: Crawl) -> str:
    return render(crawl.site.requests, until=crawl.trial.elapsed)


def _crawled(crawl: Crawl) -> None:
    """The crawl finished in time; a request left waiting on the page that never answers is the
    usual reason it did not."""
    cap = clock.scaled(TIMEOUT + SLACK)
    waited = [r for r in crawl.site.requests if r.abandoned and r.ended - r.started > cap]
    if waited:
        longest = max(waited, key=lambda r: r.ended - r.started)
        still = " and was still waiting when it was stopped" if crawl.trial.timed_out else ""
        raise Mistake("no-timeout", f"Your crawler asked for {longest.path} at {longest.started:.2f} s "
                      f"and waited {longest.ended - longest.started:.2f} s for it{still}: that page "
                      "never answers.", f"each request given up after the timeout you were given "
                      f"({clock.scaled(TIMEOUT):.2f} s)", details=_timeline(crawl))
    _bounded_retries(crawl)  # before "never finished": retrying forever is why it never did
    try:
        checks.ran_cleanly(crawl.trial)
    except Mistake as mistake:
        if mistake.code == "cpu-bound" and _connections(crawl) > _connections_allowed(crawl):
            raise Mistake("client-per-request", f"{mistake.happened} Making a client costs CPU "
                          f"(TLS defaults, a new pool), and your {len(crawl.site.requests)} requests "
                          f"came on {_connections(crawl)} TCP connections: a new client for almost "
                          "every request.", f"one client for the whole crawl, at most "
                          f"{_connections_allowed(crawl)} connections", details=_timeline(crawl)) from None
        raise
    if not isinstance(crawl.trial.result, dict):
        raise Mistake("wrong-result", f"crawl returned {type(crawl.trial.result).__name__} "
                      f"{str(crawl.trial.result)[:80]}.", "a dict: page URL -> list of its links")


@pytest.mark.points(3)
def test_maps_each_page_to_its_links(crawl: Crawl) -> None:
    """crawl returns every page it could fetch, each with the links on it"""
    _crawled(crawl)
    site, got, want = crawl.site, crawl.trial.result, expected(crawl.site)
    missing = [_path(url) for url in want if url not in got]
    if site.url("/c") not in got and [r.status for r in site.requests if r.path == "/c"] == [503]:
        raise Mistake("wrong-result", "/c answered 503 (busy) once, and your crawler never asked "
                      "for it again, so it is missing from the map.", f"a 503 tried again, up to "
                      f"{RETRIES} more times (the third try succeeds)", details=_timeline(crawl))
    extra = [_path(url) for url in got if url not in want]
    if missing or extra:
        said = "; ".join(part for part in (f"missing {', '.join(missing)}" if missing else "",
                                           f"not expected {', '.join(extra)}" if extra else "") if part)
        raise Mistake("wrong-result", f"The map's pages were not the site's: {said}.",
                      f"the {len(want)} pages that answered 200 ({', '.join(FOUND)}); not /d (it never "
                      "answers), /missing (404) or /private/ (robots.txt)", details=_timeline(crawl))
    wrong = next((url for url in want if list(got[url]) != want[url]), None)
    if wrong is not None:
        raise Mistake("wrong-result", f"The links of {_path(wrong)} were {got[wrong]!r}.",
                      f"{want[wrong]!r} (links_in(url, page_html))")


@pytest.mark.points(2)
def test_fetches_each_page_once(crawl: Crawl) -> None:
    """no page is fetched twice, however many pages link to it (cycles included)"""
    _crawled(crawl)
    twice = duplicates(crawl.site.requests, gave_up_after=clock.scaled(TIMEOUT))
    if twice:
        counts = Counter(r.path for r in twice)
        listed = ", ".join(f"{path} ({n} extra)" for path, n in counts.most_common(5))
        raise Mistake("fetched-twice", f"Your crawler asked again for pages it already had (or was "
                      f"already fetching): {listed}.", "each page requested once, and again only "
                      "after a 503 or a timeout", details=_timeline(crawl))


def duplicates(requests: list[Request], gave_up_after: float) -> list[Request]:
    """Requests for a page that were not a retry: its previous request had not failed (503 or
    given up) or had not even ended when this one arrived."""
    last: dict[str, Request] = {}
    again = []
    for r in sorted(requests, key=lambda r: r.started):
        before = last.get(r.path)
        failed = before is not None and before.status in (503, None)
        if before is not None and (not failed or before.over_by(gave_up_after) > r.started):
            again.append(r)
        last[r.path] = r
    return again


@pytest.mark.points(1)
def test_keeps_out_of_what_robots_txt_forbids(crawl: Crawl) -> None:
    """no page that robots.txt disallows is requested"""
    _crawled(crawl)
    private = sorted({r.path for r in crawl.site.requests if r.path.startswith("/private/")})
    if private:
        asked = "asked for robots.txt" if any(r.path == "/robots.txt" for r in crawl.site.requests) \
            else "never asked for robots.txt"
        raise Mistake("ignored-robots", f"Your crawler {asked}, then requested {', '.join(private)}, "
                      "which robots.txt disallows (Disallow: /private/).", "no request for a page "
                      "robots.txt disallows", details=_timeline(crawl))


@pytest.mark.points(3)
def test_keeps_the_limit_of_requests_in_flight(crawl: Crawl) -> None:
    """never more than four requests in flight, and four whenever there is that much to do"""
    _crawled(crawl)
    peak = in_flight(crawl.site.requests, gave_up_after=clock.scaled(TIMEOUT))
    if peak > LIMIT:
        raise Mistake("over-limit", f"The site was answering {peak} of your requests at the same "
                      "moment.", f"never more than limit={LIMIT} in flight", details=_timeline(crawl))
    if peak < LIMIT:
        code = "sequential" if peak == 1 else "too-few-at-once"
        raise Mistake(code, f"The site never had more than {peak} of your requests at once, though "
                      f"the home page alone links to six pages; the crawl took "
                      f"{crawl.trial.elapsed:.2f} s.", f"{LIMIT} requests in flight whenever "
                      f"{LIMIT} pages are waiting to be fetched", details=_timeline(crawl))


@pytest.mark.points(2)
def test_reuses_one_client(crawl: Crawl) -> None:
    """one client serves the whole crawl and reuses its connections"""
    _crawled(crawl)
    if _connections(crawl) > _connections_allowed(crawl):
        given_up = sum(r.abandoned for r in crawl.site.requests)
        raise Mistake("client-per-request", f"Your {len(crawl.site.requests)} requests came on "
                      f"{_connections(crawl)} different TCP connections: a new connection for almost "
                      "every request.", f"at most {_connections_allowed(crawl)}: one per request in "
                      f"flight, kept open and reused, plus one for robots.txt and one for each of the "
                      f"{given_up} requests given up on", details=_timeline(crawl))


def _connections(crawl: Crawl) -> int:
    return len({r.connection for r in crawl.site.requests})


def _connections_allowed(crawl: Crawl) -> int:
    """A pool opens a connection per request in flight and keeps it; a request given up on takes
    its connection along, and robots.txt, read first, may have one of its own."""
    requests = crawl.site.requests
    peak = in_flight(requests, gave_up_after=clock.scaled(TIMEOUT))
    return peak + sum(r.abandoned for r in requests) + 1


@pytest.mark.points(2)
def test_gives_up_in_time_and_retries_a_bounded_number_of_times(crawl: Crawl) -> None:
    """a page that never answers is given up after the timeout, and retried at most twice"""
    _crawled(crawl)
    if not any(r.path == "/d" for r in crawl.site.requests):
        raise Mistake("wrong-result", "Your crawler never asked for /d, which the home page links "
                      "to.", "every allowed link followed once", details=_timeline(crawl))


def _bounded_retries(crawl: Crawl) -> None:
    tries = sum(r.path == "/d" for r in crawl.site.requests)
    if tries > 1 + RETRIES:
        raise Mistake("too-many-retries", f"Your crawler asked for /d, which never answers, "
                      f"{tries} times.", f"at most {1 + RETRIES} tries (the first and "
                      f"retries={RETRIES} more), then give the page up", details=_timeline(crawl))
