"""The terminal views: the learner's check view and the grade table (ticks follow the points; the
"○" beside a pass that earned nothing: tests/test_check_view.py). Hostile strings in them:
tests/test_report_hostile.py."""

from __future__ import annotations

import dataclasses
import json

from grader.model import from_dict, to_dict
from grader.report import terminal
from tests.report_cases import CASES, MISSING_NAMED, PARTIAL
from tests.report_cases import report as report_of


def listed(text: str) -> list[str]:
    """The test lines: a mark after two spaces (a wrapped sentence's next line has none)."""
    marks = {*terminal.MARK.values(), terminal.UNCOUNTED}
    return [line for line in text.splitlines() if line.startswith("  ") and line[2] in marks]


def test_ticks_and_crosses_follow_the_points() -> None:
    lines = listed(terminal.check_view(PARTIAL))
    assert lines == ["  ✓ returns every body (4/4)", "  ✗ fetches overlap (0/3)  [sequential]",
                     "  ✗ about one second (0/3)  [sequential]"]
    for report in CASES.values():
        for result in report.challenges:
            for line in listed(terminal.check_view(result)):
                if line.lstrip().startswith("✓"):
                    earned, _, worth = line.rpartition("(")[2].partition(")")[0].partition("/")
                    assert (earned == worth and float(worth) > 0) or worth == "0", line


def test_a_missing_file_lists_each_named_test_with_a_cross_and_explains_once() -> None:
    text = terminal.check_view(MISSING_NAMED)
    assert [line.split(" (")[0] for line in listed(text)] == [
        "  ✗ returns every body", "  ✗ fetches overlap", "  ✗ about one second"]
    assert text.count("Not submitted: there is no") == 2  # the verdict, then once under the tests


def test_the_table_has_one_row_per_challenge_and_a_total() -> None:
    text = terminal.table(CASES["partial"])
    assert "Submission: alice" in text.splitlines()[0]
    assert "Total: 4/20 points; 0 of 2 challenges passed." in text
    assert sum(line.startswith(("02_", "05_")) for line in text.splitlines()) == 2


def test_a_result_measured_again_alone_says_so_and_keeps_saying_so_in_json() -> None:
    again = dataclasses.replace(PARTIAL, remeasured=True)
    assert terminal.headline(again).endswith(", measured again alone)")
    assert "measured again" not in terminal.headline(PARTIAL)
    back = from_dict(json.loads(json.dumps(to_dict(report_of(again)))))
    assert back.challenges[0].remeasured
    assert not from_dict(to_dict(report_of(PARTIAL))).challenges[0].remeasured
