"""Challenge 17: a polite crawler, graded by the web site it crawls.

The site is the witness's: uvicorn serving thirteen small pages on the learner's loopback. Some
pages are slow, one answers 503 twice before it succeeds, one never answers, one does not exist,
links run in cycles, and robots.txt keeps crawlers out of /private/. The site logs every request
(when it arrived, when its answer left or its client gave up, which TCP connection it came on), so
every figure below is the witness's, never the crawler's word. A second, smaller site is crawled
with other arguments, so the limit, the timeout and the retries must come from them.
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
# Seconds a request may take to reach the site's app once the client has sent it: a timeout counts
# from the sending, so the client gave up at least timeout - TRANSIT after the site saw the request.
TRANSIT = 0.1

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
# The same traps, smaller, for other arguments: limit, timeout and retries must come from them.
SMALL = {
    "/": Page(0.1, ("/x", "/y", "/z", "/q")),
    "/x": Page(0.15, ("/y", "/z")),
    "/y": Page(0.15, ("/",)),
    "/z": Page(0.15, ("/x",), fails=1),
    "/q": Page(hangs=True),
}


class Plan(NamedTuple):
    """A site and the arguments crawl is called with."""

    pages: dict[str, Page]
    robots: str
    limit: int
    timeout: float  # unscaled seconds
    retries: int
    budget: float

    @property
    def silent(self) -> str:
        return next(path for path, page in self.pages.items() if page.hangs)

    @property
    def found(self) -> list[str]:
        """The pages the map must hold: every page that answers 200 (all are reachable)."""
        return [path for path, page in self.pages.items() if not page.hangs]


MAIN = Plan(PAGES, "User-agent: *\nDisallow: /private/\n", LIMIT, TIMEOUT, RETRIES, BUDGET)
OTHER = Plan(SMALL, "", limit=2, timeout=0.25, retries=1, budget=4.0)


class Crawl(NamedTuple):
    trial: Trial
    site: Site
    plan: Plan


def run_crawl(solution: ModuleType, plan: Plan) -> Crawl:
    crawler = require(solution, "crawl")
    limit, timeout, retries = plan.limit, clock.scaled(plan.timeout), plan.retries
    with Site(plan.pages, robots=plan.robots) as site:
        start, warm = site.url("/"), site.url("/warm-up")
        run_trial(lambda kit: _warm_up(warm), budget=plan.budget, retries=0)
        site.requests.clear()
        trial = run_trial(lambda kit: crawler(start, limit=limit, timeout=timeout, retries=retries),
                          budget=plan.budget, retries=0)
    return Crawl(trial, site, plan)


@pytest.fixture(scope="module")
def crawl(solution: ModuleType) -> Crawl:
    return run_crawl(solution, MAIN)


async def _warm_up(url: str) -> None:
    """One request before the graded run: a process's first httpx request imports its transport and
    builds its TLS defaults (about 0.1 s of CPU), which is httpx's start-up, not the crawler's."""
    import httpx

    async with httpx.AsyncClient(timeout=5.0) as client:
        await client.get(url)


def expected(crawl: Crawl) -> dict[str, list[str]]:
    url, pages = crawl.site.url, crawl.plan.pages
    return {url(path): [urldefrag(urljoin(url(path), href)).url for href in pages[path].links]
            for path in crawl.plan.found}


def _path(url: object) -> str:
    return urlsplit(str(url)).path or "/"


def _timeline(crawl: Crawl) -> str:
    return render(crawl.site.requests, until=crawl.trial.elapsed)


def _crawled(crawl: Crawl) -> None:
    """The crawl finished in time; a request left waiting on the page that never answers is the
    usual reason it did not."""
    timeout = clock.scaled(crawl.plan.timeout)
    waited = [r for r in crawl.site.requests
              if r.abandoned and r.ended - r.started > timeout + clock.scaled(SLACK)]
    if waited:
        longest = max(waited, key=lambda r: r.ended - r.started)
        still = " and was still waiting when it was stopped" if crawl.trial.timed_out else ""
        raise Mistake("no-timeout", f"Your crawler asked for {longest.path} at {longest.started:.2f} s "
                      f"and waited {longest.ended - longest.started:.2f} s for it{still}: that page "
                      "never answers.", f"each request given up after the timeout you were given "
                      f"({timeout:.2f} s)", details=_timeline(crawl))
    _bounded_retries(crawl)  # before "never finished": retrying forever is why it never did
    try:
        checks.ran_cleanly(crawl.trial)
    except Mistake as mistake:
        # The stall is named as the CPU it was (a figure of the clock, which a busy machine can
        # push over the limit, so a shared run is looked at again alone); the cause is named too.
        if mistake.code == "cpu-bound" and _connections(crawl) > _connections_allowed(crawl):
            raise Mistake("cpu-bound", f"{mistake.happened} Making a client costs CPU "
                          f"(TLS defaults, a new pool), and your {len(crawl.site.requests)} requests "
                          f"came on {_connections(crawl)} TCP connections: a new client for almost "
                          "every request.", f"one client for the whole crawl, at most "
                          f"{_connections_allowed(crawl)} connections", details=_timeline(crawl)) from None
        raise
    checks.no_leftovers(crawl.trial)  # workers left waiting on the queue, say
    if not isinstance(crawl.trial.result, dict):
        raise Mistake("wrong-result", f"crawl returned {type(crawl.trial.result).__name__} "
                      f"{str(crawl.trial.result)[:80]}.", "a dict: page URL -> list of its links")


@pytest.mark.points(3)
def test_maps_each_page_to_its_links(crawl: Crawl) -> None:
    """crawl returns every page it could fetch, each with the links on it"""
    _crawled(crawl)
    right_map(crawl)


@pytest.mark.points(2)
def test_fetches_each_page_once(crawl: Crawl) -> None:
    """no page is fetched twice, however many pages link to it (cycles included)"""
    _crawled(crawl)
    each_page_once(crawl)


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
    keeps_the_limit(crawl)


@pytest.mark.points(2)
def test_reuses_one_client(crawl: Crawl) -> None:
    """one client serves the whole crawl and reuses its connections"""
    _crawled(crawl)
    one_client(crawl)


@pytest.mark.points(2)
def test_gives_up_in_time_and_retries_a_bounded_number_of_times(crawl: Crawl) -> None:
    """a page that never answers is given up after the timeout, and retried at most twice"""
    _crawled(crawl)  # the timeout and the bound on retries are checked there: all else rests on them
    silent = crawl.plan.silent
    if not any(r.path == silent for r in crawl.site.requests):
        raise Mistake("wrong-result", f"Your crawler never asked for {silent}, which the home page "
                      "links to.", "every allowed link followed once", details=_timeline(crawl))


@pytest.mark.points(2)
def test_uses_the_arguments_it_is_given(solution: ModuleType) -> None:
    """with limit=2, timeout=0.25 s and retries=1, on a smaller site, the same rules hold"""
    small = run_crawl(solution, OTHER)
    try:
        _crawled(small)
        right_map(small)
        each_page_once(small)
        keeps_the_limit(small)
        one_client(small)
    except Mistake as mistake:
        happened = mistake.happened[:1].lower() + mistake.happened[1:]
        raise Mistake(mistake.code, f"With limit={OTHER.limit}, timeout={clock.scaled(OTHER.timeout):.2f} s "
                      f"and retries={OTHER.retries}, {happened}", mistake.expected, mistake.next_step,
                      mistake.details) from None


# -- the checks, for either plan ---------------------------------------------------------------

def right_map(crawl: Crawl) -> None:
    site, got, want = crawl.site, crawl.trial.result, expected(crawl)
    flaky = next(path for path, page in crawl.plan.pages.items() if page.fails)
    if site.url(flaky) not in got and [r.status for r in site.requests if r.path == flaky] == [503]:
        raise Mistake("wrong-result", f"{flaky} answered 503 (busy) once, and your crawler never "
                      "asked for it again, so it is missing from the map.", f"a 503 tried again, up "
                      f"to retries={crawl.plan.retries} more times", details=_timeline(crawl))
    missing = [_path(url) for url in want if url not in got]
    extra = [_path(url) for url in got if url not in want]
    if missing or extra:
        said = "; ".join(part for part in (f"missing {', '.join(missing)}" if missing else "",
                                           f"not expected {', '.join(extra)}" if extra else "") if part)
        raise Mistake("wrong-result", f"The map's pages were not the site's: {said}.",
                      f"the {len(want)} pages that answered 200 ({', '.join(crawl.plan.found)}); not "
                      f"{crawl.plan.silent} (it never answers), a 404 or a page robots.txt "
                      "disallows", details=_timeline(crawl))
    wrong = next((url for url in want if list(got[url]) != want[url]), None)
    if wrong is not None:
        raise Mistake("wrong-result", f"The links of {_path(wrong)} were {got[wrong]!r}.",
                      f"{want[wrong]!r} (links_in(url, page_html))")


def each_page_once(crawl: Crawl) -> None:
    twice = duplicates(crawl.site.requests, gave_up_after=_gave_up_after(crawl))
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


def keeps_the_limit(crawl: Crawl) -> None:
    limit, peak = crawl.plan.limit, _peak(crawl)
    if peak > limit:
        raise Mistake("over-limit", f"The site was answering {peak} of your requests at the same "
                      "moment.", f"never more than limit={limit} in flight", details=_timeline(crawl))
    if peak < limit:
        code = "sequential" if peak == 1 else "too-few-at-once"
        links = len(crawl.plan.pages["/"].links)
        raise Mistake(code, f"The site never had more than {peak} of your requests at once, though "
                      f"the home page alone links to {links} pages; the crawl took "
                      f"{crawl.trial.elapsed:.2f} s.", f"{limit} requests in flight whenever "
                      f"{limit} pages are waiting to be fetched", details=_timeline(crawl))


def one_client(crawl: Crawl) -> None:
    if _connections(crawl) > _connections_allowed(crawl):
        given_up = sum(r.abandoned for r in crawl.site.requests)
        raise Mistake("client-per-request", f"Your {len(crawl.site.requests)} requests came on "
                      f"{_connections(crawl)} different TCP connections: a new connection for almost "
                      "every request.", f"at most {_connections_allowed(crawl)}: one per request in "
                      f"flight, kept open and reused, plus one for robots.txt and one for each of the "
                      f"{given_up} requests given up on", details=_timeline(crawl))


def _peak(crawl: Crawl) -> int:
    return in_flight(crawl.site.requests, gave_up_after=_gave_up_after(crawl))


def _gave_up_after(crawl: Crawl) -> float:
    """Seconds after the site saw a request its client gave up on by which the client had surely
    let go of it: the site hears of it only later, maybe after the client's retry has arrived."""
    return clock.scaled(crawl.plan.timeout - TRANSIT)


def _connections(crawl: Crawl) -> int:
    return len({r.connection for r in crawl.site.requests})


def _connections_allowed(crawl: Crawl) -> int:
    """A pool opens a connection per request in flight and keeps it; a request given up on takes
    its connection along, and robots.txt, read first, may have one of its own."""
    return _peak(crawl) + sum(r.abandoned for r in crawl.site.requests) + 1


def _bounded_retries(crawl: Crawl) -> None:
    silent, retries = crawl.plan.silent, crawl.plan.retries
    tries = sum(r.path == silent for r in crawl.site.requests)
    if tries > 1 + retries:
        raise Mistake("too-many-retries", f"Your crawler asked for {silent}, which never answers, "
                      f"{tries} times.", f"at most {1 + retries} tries (the first and "
                      f"retries={retries} more), then give the page up", details=_timeline(crawl))
