"""The CLI as a learner and an instructor use it, through click's test runner on a copy of the kit."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from grader.cli import main
from tests.kit_cases import CHALLENGES, pristine_copy

ONE = "02_three_fetches"


@pytest.fixture
def kit_copy(tmp_path: Path) -> Path:
    """A learner's clone: the kit's challenges (with the published stubs) and solutions, with
    progress kept in tmp_path."""
    pristine_copy(tmp_path)
    return tmp_path


def run(kit: Path, *args: str, columns: int = 200) -> tuple[int, str]:
    """The CLI's exit code and output (stdout and stderr), at a width that wraps no message."""
    result = CliRunner().invoke(main, ["--kit", str(kit), *args], env={"COLUMNS": str(columns)})
    return result.exit_code, result.output


def test_list_shows_every_challenge(kit_copy: Path) -> None:
    code, out = run(kit_copy, "list")
    assert code == 0
    for challenge in CHALLENGES:
        assert challenge.id in out and challenge.title in out
    assert "not checked yet" in out


def test_hints_come_one_at_a_time(kit_copy: Path) -> None:
    hints = next(c for c in CHALLENGES if c.id == ONE).hints
    _, first = run(kit_copy, "hint", "2")
    assert hints[0] in first and hints[1] not in first
    _, second = run(kit_copy, "hint", "three_fetches")
    assert hints[1] in second
    _, every = run(kit_copy, "hint", ONE, "--all")
    assert all(h in every for h in hints)
    _, again = run(kit_copy, "hint", "2", "--reset")
    assert hints[0] in again and hints[1] not in again


def test_an_unknown_id_is_a_usage_error(kit_copy: Path) -> None:
    code, out = run(kit_copy, "hint", "99")
    assert code == 2 and "grader list" in out


def test_no_kit_is_a_clear_usage_error(tmp_path: Path) -> None:
    code, out = run(tmp_path, "list")
    assert code == 2 and "no challenges folder" in out


def test_check_on_the_stub_names_the_mistake_with_figures(kit_copy: Path) -> None:
    code, out = run(kit_copy, "check", "2")
    assert code == 1
    assert "[sequential]" in out and "Timeline" in out and "Next step:" in out
    assert "one after another takes about" in out  # measured, ideal and sequential seconds
    _, listing = run(kit_copy, "list")
    assert "failed 4/10" in listing


def test_solution_is_shown_only_after_passing(kit_copy: Path) -> None:
    code, out = run(kit_copy, "solution", "2")
    assert code == 1 and "Pass 02_three_fetches first" in out
    shutil.copyfile(kit_copy / "solutions" / f"{ONE}.py", kit_copy / "challenges" / ONE / "solution.py")
    assert run(kit_copy, "check", "2")[0] == 0
    code, out = run(kit_copy, "solution", "2")
    assert code == 0 and "asyncio.gather" in out


def test_grade_json_follows_the_contract(kit_copy: Path, tmp_path: Path) -> None:
    report_file = tmp_path / "report.json"
    code, _ = run(kit_copy, "grade", "--solutions", str(kit_copy / "solutions"), "--format", "json",
                  "--output", str(report_file), "-c", ONE)
    data = json.loads(report_file.read_text())
    assert code == 0
    assert data["version"] == 1 and data["score"] == data["max_score"] == 10
    (challenge,) = data["challenges"]
    assert set(challenge) >= {"id", "title", "score", "max_score", "status", "diagnoses", "tests"}
    assert challenge["status"] == "passed"
    for test in challenge["tests"]:
        assert set(test) >= {"name", "status", "score", "max_score", "message", "diagnosis",
                             "duration"}


def test_grade_a_submission_folder_marks_missing_files_not_submitted(kit_copy: Path,
                                                                     tmp_path: Path) -> None:
    submission = tmp_path / "alice"
    (submission / "challenges").mkdir(parents=True)
    code, out = run(kit_copy, "grade", str(submission), "--challenge", "2")
    assert code == 1 and "Not submitted" not in out  # the table shows status and diagnosis
    assert "missing-file" in out and "0/10" in out


def test_grade_rejects_both_a_folder_and_solutions(kit_copy: Path) -> None:
    code, out = run(kit_copy, "grade", str(kit_copy), "--solutions", str(kit_copy / "solutions"))
    assert code == 2 and "not both" in out
