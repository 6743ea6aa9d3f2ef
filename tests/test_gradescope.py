"""`grader gradescope OUT.zip`: the autograder's contents, and its run_autograder run for real on a
temporary folder standing in for /autograder (AUTOGRADER_ROOT), as Gradescope would run it."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from grader.cli import main
from grader.gradescope.submission import solution_finder
from tests.kit_cases import CHALLENGES, KIT, stub_of

ONE = "02_three_fetches"
REFERENCE = KIT / "solutions" / f"{ONE}.py"


@pytest.fixture(scope="module")
def autograder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("zip") / "autograder.zip"
    result = CliRunner().invoke(main, ["--kit", str(KIT), "gradescope", str(out), "-c", ONE])
    assert result.exit_code == 0, result.output
    return out


def unpack(archive: Path, root: Path) -> Path:
    """What Gradescope does: the zip into /autograder/source, run_autograder beside it."""
    source = root / "source"
    with zipfile.ZipFile(archive) as zipped:
        zipped.extractall(source)
        for info in zipped.infolist():  # extractall drops the permission bits
            (source / info.filename).chmod((info.external_attr >> 16) & 0o777)
    shutil.copy2(source / "run_autograder", root / "run_autograder")
    (root / "submission").mkdir()
    return root


def run_autograder(root: Path, python: str = sys.executable) -> dict:
    env = {**os.environ, "AUTOGRADER_ROOT": str(root), "GRADER_PYTHON": python}
    done = subprocess.run([root / "run_autograder"], cwd=root, env=env, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return json.loads((root / "results" / "results.json").read_text(encoding="utf-8"))


def test_the_zip_has_the_scripts_at_its_root_and_no_solutions(autograder: Path) -> None:
    with zipfile.ZipFile(autograder) as zipped:
        names = set(zipped.namelist())
        modes = {i.filename: (i.external_attr >> 16) for i in zipped.infolist()}
    assert {"setup.sh", "run_autograder", "pyproject.toml", "README.md", "grader/__init__.py",
            "grader/gradescope/autograde.py", f"challenges/{ONE}/test_three_fetches.py",
            f"challenges/{ONE}/challenge.toml"} <= names
    assert not [n for n in names if n.startswith(("solutions/", "tests/", ".ci/", "/"))]
    assert not [n for n in names if "__pycache__" in n]
    assert all(stat.S_ISREG(m) for m in modes.values())
    assert modes["setup.sh"] & 0o111 and modes["run_autograder"] & 0o111
    assert not modes["pyproject.toml"] & 0o111
    reference = REFERENCE.read_bytes()
    with zipfile.ZipFile(autograder) as zipped:
        assert all(zipped.read(n) != reference for n in names)


def test_the_zip_is_the_same_every_time(autograder: Path, tmp_path: Path) -> None:
    again = tmp_path / "again.zip"
    CliRunner().invoke(main, ["--kit", str(KIT), "gradescope", str(again), "-c", ONE])
    assert again.read_bytes() == autograder.read_bytes()


def test_setup_installs_the_grader_from_the_source_folder(autograder: Path) -> None:
    with zipfile.ZipFile(autograder) as zipped:
        setup = zipped.read("setup.sh").decode()
    assert setup.startswith("#!/usr/bin/env bash") and "set -euo pipefail" in setup
    assert "pip install --quiet --no-cache-dir /autograder/source" in setup
    assert "python3.11" in setup, "Ubuntu 22.04, Gradescope's default image, has Python 3.10"
    subprocess.run(["bash", "-n", "-c", setup], check=True)


def test_a_repository_upload_is_graded_with_the_kits_points(autograder: Path, tmp_path: Path) -> None:
    root = unpack(autograder, tmp_path)
    target = root / "submission" / "challenges" / ONE
    target.mkdir(parents=True)
    shutil.copyfile(REFERENCE, target / "solution.py")
    results = run_autograder(root)
    assert results["score"] == 10
    assert [t["status"] for t in results["tests"]] == ["passed"] * 3
    assert sum(t["max_score"] for t in results["tests"]) == 10
    assert results["tests"][0]["number"] == "2.1"


def test_flat_files_and_partial_credit(autograder: Path, tmp_path: Path) -> None:
    root = unpack(autograder, tmp_path)
    shutil.copyfile(stub_of(ONE), root / "submission" / f"{ONE}.py")
    results = run_autograder(root)
    assert 0 < results["score"] < 10
    failed = [t for t in results["tests"] if t["status"] == "failed"]
    assert failed and all(t["output"] for t in failed)


def test_nothing_submitted_is_a_zero_that_says_which_names_count(autograder: Path,
                                                                 tmp_path: Path) -> None:
    root = unpack(autograder, tmp_path)
    results = run_autograder(root)
    assert results["score"] == 0
    assert [t["name"] for t in results["tests"]] == [
        f"{ONE}: fetch_all returns every body, in the order of urls",
        f"{ONE}: the three fetches are in flight at the same time",
        f"{ONE}: all three finish in about one second, not three"], "the suite's own tests, named"
    for test in results["tests"]:
        assert "the submission was empty" in test["output"]
        assert f"challenges/{ONE}/solution.py" in test["output"] and f"{ONE}.py" in test["output"]


@pytest.fixture(scope="module")
def two_challenges(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("zip2") / "autograder.zip"
    result = CliRunner().invoke(main, ["--kit", str(KIT), "gradescope", str(out), "-c", "1", "-c", ONE])
    assert result.exit_code == 0, result.output
    return out


def test_a_lone_solution_py_names_the_files_seen_and_the_layout_expected(two_challenges: Path,
                                                                         tmp_path: Path) -> None:
    """Issue 12 item 11: not "Not submitted" for every challenge without a word about the file."""
    root = unpack(two_challenges, tmp_path)
    shutil.copyfile(REFERENCE, root / "submission" / "solution.py")
    (root / "submission" / "notes.txt").write_text("hi\n")
    results = run_autograder(root)
    assert results["score"] == 0
    first = results["output"].splitlines()
    assert first[0] == "No file in this submission could be matched to a challenge, so nothing was graded."
    assert first[1] == "Files received: notes.txt, solution.py."
    assert first[2].startswith("Expected: challenges/01_first_coroutine/solution.py (your repository")
    assert first[3].startswith("Next step: rename or move your files")
    for test in results["tests"]:
        assert "the files received were notes.txt, solution.py" in test["output"]
        assert "Next step: upload challenges/" in test["output"]


def test_one_matched_file_and_one_unmatched_are_both_named(two_challenges: Path, tmp_path: Path) -> None:
    root = unpack(two_challenges, tmp_path)
    shutil.copyfile(REFERENCE, root / "submission" / "three_fetches.py")  # named by slug
    (root / "submission" / "coroutine.py").write_text("async def brew(): ...\n")
    results = run_autograder(root)
    assert results["score"] == 10, "the file named after a challenge is graded"
    assert results["output"].startswith("Note: 1 challenges found no file. Files received: "
                                        "coroutine.py, three_fetches.py.")


def test_a_one_challenge_autograder_grades_the_only_python_file(autograder: Path,
                                                                tmp_path: Path) -> None:
    root = unpack(autograder, tmp_path)
    shutil.copyfile(REFERENCE, root / "submission" / "my_answer.py")
    (root / "submission" / "README.md").write_text("mine\n")
    results = run_autograder(root)
    assert results["score"] == 10 and not results["output"].startswith(("Note", "No file"))


def test_results_are_written_even_when_the_grader_cannot_start(autograder: Path,
                                                               tmp_path: Path) -> None:
    root = unpack(autograder, tmp_path)
    results = run_autograder(root, python=str(tmp_path / "no-such-python"))
    assert results["score"] == 0 and results["tests"] == []
    assert "could not grade" in results["output"]


def test_results_are_written_even_when_the_grader_crashes(autograder: Path, tmp_path: Path) -> None:
    root = unpack(autograder, tmp_path)
    (root / "source" / "challenges" / ONE / "challenge.toml").write_text("points = [", encoding="utf-8")
    results = run_autograder(root)
    assert results["score"] == 0 and "MetadataError" in results["output"]


def test_every_accepted_layout_is_found(tmp_path: Path) -> None:
    one = [c for c in CHALLENGES if c.id == ONE]
    layouts = {
        f"challenges/{ONE}/solution.py": "kit layout",
        f"my-repo/challenges/{ONE}/solution.py": "a zipped repository folder",
        f"{ONE}/solution.py": "a folder per challenge",
        f"{ONE}.py": "flat, named like the reference solutions",
        "three_fetches.py": "flat, named by the challenge's slug",
        "solution.py": "a lone solution.py for a one-challenge autograder",
        "folder/answer.py": "the only Python file, anywhere, for a one-challenge autograder",
    }
    for number, relative in enumerate(layouts):
        submission = tmp_path / str(number)
        (submission / relative).parent.mkdir(parents=True)
        (submission / relative).write_text("# mine\n")
        assert solution_finder(submission, one)(one[0]) == submission / relative, layouts[relative]


def test_a_lone_file_is_not_guessed_among_several_challenges_nor_followed_as_a_link(
        tmp_path: Path) -> None:
    two = [c for c in CHALLENGES if c.id in ("01_first_coroutine", ONE)]
    (tmp_path / "solution.py").write_text("async def fetch_all(fetch, urls): ...\n")
    finder = solution_finder(tmp_path, two)
    assert not any(finder(c).is_file() for c in two), "ambiguous: named, never guessed by content"
    linked = tmp_path / "linked"
    linked.mkdir()
    (linked / f"{ONE}.py").symlink_to(REFERENCE)
    chosen = solution_finder(linked, two)(two[1])
    assert chosen != linked / f"{ONE}.py" and not chosen.exists(), "a link is refused, not followed"
