"""Run one challenge's pristine tests against one solution file, in an isolated child process.

The tests run in a scratch folder holding only a copy of the kit's test file (taken once per grader
process, so a solution that rewrote the kit cannot change what later runs use) and the solution, in
the sandbox described in grader/sandbox.py, below a keeper process (grader/child.py). The parent
keeps the evidence a solution cannot touch: the wall clock, a watchdog that stops the keeper (and
then kills its whole session), the signature on the results file, a final sweep for any process the
run left, and a check that the challenge's own folder in the kit did not change. Results come back
through the plugin's JSON file, never terminal text.
"""

from __future__ import annotations

import contextlib
import json
import secrets
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import grader
from grader import sandbox, sandbox_files, settings
from grader.catalog import Challenge
from grader.model import ChallengeResult, Status
from grader.sandbox_launch import CUT_NOTE, launch
from grader.scoring import RunRecord, score
from grader.testkit import clock
from grader.witness import process as witnesses

__all__ = ["CUT_NOTE", "pristine_tests", "run_challenge"]
SOLUTION_SIZE_LIMIT = 1024**2  # bytes; a solution is a few kilobytes
_pristine: dict[Path, bytes] = {}
_pristine_lock = threading.Lock()


def run_challenge(challenge: Challenge, solution: Path, *, timeout: float | None = None,
                  hide: Sequence[Path] = (), drop_privileges: bool | None = None) -> ChallengeResult:
    """Grade one solution file; never raises for anything the solution does.

    timeout overrides the wall-clock budget (seconds); hide adds paths the solution must not read
    (applied where the sandbox can hide paths); drop_privileges=False keeps the grader's own user.
    """
    problem = _unusable(solution)
    if problem:
        return ChallengeResult(id=challenge.id, title=challenge.title, score=0.0,
                               max_score=float(challenge.points), status=Status.ERROR,
                               diagnoses=("missing-file",), reason=problem)
    scale = clock.time_scale()
    scratch = Path(sandbox_files.make_scratch())
    try:
        run = _run_in_child(challenge, solution, scratch, scale, timeout,
                            [*_kit_secrets(challenge), *hide], sandbox.drop_privileges(drop_privileges))
    finally:
        sandbox_files.remove_scratch(scratch)
    return score(challenge, run, min_wait=challenge.timing.min_wait * scale)


def _unusable(solution: Path) -> str:
    if not solution.is_file():
        return f"Not submitted: there is no {solution}."
    size = solution.stat().st_size
    if size > SOLUTION_SIZE_LIMIT:
        return (f"Not graded: {solution.name} is {size / 1024**2:.1f} MB; a solution is a few kilobytes "
                f"of Python (the limit is {SOLUTION_SIZE_LIMIT // 1024} KB).")
    return ""


def _kit_secrets(challenge: Challenge) -> list[Path]:
    """What a solution must not read: the kit's references, its own tests and history, both in the
    kit being graded and in the one the grader is installed from (an editable install)."""
    kits = {challenge.path.parent.parent, Path(grader.__file__).resolve().parent.parent}
    return [kit / name for kit in sorted(kits) for name in ("solutions", "tests", ".git")]


def pristine_tests(challenge: Challenge) -> bytes:
    """The challenge's test file as this grader process first read it."""
    with _pristine_lock:
        if challenge.test_file not in _pristine:
            _pristine[challenge.test_file] = challenge.test_file.read_bytes()
        return _pristine[challenge.test_file]


def _run_in_child(challenge: Challenge, solution: Path, scratch: Path, scale: float,
                  timeout: float | None, hide: list[Path], drop: bool) -> RunRecord:
    """The witness (outside the sandbox) runs the pristine tests; the executor (inside) runs the
    solution and nothing else; only the witness's signed results count."""
    uid, gid = sandbox.fresh_identity() if drop else (None, None)
    work = scratch / challenge.id
    work.mkdir()
    with solution.open("rb") as source:  # never more than the limit, should it grow meanwhile
        (work / "solution.py").write_bytes(source.read(SOLUTION_SIZE_LIMIT))
    (work / "solution.py").chmod(0o444)
    work.chmod(0o555)  # for a sandbox uid, the solution cannot be changed or deleted
    link = scratch / "link"
    link.mkdir(mode=0o711)
    home = sandbox_files.prepare_home(scratch, uid, gid)
    private = witnesses.private_folder()
    try:
        return _witnessed(challenge, work, link, home, private, scale, timeout, hide, uid, gid, drop)
    finally:
        sandbox_files.remove_scratch(private)


