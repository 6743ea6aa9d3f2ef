"""--format gradescope: results.json per Gradescope's spec (reference section 2), golden files."""

from __future__ import annotations

import json

import pytest

from grader.report import FORMATS, gradescope
from tests.report_cases import CASES, matches_golden

TOP_FIELDS = {"score", "execution_time", "output", "output_format", "test_output_format", "tests",
              "extra_data"}
FORMATS_ALLOWED = {"text", "html", "simple_format", "md", "ansi"}


def results(name: str) -> dict:
    return json.loads(gradescope.render(CASES[name]))


@pytest.mark.parametrize("name", sorted(CASES))
def test_results_match_their_golden_files(name: str) -> None:
    assert matches_golden(f"gradescope/{name}.json", gradescope.render(CASES[name])), (
        f"tests/golden/gradescope/{name}.json differs; see tests/golden/README.md")


def test_gradescope_is_a_registered_format() -> None:
    assert FORMATS["gradescope"] is gradescope.render


@pytest.mark.parametrize("name", sorted(CASES))
def test_results_have_the_documented_fields(name: str) -> None:
    data = results(name)
    assert set(data) == TOP_FIELDS
    assert data["output_format"] in FORMATS_ALLOWED and data["test_output_format"] in FORMATS_ALLOWED
    assert data["score"] == CASES[name].score
    assert sum(t["score"] for t in data["tests"]) == pytest.approx(data["score"])
    assert sum(t["max_score"] for t in data["tests"]) == pytest.approx(CASES[name].max_score)
    numbers = [tuple(int(n) for n in t["number"].split(".")) for t in data["tests"]]
    assert numbers == sorted(numbers) and len(set(numbers)) == len(numbers)
    for test in data["tests"]:
        assert {"name", "number", "score", "max_score", "status", "output"} <= set(test)
        assert test["status"] in ("passed", "failed")
        assert (test["status"] == "passed") == (test["score"] == test["max_score"] > 0)


def test_partial_credit_keeps_the_passing_test_and_explains_the_others() -> None:
    tests = results("partial")["tests"]
    assert [(t["score"], t["status"]) for t in tests[:3]] == [(4, "passed"), (0, "failed"),
                                                             (0, "failed")]
    assert "ran one after another" in tests[1]["output"] and "Timeline" in tests[1]["output"]
    assert tests[1]["tags"] == ["sequential"]


def test_a_challenge_with_no_tests_is_one_failed_test_worth_its_points() -> None:
    missing = results("partial")["tests"][-1]
    assert missing["name"].startswith("05_forgotten_await") and missing["max_score"] == 10
    assert missing["number"] == "5.1" and "Not submitted" in missing["output"]


def test_a_timeout_zeroes_the_tests_that_had_passed_and_says_why() -> None:
    tests = results("timeout")["tests"]
    assert all(t["status"] == "failed" and t["score"] == 0 for t in tests)
    assert all("still running" in t["output"] for t in tests)
    assert tests[-1]["max_score"] == 6  # the tests that never reported keep their weight


def test_a_crash_of_the_grader_is_a_zero_with_a_reason() -> None:
    data = gradescope.crashed("MetadataError: bad toml")
    assert data["score"] == 0 and data["tests"] == [] and "bad toml" in data["output"]
