"""Every learner-controlled string, neutralised in every report format (issue 9, part 2).

tests/report_cases.py's HOSTILE report puts one attack in each string a run can choose: a test's
name, message and diagnosis code, the challenge's diagnoses, what the solution printed and the
submission's label. The attack moves the cursor up and clears the line, returns to the start of the
line, forges a "passed 10/10" row and total on new lines, sets the window title, reverses text,
breaks lines the Unicode way, carries NUL and C1 characters and a lone surrogate, and ends like a
spreadsheet formula. Each format must keep its own structure and show the attempt as inert text.
"""

from __future__ import annotations

import base64
import csv
import io
import json
import re
import unicodedata
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from grader import gradebook
from grader.cli import main
from grader.model import from_dict
from grader.report import FORMATS, classroom, gradescope, json_report, junit, terminal
from grader.report.plain_text import formula_safe, lines, one_line
from grader.scoring import UNKNOWN_CODE, RunRecord, known_code, score
from grader.testkit.diagnoses import DIAGNOSES
from tests import classroom_model
from tests.kit_cases import CHALLENGES, KIT
from tests.report_cases import ATTACK, HOSTILE, PARTIAL, report

UNSAFE = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}
FORGED = re.compile(r"passed\s+10/10|Total: 10/10")


def raw_controls(text: str, allowed: str = "\n") -> list[str]:
    """Characters that act on a terminal or layout instead of drawing a glyph."""
    return [c for c in text if c not in allowed and unicodedata.category(c) in UNSAFE]


def test_the_table_keeps_one_row_per_challenge_and_one_total() -> None:
    text = terminal.table(HOSTILE)
    assert raw_controls(text) == []
    rows = text.splitlines()
    assert len(rows) == 7  # submission, blank, header, rule, the one row, blank, total
    assert [r for r in rows if r.startswith("Total:")] == [
        "Total: 6/10 points; 0 of 1 challenges passed."]
    (row,) = [r for r in rows if r.startswith("02_three_fetches")]
    assert "failed" in row and "6/10" in row
    assert "\\x1b[1A" in row and "\\n\\nTotal: 10/10" in row, "the attempt is shown, escaped"
    assert text.encode("utf-8")  # a lone surrogate would make printing it fail


def test_the_check_view_gives_every_test_one_line() -> None:
    text = terminal.check_view(HOSTILE.challenges[0], verbose=True)
    assert raw_controls(text, allowed="\n\t") == []
    at_two = [line for line in text.splitlines() if line.startswith("  ") and not
              line.startswith("   ")]
    # Lines fit the width: a long name goes on under its test, deeper (4 spaces); a kit sentence
    # wrapped from column 0 goes on at 2 spaces, and holds none of the attack.
    starts = {*terminal.MARK.values(), terminal.UNCOUNTED, "|"}
    test_lines = [line for line in at_two if line.split()[0] in starts]
    assert not any("\\x1b" in line or FORGED.search(line) for line in at_two if line not in test_lines)
    marks = [line.split()[0] for line in test_lines]
    assert marks[:3] == ["✗", "✓", "✓"] and set(marks[3:]) == {"|"}, test_lines
    assert not any(FORGED.search(line) for line in test_lines[1:3])
    printed = text.partition("What the test run printed:\n")[2].splitlines()
    assert printed and all(line.startswith("  | ") or not line for line in printed), "prints stay marked"


def test_a_timeline_shown_in_the_check_view_is_neutralised_too() -> None:
    challenge = HOSTILE.challenges[0]
    tests = tuple(replace(test, timeline="Timeline (0 to 1.00 s):" + ATTACK) for test in challenge.tests)
    text = terminal.check_view(replace(challenge, tests=tests), timelines=True)
    assert raw_controls(text, allowed="\n") == [] and "Timeline (0 to 1.00 s):\\x1b[1A" in text


def test_classroom_runs_no_command_but_the_reporters_own() -> None:
    found = classroom_model.outputs_file(classroom.render(HOSTILE))
    seen = classroom_model.run({f"{r.upper()}_RESULTS": v for r, v in found.items()}, ",".join(found))
    assert seen.commands() == classroom_model.own_commands(seen)
    assert seen.points == 6 and (seen.tests_passed, seen.tests_total) == (6, 10)
    for value in found.values():
        payload = json.loads(base64.b64decode(value))
        for entry in payload["tests"]:
            for key in ("name", "message", "test_code", "filename"):
                assert raw_controls(str(entry.get(key, ""))) == [], (key, entry[key])
    summary = classroom.summary(HOSTILE)
    assert not any(classroom_model.is_command(line) for line in summary.splitlines())


def test_junit_is_schema_valid_xml_with_nothing_raw() -> None:
    text = junit.render(HOSTILE)
    root = ET.fromstring(text)  # parses: no character XML 1.0 forbids
    assert raw_controls(text) == []
    assert len(root.findall(".//testcase")) == 3
    assert root.find(".//failure").get("type").startswith("wrong-result\\x1b")


def test_gradescope_results_stay_valid_json_that_utf8_can_carry() -> None:
    text = gradescope.render(HOSTILE)
    data = json.loads(text)
    text.encode("utf-8")
    assert data["score"] == 6 and len(data["tests"]) == 3
    for test in data["tests"]:
        assert raw_controls(test["name"]) == [] and raw_controls(test["output"]) == []
        assert all(raw_controls(tag) == [] for tag in test.get("tags", []))
    assert raw_controls(data["output"]) == []