def _witnessed(challenge: Challenge, work: Path, link: Path, home: Path, private: Path, scale: float,
               timeout: float | None, hide: list[Path], uid: int | None, gid: int | None,
               drop: bool) -> RunRecord:
    test_file = private / challenge.test_file.name
    test_file.write_bytes(pristine_tests(challenge))
    ini = "[pytest]\n" + "".join(f"{k} = {v}\n" for k, v in settings.PYTEST_INI.items())
    (private / "pytest.ini").write_text(ini, encoding="utf-8")
    results = private / "results.json"
    budget = timeout or challenge.timing.timeout * max(scale, 0.25) + settings.STARTUP_ALLOWANCE
    key = sandbox.new_key()
    listener = witnesses.listen(link / "executor.sock")
    witness = witnesses.start(private, [
        str(test_file), "--solution", str(work / "solution.py"), "--grader-results", str(results),
        "-q", "-p", "no:cacheprovider", "--rootdir", str(private), "-c", str(private / "pytest.ini"),
        *[f"-p{p}" for p in settings.CHILD_PLUGINS]], listener, key)
    plan = sandbox.Plan(work=str(work), scratch=str(work.parent), tag=secrets.token_hex(12),
                        key=sandbox.new_key(), cpu_seconds=int(budget) + 5, uid=uid, gid=gid,
                        hide=[str(p) for p in [*hide, private]])
    watch = _kit_writable(challenge, drop)
    before = _fingerprint(challenge.path) if watch else {}
    record = launch(plan, ["--executor", str(link / "executor.sock")], budget, home)
    record.pop("status")
    code, witness_timed_out, printed = witnesses.finish(witness, budget + 5.0)
    changed = _changes(before, _fingerprint(challenge.path)) if watch else []
    payload = _read_results(results)
    learner = record.pop("output")
    output = printed + (f"\n[what your code printed]\n{learner}" if learner.strip() else "")
    if code not in (0, 1) and payload is None:
        output += f"\n[grader: the witness ended with status {code}]\n"
    record["timed_out"] = record["timed_out"] or witness_timed_out
    return RunRecord(**record, output=output, payload=payload, kit_changed=changed,
                     forged=payload is not None and not sandbox.signed_by(payload, key))


def _fingerprint(folder: Path) -> dict[str, tuple[int, int]]:
    found = {}
    for path in sorted(folder.rglob("*")):
        with contextlib.suppress(OSError):
            info = path.lstat()
            found[str(path)] = (info.st_size, info.st_mtime_ns)
    return found


def _kit_writable(challenge: Challenge, drop: bool) -> bool:
    """Could the solution write the challenge's folder in the kit? Then the run is checked for
    changes there (never written back: later runs of this process use the pristine copy, and the
    instructor decides what to restore). A sandbox uid could only if the folder is world-writable,
    so a root grader usually skips the check (and someone editing the kit meanwhile is not blamed)."""
    if not drop:
        return True
    return any(p.stat().st_mode & 0o002 for p in (challenge.path, challenge.test_file) if p.exists())


def _changes(before: dict[str, tuple[int, int]], after: dict[str, tuple[int, int]]) -> list[str]:
    return sorted(p for p in set(before) | set(after) if before.get(p) != after.get(p)
                  and "__pycache__" not in p)


def _read_results(path: Path) -> dict[str, Any] | None:
    try:
        if path.stat().st_size > 16 * 1024**2:
            return None
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and isinstance(data.get("tests"), list) else None
