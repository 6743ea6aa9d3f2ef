"""--format junit: pytest's junitxml shape (reference section 4), golden files."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from grader.report import FORMATS, junit
from tests.report_cases import CASES, FORGERY, matches_golden, outcome, report, three_fetches
from tests.report_cases import F as FAILED


def tree(name: str) -> ET.Element:
    return ET.fromstring(junit.render(CASES[name]))


@pytest.mark.parametrize("name", sorted(CASES))
def test_xml_matches_its_golden_file(name: str) -> None:
    assert matches_golden(f"junit/{name}.xml", junit.render(CASES[name])), (
        f"tests/golden/junit/{name}.xml differs; see tests/golden/README.md")


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
    missing = raised[1].find("testcase")
    assert missing.get("name") == "challenge" and missing.find("error").get("type") == "missing-file"
    timed_out = tree("timeout").find("testsuite").findall("testcase")
    assert timed_out[-1].find("error").get("message").startswith("The tests were still running")


def test_skipped_tests_and_guards() -> None:
    cases = tree("fractional").find("testsuite").findall("testcase")
    assert cases[-1].find("skipped").get("type") == "pytest.skip"
    verdict = tree("zeroed").find("testsuite").findall("testcase")[-1]
    assert verdict.find("failure").get("type") == "tampering"


def test_characters_xml_cannot_carry_are_replaced_not_fatal() -> None:
    hostile = three_fetches(outcome("x", FAILED, 10, "bad \x00\x07 value \ud800 here"), status=FAILED)
    text = junit.render(report(hostile, FORGERY))
    failure = ET.fromstring(text).find(".//failure")
    assert "bad \ufffd\ufffd value \ufffd here" in failure.text
