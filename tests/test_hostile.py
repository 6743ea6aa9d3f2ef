"""Hostile submissions survived: each case in tests/hostile/ goes through the real grader.

For every case: the verdict and diagnosis its docstring names, with a reason a person can read; no
process left running; the kit files the corpus aims at unchanged; nothing left in any world-writable
folder, in System V IPC or in scratch folders (when runs are isolated); the grader's own time and
memory bounded. tests/test_isolation.py runs the cases that need isolation again as a plain user.
"""

from __future__ import annotations

import ctypes
import functools
import hashlib
import os
import resource
import shutil
import tempfile
import time
from pathlib import Path

import pytest

from grader import catalog, forkserver, sandbox, settings
from grader.model import ChallengeResult, Status
from grader.run import SOLUTION_SIZE_LIMIT, run_challenge
from grader.sandbox import STOP_GRACE, files, linux
from grader.testkit import clock
from tests.hostile_cases import HOSTILE, KIT, HostileCase, hostile_cases

CASES = hostile_cases()
MARKERS = (b"hostile-", b"grader-hostile")  # what the corpus names the processes it starts
# When runs are isolated, these also run as the grader's own user (WEAK), to cover that path.
SAME_USER_TOO = ("daemon", "kill_parent", "fork_bomb", "forge_results", "read_reference",
                 "kill_keeper_leave_daemon", "deep_folders")
IPC_KEY = 0x6B697421  # tests/hostile/sysv_shared_memory.py


def _explain(result: ChallengeResult) -> str:
    lines = [f"{result.id}: {result.status} {result.score}/{result.max_score} {result.diagnoses} "
             f"{result.reason}"]
    lines += [f"  {t.status} {t.name} [{t.diagnosis}] {t.message[:300]}" for t in result.tests]
    return "\n".join(lines) + "\n" + result.output[-2000:]


def _kit_digest(case: HostileCase) -> dict[str, str]:
    """The kit files a hostile case aims at (not the whole kit: others may edit it meanwhile)."""
    files = [*case.challenge.path.rglob("*"), *(KIT / "solutions").glob(f"{case.challenge.id}.py"),
             *HOSTILE.glob("*.py"), *(KIT / "grader" / "sandbox").glob("*.py"),
             *(KIT / "grader" / name for name in ("run.py", "scoring.py"))]
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


@functools.lru_cache(maxsize=1)
def _world_writable() -> tuple[Path, ...]:
    """Every world-writable folder within three levels of / (as tests/hostile/litter_everywhere.py
    looks for them), and the usual temporary folders."""
    found = {Path(r) for r in files.TEMP_ROOTS}
    for top, folders, _files in os.walk("/"):
        if top.count(os.sep) >= 3:
            folders[:] = []
        folders[:] = [f for f in folders if f not in ("proc", "sys")]
        try:
            if os.stat(top).st_mode & 0o002:
                found.add(Path(top))
        except OSError:
            continue
    return tuple(sorted(found))


def _left_in_temp() -> list[Path]:
    return sorted(p for root in _world_writable() for p in root.glob("grader-hostile-*"))


def _left_in_ipc() -> list[str]:
    """System V objects the corpus made (its key, in hex, as /proc/sysvipc shows it in decimal)."""
    left = []
    for kind in ("shm", "msg"):
        with open(f"/proc/sysvipc/{kind}") as table:
            left += [f"{kind} {line.split()[1]}" for line in table.readlines()[1:]
                     if line.split() and line.split()[0] == str(IPC_KEY)]
    return left


def _remove_ipc() -> None:
    libc = ctypes.CDLL(None, use_errno=True)
    for get, control, size in ((libc.shmget, libc.shmctl, 1), (libc.msgget, libc.msgctl, None)):
        ident = get(IPC_KEY, size, 0) if size else get(IPC_KEY, 0)
        if ident >= 0:
            control(ident, 0, None)  # IPC_RMID


def _our_scratch() -> set[Path]:
    """Scratch folders this process made (others may be grading on the same machine)."""
    found = set()
    for folder in Path(tempfile.gettempdir()).glob(f"{files.SCRATCH_PREFIX}*"):
        try:
            owner = (folder / files.OWNER_FILE).read_text().split()
        except OSError:
            continue
        if owner and owner[0] == str(os.getpid()):
            found.add(folder)
    return found


def _grade_and_check(case: HostileCase, isolated: bool) -> None:
    statuses, diagnoses = case.expected(isolated)
    before = _kit_digest(case)
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    scratch_before = _our_scratch()
    marked_before = set(_marked_processes())  # another kit's tests may run on this machine too
    started = time.monotonic()
    result = run_challenge(case.challenge, case.path, timeout=case.timeout,
                           drop_privileges=None if isolated else False)
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

    assert set(_marked_processes()) - marked_before == set(), "processes of the case are still running"
    left = linux.descendants(os.getpid(), [p for p in linux.processes() if not p.zombie])
    assert [p for p in left if p.pid != forkserver.server_pid()] == [], "the run left processes"
    assert _kit_digest(case) == before, "the kit changed"
    assert _our_scratch() - scratch_before == set(), "a scratch folder was left behind"
    left, ipc = _left_in_temp(), _left_in_ipc()
    for path in left:  # the grader's own user can write there; clean up for the next case
        shutil.rmtree(path) if path.is_dir() else path.unlink()
    _remove_ipc()
    if isolated:
        assert left == [], "an isolated run's files must not outlive it"
        assert ipc == [], "an isolated run's System V IPC objects must not outlive it"

    budget = case.timeout or (case.challenge.timing.timeout * max(clock.time_scale(), 0.25)
                              + settings.STARTUP_ALLOWANCE)
    assert elapsed < budget + STOP_GRACE + 10, f"grading took {elapsed:.1f} s"
    grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before) / 1024
    assert grown < 64, f"the grader's own memory grew by {grown:.0f} MB"


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_hostile_case(case: HostileCase) -> None:
    isolated = sandbox.isolation().level != sandbox.WEAK  # probed once per process
    if case.requires_isolation and not isolated:
        pytest.skip("needs isolated runs (namespaces or a fresh uid): as the grader's own user this "
                    "case could harm the grader or the kit; see docs/grading-a-class.md")
    _grade_and_check(case, isolated)


@pytest.mark.parametrize("case", [c for c in CASES if c.id in SAME_USER_TOO], ids=lambda c: c.id)
def test_hostile_case_as_the_graders_own_user(case: HostileCase) -> None:
    if sandbox.isolation().level == sandbox.WEAK:
        pytest.skip("the runs already are the grader's own user's")
    _grade_and_check(case, isolated=False)


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
