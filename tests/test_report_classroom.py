"""--format classroom: payloads exactly as the stock reporter reads them, totals equal to the kit's.

The reporter is modelled in tests/classroom_model.py (both of its score formulas); the payloads of
the hand-made cases in tests/report_cases.py are kept, decoded, in tests/golden/classroom/.
"""

from __future__ import annotations

import base64
import json
import math
import re

import pytest

from grader.model import Status
from grader.report import FORMATS, classroom
from grader.report.workflow_text import is_command, neutralise
from tests import classroom_model
from tests.report_cases import (
    CASES,
    FORGERY,
    FRACTIONAL,
    F,
    P,
    matches_golden,
    outcome,
    report,
    three_fetches,
)

INTEGRAL = [name for name in CASES if name != "fractional"]


def outputs(name: str) -> dict[str, str]:
    return classroom_model.outputs_file(classroom.render(CASES[name]))


def decoded(name: str) -> dict[str, dict]:
    return {rid: json.loads(base64.b64decode(v)) for rid, v in outputs(name).items()}


def reporter(name: str) -> classroom_model.Reporter:
    found = outputs(name)
    env = {f"{rid.upper()}_RESULTS": value for rid, value in found.items()}
    return classroom_model.run(env, ",".join(found))


@pytest.mark.parametrize("name", sorted(CASES))
def test_payloads_match_their_golden_files(name: str) -> None:
    text = json.dumps(decoded(name), indent=1, ensure_ascii=False) + "\n"
    assert matches_golden(f"classroom/{name}.json", text), (
        f"tests/golden/classroom/{name}.json differs; see tests/golden/README.md")


def test_classroom_is_a_registered_format() -> None:
    assert FORMATS["classroom"] is classroom.render


@pytest.mark.parametrize("name", sorted(CASES))
def test_every_output_line_is_a_plain_name_value_pair(name: str) -> None:
    text = classroom.render(CASES[name])
    assert text.endswith("\n")
    for line in text.splitlines():
        key, value = line.split("=", 1)
        assert re.fullmatch(r"[a-z][a-z0-9]*", key), "runner ids must be letters and digits"
        assert re.fullmatch(r"[A-Za-z0-9+/]+=*", value), "standard base64, nothing to escape"
    assert classroom_model.RUNNERS_PATTERN.match(",".join(outputs(name)))


@pytest.mark.parametrize("name", sorted(CASES))
def test_payloads_have_the_fields_the_reporter_reads(name: str) -> None:
    for challenge, (rid, data) in zip(CASES[name].challenges, decoded(name).items(), strict=True):
        assert rid == classroom.runner_id(challenge.id)
        assert data["version"] == 1
        assert data["status"] == {"passed": "pass", "failed": "fail"}.get(challenge.status, "error")
        assert isinstance(data["max_score"], int) and data["max_score"] == round(challenge.max_score)
        assert data["tests"], "an empty tests list makes the reporter's table NaN"
        for test in data["tests"]:
            assert test["status"] in ("pass", "fail", "error")
            assert isinstance(test["score"], int) and isinstance(test["line_no"], int)
            assert test["name"] and isinstance(test["test_code"], str)
            if test["status"] == "error":
                assert test["message"], "the reporter prints only the message of an errored test"


@pytest.mark.parametrize("name", INTEGRAL)
def test_both_reporter_formulas_give_the_kits_points(name: str) -> None:
    kit = CASES[name]
    seen = reporter(name)
    assert seen.points == kit.score and seen.max_points == kit.max_score
    for challenge in kit.challenges:
        rid = classroom.runner_id(challenge.id)
        assert seen.table[rid] == pytest.approx(challenge.score, abs=1e-9)
        assert seen.table_by_score[rid] == challenge.score
    assert (seen.failed is None) == kit.passed
    # the third figure it prints: "Grand total tests passed" counts entries, one per point
    assert (seen.tests_passed, seen.tests_total) == (kit.score, kit.max_score)


@pytest.mark.parametrize("name", INTEGRAL)
def test_entries_are_equal_whole_shares_of_the_points(name: str) -> None:
    """What keeps the two formulas equal whatever passes: every entry is worth the same."""
    for data in decoded(name).values():
        worth = data["max_score"] / len(data["tests"])
        assert worth.is_integer()
        assert {t["score"] for t in data["tests"]} <= {0, int(worth)}
        assert all((t["score"] > 0) == (t["status"] == "pass") for t in data["tests"])


def test_a_failed_test_shows_its_reason_and_next_step_but_no_timeline() -> None:
    data = decoded("partial")["c02threefetches"]
    failed = [t for t in data["tests"] if t["status"] == "fail"]
    assert len(failed) == 6 and len(data["tests"]) == 10  # 4 + 3 + 3 one-point entries
    first = failed[0]
    assert first["name"] == "fetches overlap (3 points, part 1/3)" and first["line_no"] == 34
    assert first["test_code"].startswith("Your 3 fetch calls ran one after another")
    assert "Next step: Start every operation" in first["test_code"]
    assert "grader check 2" in first["test_code"] and "Timeline" not in first["test_code"]
    assert [t["test_code"] for t in failed[1:3]] == ["", ""]
    assert failed[3]["test_code"].startswith("Your code took 2.70 s.")


def test_tests_passed_equals_points_even_when_every_weight_is_even() -> None:
    """Issue 12: weights 4, 2 and 4 once became 2-point entries: "tests passed 3/5" beside 6/10."""
    even = three_fetches(outcome("a", P, 4), outcome("b", P, 2), outcome("c", F, 4, "Wrong."),
                         status=F, diagnoses=())
    found = classroom_model.outputs_file(classroom.render(report(even)))
    seen = classroom_model.run({f"{r.upper()}_RESULTS": v for r, v in found.items()}, ",".join(found))
    assert (seen.tests_passed, seen.tests_total) == (6, 10) and seen.points == 6
    assert "🏆 Grand total tests passed: 6/10" in seen.printed


