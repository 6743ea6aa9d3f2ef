"""Challenge 07: start the slow download as a task, do the local work meanwhile, then await it.

Evidence from the fake services: how often the download was called, whether it was in flight
during each local summary (start and end times on one clock), how many summaries ran at once, and
what was still running when the function returned; then the wall clock against a band.
"""

from __future__ import annotations

from types import ModuleType
from typing import Any

import pytest

from grader.testkit import Mistake, Trial, band, checks, render_timeline, require, run_trial

URL = "https://hq.example/"  # short enough for the timeline's labels
SECTIONS = ["sales", "stock", "staff"]
DOWNLOAD, SUMMARY = 1.2, 0.4  # task seconds: the download lasts as long as the three summaries
IDEAL, ONE_THEN_THE_OTHER = max(DOWNLOAD, SUMMARY * len(SECTIONS)), DOWNLOAD + SUMMARY * len(SECTIONS)


@pytest.fixture(scope="module")
def trial(solution: ModuleType) -> Trial:
    prepare_report = require(solution, "prepare_report")
    return run_trial(lambda kit: prepare_report(kit.service("download", DOWNLOAD),
                                                kit.service("summarise_local", SUMMARY),
                                                URL, list(SECTIONS)),
                     budget=3 * ONE_THEN_THE_OTHER, band=_band())


def _band() -> Any:
    return band(IDEAL, ONE_THEN_THE_OTHER, wrong_label="the download, then the local work,")


def _called(trial: Trial, name: str) -> None:
    if not trial.service(name).calls:
        raise Mistake("wrong-result", f"{name}() was never called.",
                      f"{name} called and its answers in the report")


def _downloaded_once(trial: Trial) -> None:
    """One download: a second call means the first one's task was dropped and the wait paid twice."""
    download = trial.service("download")
    if download.called <= 1:
        return
    first, last = download.calls[0], download.calls[-1]
    raise Mistake("no-background", f"download() was called {download.called} times. The first "
                  f"download ran from {first.started_at or 0:.2f} s, but nothing ever took its result; "
                  f"the report waited for another one, from {last.started_at or 0:.2f} to "
                  f"{last.ended_at or trial.elapsed:.2f} s.",
                  "one download, started before the local work and awaited after it",
                  "Keep the task in a variable, `task = asyncio.create_task(download(url))`, and "
                  "`await task` at the end instead of calling download again.",
                  details=render_timeline(trial.services, until=trial.elapsed))


def _in_the_background(trial: Trial) -> None:
    """The download was in flight during every local summary."""
    _called(trial, "download")
    _called(trial, "summarise_local")
    dl = trial.service("download").calls[0]
    local = trial.service("summarise_local").calls
    dl_start = dl.started_at if dl.started_at is not None else trial.elapsed
    dl_end = dl.ended_at if dl.ended_at is not None else trial.elapsed
    alone = [c for c in local if not (dl_start < (c.ended_at or trial.elapsed)
                                      and (c.started_at or 0.0) < dl_end)]
    if not alone:
        return
    local_start = min(c.started_at or 0.0 for c in local)
    local_end = max(c.ended_at or trial.elapsed for c in local)
    before = [c for c in alone if (c.ended_at or trial.elapsed) <= dl_start]
    if dl_end <= local_start:
        why = "your code waited for the download to finish before it started the local work"
    elif dl_start >= local_end:
        why = "the download started only after all the local work was done"
    elif before:
        why = (f"the download started only after {len(before)} of the {len(local)} summaries "
               "had been made")
    else:
        why = (f"the download was over before {len(alone)} of the {len(local)} summaries had "
               "started")
    raise Mistake("no-background", f"The download ran from {dl_start:.2f} to {dl_end:.2f} s and the "
                  f"local summaries from {local_start:.2f} to {local_end:.2f} s: {why}, so the report "
                  f"took {trial.elapsed:.2f} s.", "the download in flight during every local summary",
                  details=render_timeline(trial.services, until=trial.elapsed))


def _one_summary_at_a_time(trial: Trial) -> None:
    summarise = trial.service("summarise_local")
    if summarise.peak > 1:
        raise Mistake("over-limit", f"{summarise.peak} summarise_local calls were in flight at once, "
                      "but the summariser handles one section at a time.",
                      "the summaries one after another, in the order of sections",
                      "Keep the summaries in a plain loop that awaits each one in turn; only the "
                      "download goes in the background.",
                      details=render_timeline(trial.services, until=trial.elapsed))
    asked = [call.arg for call in summarise.calls]
    if asked != SECTIONS:
        raise Mistake("wrong-order", f"summarise_local was asked for {asked}.",
                      f"each section once, in this order: {SECTIONS}")


@pytest.mark.points(3)
def test_report_has_the_figures_and_every_summary(trial: Trial) -> None:
    """the report holds the downloaded figures and each section's summary, in order"""
    checks.ran_cleanly(trial)
    download, summarise = trial.service("download"), trial.service("summarise_local")
    expected = {"figures": download.expected(URL),
                "summaries": [summarise.expected(section) for section in SECTIONS]}
    checks.result_equals(trial, expected, "the report")


@pytest.mark.points(2)
def test_summaries_run_one_at_a_time(trial: Trial) -> None:
    """the local summaries run one at a time, in the order of sections"""
    checks.ran_cleanly(trial)
    _called(trial, "summarise_local")
    _one_summary_at_a_time(trial)


@pytest.mark.points(3)
def test_download_runs_in_the_background(trial: Trial) -> None:
    """one download, in flight during the local work, and finished by the time the report returns"""
    checks.ran_cleanly(trial)
    _downloaded_once(trial)
    _in_the_background(trial)
    checks.no_leftovers(trial)


@pytest.mark.points(2)
def test_report_takes_about_the_longer_part(trial: Trial) -> None:
    """the report takes about as long as its longer part (1.2 s), not the sum (2.4 s)"""
    checks.ran_cleanly(trial)
    checks.within(trial, _band(), slow_code="no-background")
