"""JUnit XML for CI dashboards, in the shape pytest's --junitxml writes (xunit2; reference section 4).

    <testsuites name="grader" tests failures errors time>
      <testsuite name="02_three_fetches" tests failures errors skipped time>
        <properties> title, score, max_score, status, diagnoses </properties>   (JUnit has no points)
        <testcase classname="02_three_fetches.test_three_fetches" name="test_fetches_overlap" time>
          <failure message="first line" type="sequential">the full message</failure>

The output validates against the Jenkins xunit plugin's junit-10.xsd (tests/junit-10.xsd), which
is why `testsuites` carries no `skipped` count. A failed test gets <failure>, an errored or
timed-out one <error>, a skipped one <skipped>; a test that passed but whose points the challenge's
verdict withheld (a timeout, a guard) is a <failure> with that verdict, so a dashboard never shows
green beside zero points. grade.py lists every declared test even when the run reported none (a
missing file: each named test fails with the reason); only points no listed test accounts for
become one more testcase, "tests that did not run" (or "not graded" when none is listed).

Every learner-controlled string is made safe with plain_text: names and attributes on one line,
messages with only their own line breaks, every control character shown as its escape (so none is
left that XML 1.0 cannot carry, even escaped; _NOT_XML is the last guard).
Imports grader.model and grader.report's terminal and plain_text.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from grader.model import ChallengeResult, GradeReport, Status, TestOutcome
from grader.report import terminal
from grader.report.plain_text import lines, one_line

# XML 1.0 cannot carry most control characters, even escaped; a learner's repr may contain them.
_NOT_XML = re.compile(r"[^\x09\x0a\x0d\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
CHILD = {Status.FAILED: "failure", Status.ERROR: "error", Status.TIMEOUT: "error",
         Status.SKIPPED: "skipped"}
COUNTED = (("errors", "error"), ("failures", "failure"), ("skipped", "skipped"))


def render(report: GradeReport) -> str:
    root = ET.Element("testsuites", name="grader")
    suites = [_suite(c) for c in report.challenges]
    root.extend(suites)
    _count(root, suites, skipped=False)  # junit-10.xsd: no skipped count on testsuites
    ET.indent(root, space="  ")
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _suite(result: ChallengeResult) -> ET.Element:
    suite = ET.Element("testsuite", name=_name(result.id))
    props = ET.SubElement(suite, "properties")
    for name, value in (("title", result.title), ("status", str(result.status)),
                        ("score", terminal.points(result.score)),
                        ("max_score", terminal.points(result.max_score)),
                        ("diagnoses", ",".join(result.diagnoses))):
        ET.SubElement(props, "property", name=name, value=_name(value))
    cases = [_case(result, t) for t in result.tests]
    unlisted = result.max_score - sum(t.max_score for t in result.tests)
    if unlisted > 1e-9 or (not result.tests and result.reason):
        cases.append(_unlisted(result))
    suite.extend(cases)
    _count(suite, cases, time=result.duration)
    return suite


def _case(result: ChallengeResult, test: TestOutcome) -> ET.Element:
    module, _, function = test.nodeid.partition("::")
    classname = module.removesuffix(".py").replace("/", ".") if module else result.id
    case = ET.Element("testcase", classname=_name(classname), name=_name(function or test.name),
                      time=f"{test.duration:.3f}")
    withheld = test.status is Status.PASSED and test.score < test.max_score
    kind = "failure" if withheld else CHILD.get(test.status)
    if kind is None:
        return case
    message = result.reason if withheld else test.message
    text = f"{test.name}\n\n{message}".strip()
    if result.reason and result.reason not in text:
        text += f"\n\n{result.reason}"  # the challenge's verdict (a timeout, a guard) too
    child = ET.SubElement(case, kind, message=_first_line(message) or str(test.status))
    code = test.diagnosis or (result.diagnoses[0] if withheld and result.diagnoses else None)
    child.set("type", "pytest.skip" if kind == "skipped" else _name(code or test.status))
    child.text = _clean(text)
    return case


def _unlisted(result: ChallengeResult) -> ET.Element:
    """The points no listed test accounts for: one testcase with the challenge's verdict."""
    name = "tests that did not run" if result.tests else "not graded"
    case = ET.Element("testcase", classname=_name(result.id), name=name, time="0.000")
    kind = "failure" if result.status in (Status.FAILED, Status.PASSED) else "error"
    reason = result.reason or "These tests did not report a result."
    child = ET.SubElement(case, kind, message=_first_line(reason),
                          type=_name(result.diagnoses[0] if result.diagnoses else result.status))
    child.text = _clean(reason)
    return case


def _count(element: ET.Element, children: list[ET.Element], time: float | None = None,
           skipped: bool = True) -> None:
    """pytest's counters: tests, failures, errors, skipped (over every testcase below), time."""
    cases = [c for child in children for c in ([child] if child.tag == "testcase"
                                                else child.iter("testcase"))]
    for attr, tag in COUNTED:
        if skipped or attr != "skipped":
            element.set(attr, str(sum(c.find(tag) is not None for c in cases)))
    element.set("tests", str(len(cases)))
    total = time if time is not None else sum(float(c.get("time", 0)) for c in children)
    element.set("time", f"{total:.3f}")


def _first_line(text: str) -> str:
    return _name(text.strip().splitlines()[0]) if text.strip() else ""


def _name(text: object) -> str:
    """A name or attribute: one line, nothing a terminal or XML could act on."""
    return _clean(one_line(text))


def _clean(text: str) -> str:
    """A message: its own line breaks kept, every other control character shown escaped (so no
    \r or escape sequence reaches whoever reads the file), and nothing XML 1.0 cannot carry."""
    return _NOT_XML.sub("\ufffd", lines(text))