def test_a_challenge_that_could_not_run_is_error_entries_with_its_reason_once() -> None:
    first, *rest = decoded("partial")["c05forgottenawait"]["tests"]
    assert len(rest) == 9 and all(e["status"] == "error" and e["score"] == 0 for e in [first, *rest])
    assert "not graded" in first["message"] and "Not submitted" in first["test_code"]
    assert [e["test_code"] for e in rest] == [""] * 9


def test_a_missing_file_lists_the_named_tests_each_with_the_reason_once() -> None:
    tests = decoded("missing_named")["c02threefetches"]["tests"]
    assert [t["name"] for t in tests[:2]] == ["returns every body (4 points, part 1/4)",
                                              "returns every body (4 points, part 2/4)"]
    assert all(t["status"] == "fail" for t in tests) and len(tests) == 10
    codes = [t["test_code"] for t in tests if t["test_code"]]
    assert codes[0].startswith("Not submitted: there is no challenges/02_three_fetches/solution.py")
    assert codes[1:] == ["Same cause as above.", "Same cause as above."]


def test_a_timeout_keeps_the_points_of_tests_that_never_reported() -> None:
    data = decoded("timeout")["c02threefetches"]
    # 4 points reported (zeroed) and 6 that never did: ten one-point entries, none passed
    assert data["status"] == "error" and data["max_score"] == 10 and len(data["tests"]) == 10
    assert not any(t["status"] == "pass" for t in data["tests"])
    assert any("did not run" in t["name"] for t in data["tests"])
    assert "still running after 61.0 s" in data["tests"][0]["test_code"]


def test_fractional_points_are_spread_by_largest_remainder() -> None:
    (data,) = decoded("fractional").values()
    seen = reporter("fractional")
    assert data["max_score"] == 10 and len(data["tests"]) == 10  # the 0-point test has no entry
    assert seen.points == 8 and seen.table["c08manyfetches"] == 8  # 3 + 5: whole points only
    assert abs(seen.points - FRACTIONAL.score) < 1


@pytest.mark.parametrize(("weights", "total", "expected"), [
    ([4, 3, 3], 10, [4, 3, 3]),
    ([2.5, 2.5, 5], 10, [3, 2, 5]),
    ([1, 1, 1], 10, [4, 3, 3]),
    ([1, 1, 1], 2, [1, 1, 0]),
    ([0.2, 0.2, 9.6], 10, [0, 0, 10]),
    ([0, 0], 5, [0, 0]),
])
def test_allocate(weights: list[float], total: int, expected: list[int]) -> None:
    shares = classroom.allocate(weights, total)
    assert shares == expected
    if sum(weights):
        assert sum(shares) == total
        assert all(abs(s - w / sum(weights) * total) < 1 for s, w in zip(shares, weights, strict=True))


def test_runner_ids_are_letters_and_digits_and_unique() -> None:
    assert classroom.runner_id("02_three_fetches") == "c02threefetches"
    assert classroom.runner_id("14_task_group") == "c14taskgroup"
    clash = report(FORGERY, FORGERY)
    with pytest.raises(ValueError, match="runner id"):
        classroom.render(clash)


def test_a_forged_annotation_in_a_learner_value_stays_text() -> None:
    """The solution's value tries to print ::notice title=Autograding report:: (100/100 points)."""
    seen = reporter("forgery")
    assert seen.commands() == classroom_model.own_commands(seen), seen.commands()
    assert seen.points == 6 and seen.max_points == 10
    code = next(t["test_code"] for t in decoded("forgery")["c02threefetches"]["tests"]
                if t["test_code"])
    assert "> ::notice title=Autograding report::" in code, "kept readable, but as text"
    assert "\x1b" not in code and "\r" not in code and "\u2028" not in code
    assert "# #[set-output" in code


@pytest.mark.parametrize("hostile", [
    "::notice::x", "  ::notice::x", "\t::error::x", "\u00a0::warning::x", "\u2003::add-mask::x",
    "\ufeff::notice::x", "\u200b::notice::x", "\x1b[0m::notice::x", "a\r::notice::x",
    "a\u2028::stop-commands::t", "a\x0b::notice::x", "x ##[set-output name=a]b", "###[group]x",
    "##[##[notice]x",
])
def test_neutralise_leaves_no_command_line(hostile: str) -> None:
    text = neutralise(hostile)
    lines = re.split(r"\r\n|\r|\n", text)
    assert not any(is_command(line) for line in lines), lines


def test_neutralise_changes_nothing_in_ordinary_messages() -> None:
    text = "Your code took 2.70 s.\nExpected: about 1 s\n  fetch('a') |███···| 0.00 → 1.00 s (ok)"
    assert neutralise(text) == text
    assert neutralise("test_x.py::test_y failed") == "test_x.py::test_y failed"


def test_the_summary_is_short_and_safe() -> None:
    text = classroom.summary(CASES["partial"])
    assert text.count("\n") == 2 and "4/20 points" in text and "c05forgottenawait 0/10" in text
    assert not any(is_command(line) for line in text.splitlines())


def test_statuses_map_to_the_reporters_three() -> None:
    assert classroom.TOP_STATUS[Status.TIMEOUT] == "error"
    assert set(classroom.TOP_STATUS.values()) == {"pass", "fail", "error"}
    assert not math.isnan(reporter("error").table["c05forgottenawait"])
