"""JUnit XML for CI dashboards, in the shape pytest's --junitxml writes (xunit2; reference section 4).

    <testsuites name="grader" tests failures errors skipped time>
      <testsuite name="02_three_fetches" tests failures errors skipped time>
        <properties> score, max_score, status, diagnoses </properties>   (JUnit has no points)
        <testcase classname="02_three_fetches.test_three_fetches" name="test_fetches_overlap" time>
          <failure message="first line" type="sequential">the full message</failure>

A failed test gets <failure>, an errored or timed-out one <error>, a skipped one <skipped>. A verdict
on the whole challenge (not submitted, crashed, timed out, zeroed by a guard) is one more testcase
named "challenge", with <error> (or <failure> for a guard on a failed run) and the reason.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from grader.model import ChallengeResult, GradeReport, Status, TestOutcome
from grader.report import terminal

# XML 1.0 cannot carry most control characters, even escaped; a learner's repr may contain them.
_NOT_XML = re.compile(r"[^\x09\x0a\x0d\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
CHILD = {Status.FAILED: "failure", Status.ERROR: "error", Status.TIMEOUT: "error",
         Status.SKIPPED: "skipped"}


def render(report: GradeReport) -> str:
    root = ET.Element("testsuites", name="grader")
    suites = [_suite(c) for c in report.challenges]
    root.extend(suites)
    _count(root, suites)
    ET.indent(root, space="  ")
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _suite(result: ChallengeResult) -> ET.Element:
    suite = ET.Element("testsuite", name=result.id)
    props = ET.SubElement(suite, "properties")
    for name, value in (("title", result.title), ("status", str(result.status)),
                        ("score", terminal.points(result.score)),
                        ("max_score", terminal.points(result.max_score)),
                        ("diagnoses", ",".join(result.diagnoses))):
        ET.SubElement(props, "property", name=name, value=_clean(value))
    cases = [_case(result, t) for t in result.tests]
    if result.reason:
        cases.append(_verdict(result))
    suite.extend(cases)
    _count(suite, cases, time=result.duration)
    return suite


def _case(result: ChallengeResult, test: TestOutcome) -> ET.Element:
    module, _, name = test.nodeid.partition("::")
    classname = module.removesuffix(".py").replace("/", ".") if module else result.id
    case = ET.Element("testcase", classname=classname, name=_clean(name or test.name),
                      time=f"{test.duration:.3f}")
    kind = CHILD.get(test.status)
    if kind:
        text = _clean(f"{test.name}\n\n{test.message}".strip())
        child = ET.SubElement(case, kind, message=_first_line(test.message) or str(test.status))
        child.set("type", "pytest.skip" if kind == "skipped" else (test.diagnosis or str(test.status)))
        child.text = text
    return case


def _verdict(result: ChallengeResult) -> ET.Element:
    case = ET.Element("testcase", classname=result.id, name="challenge",
                      time=f"{result.duration:.3f}")
    kind = "failure" if result.status is Status.FAILED else "error"
    child = ET.SubElement(case, kind, message=_first_line(result.reason),
                          type=result.diagnoses[0] if result.diagnoses else str(result.status))
    child.text = _clean(result.reason)
    return case


def _count(element: ET.Element, children: list[ET.Element], time: float | None = None) -> None:
    """pytest's counters: tests, failures, errors, skipped (over every testcase below), time."""
    cases = [c for child in children for c in ([child] if child.tag == "testcase"
                                                else child.iter("testcase"))]
    for attr, tag in (("errors", "error"), ("failures", "failure"), ("skipped", "skipped")):
        element.set(attr, str(sum(c.find(tag) is not None for c in cases)))
    element.set("tests", str(len(cases)))
    total = time if time is not None else sum(float(c.get("time", 0)) for c in children)
    element.set("time", f"{total:.3f}")


def _first_line(text: str) -> str:
    return _clean(text.strip().splitlines()[0]) if text.strip() else ""


def _clean(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)
