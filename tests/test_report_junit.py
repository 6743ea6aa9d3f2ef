"""--format junit: pytest's junitxml shape (reference section 4), valid against the Jenkins xunit
plugin's junit-10.xsd (vendored in tests/, checked with xmlschema), golden files."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import xmlschema

from grader.grade import grade
from grader.report import FORMATS, junit
from tests.kit_cases import CHALLENGES
from tests.report_cases import CASES, FORGERY, matches_golden, outcome, report, three_fetches
from tests.report_cases import F as FAILED

SCHEMA = xmlschema.XMLSchema(Path(__file__).with_name("junit-10.xsd"))


def tree(name: str) -> ET.Element:
    return ET.fromstring(junit.render(CASES[name]))


@pytest.mark.parametrize("name", sorted(CASES))
def test_xml_matches_its_golden_file(name: str) -> None:
    assert matches_golden(f"junit/{name}.xml", junit.render(CASES[name])), (
        f"tests/golden/junit/{name}.xml differs; see tests/golden/README.md")


@pytest.mark.parametrize("name", sorted(CASES))
def test_xml_validates_against_the_jenkins_junit_schema(name: str) -> None:
    SCHEMA.validate(junit.render(CASES[name]))


def test_the_schema_check_can_fail() -> None:
    """What issue 12 found: `skipped` on testsuites is not in junit-10.xsd."""
    text = junit.render(CASES["partial"]).replace('<testsuites name="grader"',
                                                  '<testsuites name="grader" skipped="0"', 1)
    assert not SCHEMA.is_valid(text)
    assert ET.fromstring(junit.render(CASES["fractional"])).get("skipped") is None


def test_junit_is_a_registered_format() -> None:
    assert FORMATS["junit"] is junit.render


@pytest.mark.parametrize("name", sorted(CASES))
def test_counters_agree_with_the_testcases(name: str) -> None:
    root = tree(name)
    assert root.tag == "testsuites"
    for element in (root, *root.findall("testsuite")):
        cases = list(element.iter("testcase"))
        assert int(element.get("tests")) == len(cases)
        for attr, tag in (("failures", "failure"), ("errors", "error"), ("skipped", "skipped")):
            if element is not root or attr != "skipped":
                assert int(element.get(attr)) == sum(c.find(tag) is not None for c in cases)
        float(element.get("time"))
    assert [s.get("name") for s in root.findall("testsuite")] == [
        c.id for c in CASES[name].challenges]


def test_partial_credit_is_failures_next_to_a_pass_with_the_points_as_properties() -> None:
    suite = tree("partial").find("testsuite")
    props = {p.get("name"): p.get("value") for p in suite.iter("property")}
    assert props["score"] == "4" and props["max_score"] == "10" and props["status"] == "failed"
    cases = suite.findall("testcase")
    assert cases[0].get("classname") == "02_three_fetches.test_three_fetches"
    assert cases[0].get("name") == "test_returns_every_body" and len(cases[0]) == 0
    failure = cases[1].find("failure")
    assert failure.get("type") == "sequential"
    assert failure.get("message").startswith("Your 3 fetch calls ran one after another")
    assert "Next step" in failure.text


def test_errors_and_timeouts_are_error_elements() -> None:
    raised = tree("error").findall("testsuite")
    assert all(c.find("error") is not None for c in raised[0].findall("testcase"))
    (unknown,) = raised[1].findall("testcase")  # no test listed at all: one stand-in, not named "challenge"
    assert unknown.get("name") == "not graded" and unknown.find("error").get("type") == "missing-file"
    timed_out = tree("timeout").find("testsuite").findall("testcase")
    assert timed_out[-1].get("name") == "tests that did not run"
    assert timed_out[-1].find("error").get("message").startswith("The tests were still running")


def test_a_missing_file_keeps_the_named_testcases_each_failed_with_the_reason() -> None:
    cases = tree("missing_named").find("testsuite").findall("testcase")
    assert [c.get("name") for c in cases] == [
        "test_returns_every_body", "test_fetches_overlap", "test_about_one_second"]
    for case in cases:
        failure = case.find("failure")
        assert failure.get("type") == "missing-file"
        assert failure.get("message").startswith("Not submitted: there is no challenges/")


def test_grading_a_missing_file_lists_the_suites_own_tests(tmp_path: Path) -> None:
    """End to end: grade() with no file gives the declared testcases of the real suite."""
    chosen = [c for c in CHALLENGES if c.id in ("01_first_coroutine", "02_three_fetches")]
    root = ET.fromstring(junit.render(grade(chosen, lambda c: tmp_path / f"{c.id}.py")))
    SCHEMA.validate(root)
    for suite, challenge in zip(root.findall("testsuite"), chosen, strict=True):
        source = challenge.test_file.read_text(encoding="utf-8")
        names = [c.get("name") for c in suite.findall("testcase")]
        assert len(names) >= 3 and "challenge" not in names and "not graded" not in names
        assert all(f"def {name}(" in source for name in names)
        assert int(suite.get("failures")) == len(names) and suite.get("errors") == "0"


def test_skipped_tests_and_guards() -> None:
    cases = tree("fractional").find("testsuite").findall("testcase")
    assert cases[-1].find("skipped").get("type") == "pytest.skip"
    zeroed = tree("zeroed").find("testsuite").findall("testcase")
    assert len(zeroed) == 3, "a guard fails the passing tests themselves: no extra testcase"
    for case in zeroed:  # passed, but worth nothing: never green on a dashboard
        assert case.find("failure").get("type") == "tampering"
        assert "the clock was not honest" in case.find("failure").text


def test_hostile_strings_stay_on_one_line_and_in_their_element() -> None:
    root = tree("hostile")
    SCHEMA.validate(root)
    case = root.find("testsuite").find("testcase")
    for value in (case.get("name"), case.find("failure").get("message"),
                  case.find("failure").get("type"), root.find(".//property[@name='diagnoses']").get("value")):
        assert "\n" not in value and "\r" not in value and "\x1b" not in value, value
        assert "\\x1b[1A" in value, "the attempt stays visible, escaped"
    assert len(root.findall(".//testcase")) == 3


def test_characters_xml_cannot_carry_are_replaced_not_fatal() -> None:
    hostile = three_fetches(outcome("x", FAILED, 10, "bad \x00\x07 value \ud800 here"), status=FAILED)
    text = junit.render(report(hostile, FORGERY))
    failure = ET.fromstring(text).find(".//failure")
    assert "bad \\x00\\x07 value \\ud800 here" in failure.text
