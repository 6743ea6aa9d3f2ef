"""What `grader check` prints, as pure functions of a result and a width: no tick beside zero
points, one cause told once, timelines for passing code on request, everything within the width."""

from __future__ import annotations

from dataclasses import replace

import pytest

from grader.catalog import Challenge, Timing
from grader.model import Status
from grader.report import fit, terminal
from grader.scoring import RunRecord, score
from tests.report_cases import PARTIAL, TIMED_OUT, ZEROED, outcome, three_fetches

P, F = Status.PASSED, Status.FAILED
CHART = ("Timeline (0 to 2.70 s; █ ok, ▓ raised, ░ cancelled, ▒ still running):\n"
         "  fetch('https://a.example/') |███████████████·························| 0.00 → 1.00 s (ok)\n"
         "  fetch('https://b.example/') |···············████████████·············| 1.00 → 1.80 s (ok)\n"
         "  fetch('https://c.example/') |···························█████████████| 1.80 → 2.70 s (ok)")
PASSING_CHART = ("Timeline (0 to 1.00 s; █ ok, ▓ raised, ░ cancelled, ▒ still running):\n"
                 "  fetch('https://a.example/') |" + "█" * 40 + "| 0.00 → 1.00 s (ok)")


def lines_of(text: str) -> list[str]:
    return text.splitlines()


@pytest.mark.parametrize(("result", "why"), [
    (TIMED_OUT, "ran out of time"),
    (ZEROED, "tampering"),
])
def test_a_pass_that_earned_nothing_has_no_tick_and_says_why(result, why: str) -> None:  # type: ignore[no-untyped-def]
    view = terminal.check_view(result, width=200)
    line = next(line for line in lines_of(view) if "returns every body" in line)
    assert "✓" not in line and terminal.UNCOUNTED in line
    assert "(0/4)" in line and "counts for nothing" in line and why in line


def test_a_pass_that_earned_its_points_keeps_its_tick() -> None:
    view = terminal.check_view(PARTIAL, width=200)
    line = next(line for line in lines_of(view) if "returns every body" in line)
    assert line.lstrip().startswith("✓") and "counts for nothing" not in line


def test_a_timed_out_run_from_scoring_shows_no_tick() -> None:
    """The real path: a run stopped by the watchdog after one test had passed."""
    challenge = Challenge(id="01_first_coroutine", number=1, slug="first_coroutine", path=None,  # type: ignore[arg-type]
                          title="First", level="beginner", points=2, summary="s", concepts=("c",),
                          hints=("h",), timing=Timing(0.0, 5.0), stub_diagnosis="not-implemented")
    payload = {"tests": [{"name": "brew is defined with async def", "status": "passed", "points": 2}]}
    result = score(challenge, RunRecord(payload=payload, returncode=None, duration=80.0,
                                        timed_out=True), min_wait=0.0)
    view = terminal.check_view(result, width=200)
    assert "✓ brew" not in view and f"{terminal.UNCOUNTED} brew is defined with async def (0/2)" in view


def test_one_cause_under_several_tests_is_told_once() -> None:
    first = "Your 3 fetch calls ran one after another.\nExpected: 3 in flight\nNext step: Start all.\n\n"
    second = "Your code took 2.70 s.\nExpected: about 1.00 s\nNext step: Start all.\n\n"
    result = three_fetches(outcome("overlap", F, 3, first + CHART, "sequential"),
                           outcome("one second", F, 3, second + CHART, "sequential"),
                           status=F, diagnoses=("sequential",))
    view = terminal.check_view(result, width=200)
    assert view.count("Timeline (") == 1 and view.count("Next step: Start all.") == 1
    assert "Your code took 2.70 s." in view and "Expected: about 1.00 s" in view  # its own figures
    assert "Same cause as above: its next step and timeline are shown there." in view


def test_timelines_of_passing_tests_only_on_request() -> None:
    result = three_fetches(outcome("overlap", P, 3), status=P)
    result = replace(result, tests=(replace(result.tests[0], timeline=PASSING_CHART),))
    assert "Timeline (" not in terminal.check_view(result, width=200)
    shown = terminal.check_view(result, width=200, timelines=True)
    assert PASSING_CHART.splitlines()[1] in shown


