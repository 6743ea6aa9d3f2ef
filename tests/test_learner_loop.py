"""The learner's loop through the real CLI (click's runner): a deleted solution.py, reset, next,
the progress line, summaries, the challenge folder as the default, an unreadable progress file.
Runs that grade use the mini kit (tests/mini_kit.py): the real grader, about a second a run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from grader import kit as kit_module
from grader import progress
from grader.cli import main
from tests import mini_kit
from tests.kit_cases import CHALLENGES, KIT, pristine_copy

ONE = "02_three_fetches"


@pytest.fixture
def kit(tmp_path: Path) -> Path:
    pristine_copy(tmp_path)
    return tmp_path


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    return mini_kit.make(tmp_path / "mini")


def run(kit: Path | None, *args: str, stdin: str | None = None) -> tuple[int, str]:
    where = ["--kit", str(kit)] if kit else []
    result = CliRunner().invoke(main, [*where, *args], input=stdin, env={"COLUMNS": "200"})
    return result.exit_code, result.output


def mark_passed(kit: Path, *ids: str) -> None:
    mine = progress.Progress.load(kit)
    for cid in ids:
        mine.record_check(cid, "passed", 10, 10)
    mine.save()


# -- 1. a deleted solution.py ----------------------------------------------------------------

def test_a_deleted_solution_breaks_no_command(kit: Path) -> None:
    run(kit, "list")  # the set-up command has run once (it keeps a copy of the untouched stubs)
    (kit / "challenges" / ONE / "solution.py").unlink()
    code, out = run(kit, "list")
    assert code == 0 and "missing: `grader reset 2`" in out and "01_first_coroutine" in out
    code, out = run(kit, "check", "2")
    assert code == 1 and f"challenges/{ONE}/solution.py is missing" in out
    assert "`grader reset 2` puts the original stub back" in out
    code, out = run(kit, "hint", "2")
    assert code == 0 and "Hint 1/" in out
    code, out = run(kit, "next")
    assert code == 0 and "01_first_coroutine" in out
    code, out = run(kit, "reset", "2")
    assert code == 0 and "Restored the original" in out and "kept" not in out
    assert (kit / "challenges" / ONE / "solution.py").is_file()


def test_grading_a_kit_with_a_deleted_solution_marks_it_not_submitted(mini: Path,
                                                                      tmp_path: Path) -> None:
    mini_kit.solve(mini, 1).unlink()
    report = tmp_path / "report.json"
    code, _ = run(mini, "grade", "-c", "1", "--format", "json", "--output", str(report))
    (result,) = json.loads(report.read_text())["challenges"]
    assert code == 1 and result["diagnoses"] == ["missing-file"]
    assert result["reason"].startswith("Not submitted")


# -- reset -----------------------------------------------------------------------------------

def test_reset_asks_first_and_keeps_a_backup(kit: Path) -> None:
    stub = kit / "challenges" / ONE / "solution.py"
    published = stub.read_text()
    run(kit, "list")  # any command keeps a copy of the untouched stubs
    stub.write_text("# my work\n")
    code, out = run(kit, "reset", "2", stdin="n\n")
    assert code == 1 and "Nothing was changed" in out and stub.read_text() == "# my work\n"
    code, out = run(kit, "reset", "2", stdin="y\n")
    assert code == 0 and stub.read_text() == published
    (backup,) = (kit / ".grader" / "backups").iterdir()
    assert backup.read_text() == "# my work\n" and str(backup) in out
    assert "grader check 2" in out
    stub.write_text("# more work\n")
    code, out = run(kit, "reset", "2", "--yes")
    assert code == 0 and "[y/N]" not in out and stub.read_text() == published
    code, out = run(kit, "reset", "2")
    assert code == 0 and "already the original" in out


def test_reset_without_an_original_says_where_to_get_one(kit: Path) -> None:
    (kit / "challenges" / ONE / "solution.py").write_text("# edited before any grader command\n")
    code, out = run(kit, "reset", "2", "--yes")
    assert code == 2 and "could not be found" in out and "fresh download" in out


# -- next, the progress line, a pass, several checks -----------------------------------------

def test_next_names_the_first_challenge_not_passed(kit: Path) -> None:
    code, out = run(kit, "next")
    assert code == 0 and "01_first_coroutine" in out and "grader check 1" in out
    assert "README.md" in out and "not started" in out
    mark_passed(kit, "01_first_coroutine")
    assert "02_three_fetches" in run(kit, "next")[1]
    mark_passed(kit, *(c.id for c in CHALLENGES))
    assert "Every challenge passes" in run(kit, "next")[1]


def test_a_pass_says_what_next_and_where_the_learner_stands(mini: Path) -> None:
    mini_kit.solve(mini, 2)
    code, out = run(mini, "check", "2")
    assert code == 0 and "✓ 02_beta" in out
    assert "`grader solution 2` shows the reference" in out
    assert "Then: 01 alpha: read challenges/01_alpha/README.md" in out
    assert out.rstrip().endswith("1 of 3 passed; next: 01 alpha (`grader check 1`).")


def test_a_failure_ends_with_the_progress_line(mini: Path) -> None:
    code, out = run(mini, "check", "2")
    assert code == 1 and "✗ 02_beta" in out
    assert out.rstrip().endswith("0 of 3 passed; next: 01 alpha (`grader check 1`).")
    assert progress.Progress.load(mini).checks["02_beta"]["status"] == "failed"


def test_checking_all_stops_at_the_first_failure_with_a_summary(mini: Path) -> None:
    mini_kit.solve(mini, 1)
    code, out = run(mini, "check")
    assert code == 1 and "Checking 03_gamma" not in out
    assert "Checked 2 of 3 challenges: 1 passed, 1 did not (02_beta)." in out
    assert "Stopped at 02_beta" in out and "grader check --all" in out
    mini_kit.solve(mini, 3)
    code, out = run(mini, "check", "--all")
    assert code == 1 and "Checked 3 of 3 challenges: 2 passed, 1 did not (02_beta)." in out
    assert "Stopped at" not in out
    mini_kit.solve(mini, 2)
    code, out = run(mini, "check")
    assert code == 0 and "Checked 3 of 3 challenges: 3 passed." in out
    assert out.rstrip().endswith("3 of 3 passed: every challenge passes.")


def test_the_timeline_flag_reaches_the_view(mini: Path) -> None:
    """What the timeline shows is tested on hand-made payloads (test_check_view.py); here, that the
    flag asks for it: this challenge records no timeline, and with the flag the learner is told so."""
    mini_kit.solve(mini, 1)
    assert "No timeline was recorded" not in run(mini, "check", "1")[1]
    assert "No timeline was recorded" in run(mini, "check", "1", "--timeline")[1]


# -- 7. inside a challenge folder; outside any kit -------------------------------------------

def test_inside_a_challenge_folder_the_id_can_be_left_out(mini: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(kit_module.KIT_ENV, raising=False)
    monkeypatch.chdir(mini / "challenges" / "02_beta")
    code, out = run(None, "hint")
    assert code == 0 and "Hint 1/2: Think of a number." in out and "grader hint 2" in out
    code, out = run(None, "check")
    assert code == 1 and "Checking 02_beta" in out and "01_alpha" not in out.split("0 of 3")[0]
    code, out = run(None, "reset")
    assert code == 0 and "already the original" in out
    monkeypatch.chdir(mini)
    code, out = run(None, "hint")
    assert code == 2 and "Which challenge?" in out and "grader hint 2" in out


def test_outside_any_kit_the_installed_kit_serves(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(kit_module.KIT_ENV, raising=False)
    (tmp_path / "class").mkdir()
    monkeypatch.chdir(tmp_path)
    code, out = run(None, "batch", "class", "--out", "grades")
    assert code == 0 and "0 students" in out and (tmp_path / "grades" / "gradebook.csv").is_file()
    assert kit_module.find_kit(tmp_path) == KIT  # the kit this grader is installed from (pip -e)


# -- an unreadable progress file -------------------------------------------------------------

def test_an_unreadable_progress_file_is_named_and_never_a_crash(kit: Path) -> None:
    (kit / ".grader").mkdir()
    (kit / ".grader" / "progress.json").write_text("{ not json")
    code, out = run(kit, "list")
    assert code == 0 and "progress.json was unreadable" in out and "progress.unreadable-" in out
    assert "not checked yet" in out
    code, out = run(kit, "hint", "2")
    assert code == 0 and "unreadable" not in out