def test_the_json_report_keeps_the_strings_and_stays_writable(tmp_path: Path) -> None:
    """The contract keeps values exactly (the JSON stays right); a lone surrogate forces \\u escapes."""
    text = json_report.render(HOSTILE)
    (tmp_path / "r.json").write_text(text, encoding="utf-8")
    back = from_dict(json.loads((tmp_path / "r.json").read_text(encoding="utf-8")))
    assert back.challenges[0].tests[0].name == HOSTILE.challenges[0].tests[0].name
    ordinary = json_report.render(report(PARTIAL))
    assert "█" in ordinary and "\\u2588" not in ordinary, "without a surrogate, text stays readable"


@pytest.mark.parametrize("name", ["=HYPERLINK(\"http://x\")", "+1", "-1", "@SUM(A1)", "\tx", "\rx",
                                  " =1", "ann\n=1", "x" + ATTACK])
def test_gradebook_cells_never_start_a_formula_nor_a_new_row(tmp_path: Path, name: str) -> None:
    gradebook.write_books(tmp_path, {name: HOSTILE, "bob": HOSTILE})
    with (tmp_path / "gradebook.csv").open(newline="", encoding="utf-8") as book:
        rows = list(csv.reader(book))
    assert len(rows) == 3, "one header and one row per student"
    cells = [cell for row in rows for cell in row]
    assert not [c for c in cells if c.lstrip(" ").startswith(("=", "+", "-", "@", "\t", "\r"))]
    assert all(raw_controls(c) == [] for c in cells)


def test_every_format_is_covered_here() -> None:
    assert set(FORMATS) == {"table", "json", "junit", "classroom", "gradescope"}


@pytest.mark.parametrize(("value", "expected"), [
    ("sequential", "sequential"), (None, None), ("", None), ("Sequential", UNKNOWN_CODE),
    ("sequential\n", UNKNOWN_CODE), ("wrong-result" + ATTACK, UNKNOWN_CODE), (7, UNKNOWN_CODE),
    (["sequential"], UNKNOWN_CODE), ("made-up", UNKNOWN_CODE),
])
def test_diagnosis_codes_from_a_run_are_known_or_neutral(value: object, expected: str | None) -> None:
    assert known_code(value) == expected
    assert all(re.fullmatch(r"[a-z]+(-[a-z]+)*", code) for code in [*DIAGNOSES, UNKNOWN_CODE])


def test_scoring_replaces_a_forged_code_before_any_report_sees_it() -> None:
    challenge = next(c for c in CHALLENGES if c.id == "02_three_fetches")
    tests = [{"nodeid": f"x::t{i}", "name": "t", "status": "failed", "points": p,
              "diagnosis": "sequential\r\x1b[2K" + ATTACK, "message": "m"} for i, p in enumerate((4, 3, 3))]
    result = score(challenge, RunRecord(payload={"complete": True, "exitstatus": 1, "tests": tests},
                                        returncode=1, duration=2.0), min_wait=0.0)
    assert [t.diagnosis for t in result.tests] == [UNKNOWN_CODE] * 3
    assert result.diagnoses == (UNKNOWN_CODE,)


def test_plain_text_rules() -> None:
    assert one_line("a\nb\r\x1b[2K\u202e\ud800\tc") == "a\\nb\\r\\x1b[2K\\u202e\\ud800\\tc"
    assert lines("a\r\nb\rc\n\td") == "a\nb\\rc\n\td"
    assert one_line("█ é 漢 → ✓") == "█ é 漢 → ✓", "glyphs are left alone"
    assert formula_safe("=1+1") == "'=1+1" and formula_safe("ann") == "ann"
    assert formula_safe(" -1") == "' -1" and formula_safe("a=b") == "a=b"


def test_a_hostile_label_cannot_forge_the_submission_line() -> None:
    text = terminal.table(HOSTILE)
    first = text.splitlines()[0]
    assert first.startswith("Submission: =alice\\x1b[1A") and io.StringIO(text).readline() == first + "\n"


def test_end_to_end_a_solution_that_forges_a_row_gets_none(tmp_path: Path) -> None:
    """tests/hostile/forge_report_row.py, graded by the CLI: the table the instructor reads."""
    (tmp_path / "02_three_fetches.py").write_bytes(
        (Path(__file__).parent / "hostile" / "forge_report_row.py").read_bytes())
    result = CliRunner().invoke(main, ["--kit", str(KIT), "grade", "--solutions", str(tmp_path),
                                       "-c", "02"])
    assert result.exit_code == 1, result.output
    assert raw_controls(result.stdout) == [] and not FORGED.search(result.stdout), result.stdout
    (row,) = [line for line in result.stdout.splitlines() if line.startswith("02_three_fetches")]
    # The Mistake is raised in the executor, where nothing reaches a report: the witness finds no
    # fetch_all (the module only pretends to have one) and says so.
    assert row.split()[-2:] == ["0/10", "missing-name"]
    assert "Total: 0/10 points; 0 of 1 challenges passed." in result.stdout