def test_the_timeline_travels_from_the_payload_to_the_view() -> None:
    challenge = Challenge(id="02_three_fetches", number=2, slug="three_fetches", path=None,  # type: ignore[arg-type]
                          title="Three fetches", level="beginner", points=3, summary="s",
                          concepts=("c",), hints=("h",), timing=Timing(0.0, 5.0),
                          stub_diagnosis="sequential")
    payload = {"complete": True, "exitstatus": 0, "tests": [
        {"name": "overlap", "status": "passed", "points": 3, "timeline": PASSING_CHART}]}
    result = score(challenge, RunRecord(payload=payload, returncode=0, duration=1.2), min_wait=1.0)
    assert result.status is P and result.tests[0].timeline == PASSING_CHART
    assert "████████████████████████████████████████" in terminal.check_view(result, width=200,
                                                                            timelines=True)


def test_a_failed_tests_timeline_field_is_shown_without_asking_but_not_twice() -> None:
    result = three_fetches(outcome("overlap", F, 3, "Ran one after another.", "sequential"),
                           status=F, diagnoses=("sequential",))
    alone = replace(result, tests=(replace(result.tests[0], timeline=CHART),))
    assert terminal.check_view(alone, width=200).count("Timeline (") == 1
    inside = replace(result, tests=(replace(result.tests[0], message="Ran.\n\n" + CHART,
                                            timeline=CHART),))
    assert terminal.check_view(inside, width=200, timelines=True).count("Timeline (") == 1


@pytest.mark.parametrize("width", [60, 72])
def test_everything_fits_the_width(width: int) -> None:
    first = ("Your 3 fetch calls ran one after another: at most 1 in flight at once, 2.70 s in all."
             "\nExpected: 3 in flight together\nNext step: Start every operation before awaiting "
             "any: asyncio.gather(...) or create_task(...) for each, then await them together.\n\n")
    result = three_fetches(outcome("the three fetches are in flight at the same time", F, 3,
                                   first + CHART, "sequential"), status=F, diagnoses=("sequential",))
    view = terminal.check_view(result, width=width)
    assert max(len(line) for line in lines_of(view)) <= width, view
    bars = [line for line in lines_of(view) if "|" in line and "█" in line]
    assert len(bars) == 3 and len({line.index("|") for line in bars}) == 1, "bars stay aligned"
    assert "fetch('https://a.example/')" in view, "a label is never cut when it can move instead"
    assert "asyncio.gather(...)" in view and "2.70 s in all." in view  # wrapped, not cut


def test_a_bar_keeps_a_short_error_when_narrowed() -> None:
    bar = "·" * 30 + "▓" + "·" * 9
    assert "▓" in fit._resample(bar, 10)
    assert len(fit._resample(bar, 10)) == 10 and fit._resample(bar, 40) == bar


def test_a_wide_terminal_changes_nothing() -> None:
    assert fit.fit(CHART, 200) == CHART


def test_a_run_lost_only_to_a_busy_machine_is_inconclusive_not_failed() -> None:
    challenge = Challenge(id="02_three_fetches", number=2, slug="three_fetches", path=None,  # type: ignore[arg-type]
                          title="Three", level="beginner", points=3, summary="s", concepts=("c",),
                          hints=("h",), timing=Timing(0.0, 5.0), stub_diagnosis="not-implemented")
    payload = {"complete": True, "tests": [
        {"name": "right answer", "status": "passed", "points": 2},
        {"name": "in about one second", "status": "failed", "points": 1, "diagnosis": "inconclusive",
         "message": "Your code took 1.60 s, but the machine kept its event loop waiting."}]}
    result = score(challenge, RunRecord(payload=payload, returncode=1, duration=3.0), min_wait=0.0)
    assert result.status is Status.INCONCLUSIVE and result.score == 2.0
    assert "grade again on a quieter machine" in result.reason
    assert terminal.headline(result).startswith("?")
