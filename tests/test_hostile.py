"""Hostile submissions survived: each case in tests/hostile/ goes through the real grader.

For every case: the verdict and diagnosis its docstring names, with a reason a person can read; no
process left running; the kit files the corpus aims at unchanged; nothing left in the temporary
folders (when the sandbox runs the tests as a fresh uid); the grader's own time and memory bounded.
"""

from __future__ import annotations

import hashlib
import os
import resource
import shutil
import time
from pathlib import Path

import pytest

from grader import catalog, sandbox, sandbox_files, settings
from grader import sandbox_linux as linux
from grader.model import ChallengeResult, Status
from grader.run import SOLUTION_SIZE_LIMIT, run_challenge
from grader.sandbox_launch import STOP_GRACE
from grader.testkit import clock
from tests.hostile_cases import HOSTILE, KIT, HostileCase, hostile_cases

CASES = hostile_cases()
MARKERS = (b"hostile-", b"grader-hostile")  # what the corpus names the processes it starts
# When the grader is root, these also run as its own user, to cover the fallback path.
SAME_USER_TOO = ("daemon", "kill_parent", "fork_bomb", "forge_results", "read_reference")


def _explain(result: ChallengeResult) -> str:
    lines = [f"{result.id}: {result.status} {result.score}/{result.max_score} {result.diagnoses} "
             f"{result.reason}"]
    lines += [f"  {t.status} {t.name} [{t.diagnosis}] {t.message[:300]}" for t in result.tests]
    return "\n".join(lines) + "\n" + result.output[-2000:]


def _kit_digest(case: HostileCase) -> dict[str, str]:
    """The kit files a hostile case aims at (not the whole kit: others may edit it meanwhile)."""
    files = [*case.challenge.path.rglob("*"), *(KIT / "solutions").glob(f"{case.challenge.id}.py"),
             *HOSTILE.glob("*.py"), *(KIT / "grader").glob("sandbox*.py"),
             *(KIT / "grader" / name for name in ("run.py", "child.py", "scoring.py"))]
    return {str(p): hashlib.sha256(p.read_bytes()).hexdigest() for p in files
            if p.is_file() and "__pycache__" not in p.parts}


def _marked_processes() -> list[int]:
    found = []
    for proc in linux.processes():
        if proc.zombie:
            continue
        try:
            name = Path(f"/proc/{proc.pid}/comm").read_bytes()
            cmdline = Path(f"/proc/{proc.pid}/cmdline").read_bytes()
        except OSError:
            continue
        if name.startswith(MARKERS[0]) or MARKERS[1] in cmdline:
            found.append(proc.pid)
    return found


def _left_in_temp() -> list[Path]:
    return sorted(p for root in sandbox_files.TEMP_ROOTS for p in Path(root).glob("grader-hostile-*"))


def _grade_and_check(case: HostileCase, fresh_uid: bool) -> None:
    statuses, diagnoses = case.expected(fresh_uid)
    before = _kit_digest(case)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.monotonic()
    result = run_challenge(case.challenge, case.path, timeout=case.timeout,
                           drop_privileges=None if fresh_uid else False)
    elapsed = time.monotonic() - started

    assert str(result.status) in statuses, _explain(result)
    assert not diagnoses or set(diagnoses) & set(result.diagnoses), _explain(result)
    if result.status is Status.PASSED:
        assert result.score == result.max_score, _explain(result)
    else:
        assert result.score < result.max_score, _explain(result)
        assert result.reason or any(t.message for t in result.tests), "a verdict needs a reason"
    if result.status is Status.TIMEOUT or "tampering" in result.diagnoses:
        assert result.score == 0, _explain(result)

    assert _marked_processes() == [], "processes of the case are still running"
    assert linux.descendants(os.getpid(), [p for p in linux.processes() if not p.zombie]) == []
    assert _kit_digest(case) == before, "the kit changed"
    left = _left_in_temp()
    for path in left:  # the grader's own user can write there; clean up for the next case
        shutil.rmtree(path) if path.is_dir() else path.unlink()
    if fresh_uid:
        assert left == [], "a fresh uid's files must be removed from the temporary folders"

    budget = case.timeout or (case.challenge.timing.timeout * max(clock.time_scale(), 0.25)
                              + settings.STARTUP_ALLOWANCE)
    assert elapsed < budget + STOP_GRACE + 10, f"grading took {elapsed:.1f} s"
    grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before) / 1024
    assert grown < 64, f"the grader's own memory grew by {grown:.0f} MB"


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_hostile_case(case: HostileCase) -> None:
    fresh_uid = sandbox.drop_privileges()  # probed once per process
    if case.requires_fresh_uid and not fresh_uid:
        pytest.skip("needs a fresh uid per run (the grader runs as root): as the grader's own user "
                    "this case could harm the grader or the kit; see docs/grading-a-class.md")
    _grade_and_check(case, fresh_uid)


@pytest.mark.parametrize("case", [c for c in CASES if c.id in SAME_USER_TOO], ids=lambda c: c.id)
def test_hostile_case_as_the_graders_own_user(case: HostileCase) -> None:
    if not sandbox.drop_privileges():
        pytest.skip("the grader already runs as its own user")
    _grade_and_check(case, fresh_uid=False)


def test_every_case_names_a_verdict_and_a_real_challenge() -> None:
    assert len(CASES) >= 30
    for case in CASES:
        assert set(case.statuses) <= {str(s) for s in Status}, case.id
        assert case.challenge.test_file.is_file(), case.id


def test_a_huge_solution_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    challenge = catalog.load(KIT / "challenges" / "02_three_fetches")
    huge = tmp_path / "solution.py"
    with huge.open("wb") as out:
        out.truncate(SOLUTION_SIZE_LIMIT * 50)
    result = run_challenge(challenge, huge)
    assert result.status is Status.ERROR and result.score == 0
    assert "MB" in result.reason and "limit" in result.reason


def test_a_changed_kit_is_caught_as_the_graders_own_user(tmp_path: Path) -> None:
    """As the grader's own user a solution can write the kit: the run is zeroed, later runs of the
    same grader process still use the pristine tests, and the kit is left for the instructor."""
    kit = tmp_path / "kit"
    shutil.copytree(KIT / "challenges" / "02_three_fetches", kit / "challenges" / "02_three_fetches")
    challenge = catalog.load(kit / "challenges" / "02_three_fetches")
    cheat = tmp_path / "cheat.py"
    cheat.write_text(f"open({str(challenge.test_file)!r}, 'w').write('def test_ok():\\n    pass\\n')\n"
                     "async def fetch_all(fetch, urls):\n    return [await fetch(u) for u in urls]\n")
    first = run_challenge(challenge, cheat, drop_privileges=False)
    assert first.status is Status.FAILED and first.diagnoses == ("tampering",), _explain(first)
    assert "test_three_fetches.py" in first.reason
    assert challenge.test_file.read_text() == "def test_ok():\n    pass\n"
    honest = run_challenge(challenge, KIT / "solutions" / "02_three_fetches.py", drop_privileges=False)
    assert honest.status is Status.PASSED and len(honest.tests) == 3, _explain(honest)
