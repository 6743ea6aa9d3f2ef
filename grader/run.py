"""Run one challenge's pristine tests against one solution file, in an isolated child process.

The tests run in a scratch folder holding only a copy of the kit's test file (taken once per grader
process, so a solution that rewrote the kit cannot change what later runs use) and the solution, in
the sandbox described in grader/sandbox/, below a keeper process (grader/sandbox/keeper.py). The parent
keeps the evidence a solution cannot touch: the wall clock, a watchdog that stops the keeper (and
then kills its whole session), the signature on the results file, a final sweep for any process the
run left, and a check that the challenge's own folder in the kit did not change. Results come back
through the plugin's JSON file, never terminal text.

Imports grader (its folder), catalog, model, sandbox, scoring, settings, the testkit's clock and
grader.witness.process.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import grader
from grader import sandbox, settings
from grader.catalog import Challenge
from grader.model import ChallengeResult, Status
from grader.sandbox import CUT_NOTE, WEAK
from grader.scoring import RunRecord, score
from grader.testkit import clock
from grader.witness import process as witnesses

__all__ = ["CUT_NOTE", "pristine_tests", "run_challenge"]
SOLUTION_SIZE_LIMIT = 1024**2  # bytes; a solution is a few kilobytes
_pristine: dict[Path, bytes] = {}
_pristine_lock = threading.Lock()


def run_challenge(challenge: Challenge, solution: Path, *, timeout: float | None = None,
                  hide: Sequence[Path] = (), drop_privileges: bool | None = None,
                  root: Path | None = None) -> ChallengeResult:
    """Grade one solution file; never raises for anything the solution does.

    timeout overrides the wall-clock budget (seconds); hide adds paths the solution must not read
    (applied where the sandbox can hide paths); drop_privileges=False runs the tests as the grader's
    own user, without namespaces; root is the folder the submission was given as (default: the
    solution's own folder): no link below it is followed.
    """
    root = root if root is not None and solution.is_relative_to(root) else solution.parent
    try:
        source = sandbox.read_submission(root, solution.relative_to(root), SOLUTION_SIZE_LIMIT)
    except sandbox.Refused as refused:
        return ChallengeResult(id=challenge.id, title=challenge.title, score=0.0,
                               max_score=float(challenge.points), status=Status.ERROR,
                               diagnoses=("missing-file",), reason=str(refused))
    scale = clock.time_scale()
    level = sandbox.level_for(drop_privileges)
    uid, gid = sandbox.fresh_identity() if level != WEAK and os.geteuid() == 0 else (None, None)
    scratch = sandbox.make_scratch(gid)
    try:
        run = _run_in_child(challenge, source, scratch, scale, timeout,
                            [*_kit_secrets(challenge), *hide], level, (uid, gid))
    finally:
        sandbox.remove_tree(scratch)
    return score(challenge, run, min_wait=challenge.timing.min_wait * scale)


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


def _run_in_child(challenge: Challenge, source: bytes, scratch: Path, scale: float,
                  timeout: float | None, hide: list[Path], level: str,
                  identity: tuple[int | None, int | None]) -> RunRecord:
    """The witness (outside the sandbox) runs the pristine tests; the executor (inside) runs the
    solution and nothing else; only the witness's signed results count."""
    uid, gid = identity
    work = scratch / challenge.id
    work.mkdir()
    (work / "solution.py").write_bytes(source)
    (work / "solution.py").chmod(0o444)
    work.chmod(0o555)  # for a sandbox uid, the solution cannot be changed or deleted
    link = scratch / "link"
    link.mkdir(mode=0o700)
    if uid is not None:
        os.chown(link, uid, gid if gid is not None else -1)  # the run's uid dials the socket in it
    home = sandbox.prepare_home(scratch, uid, gid)
    private = sandbox.make_scratch()  # 0700, the grader's own; a later batch removes it if stale
    try:
        return _witnessed(challenge, work, link, home, private, scale, timeout, hide, level,
                          (uid, gid))
    finally:
        sandbox.remove_tree(private)


def _witnessed(challenge: Challenge, work: Path, link: Path, home: Path, private: Path, scale: float,
               timeout: float | None, hide: list[Path], level: str,
               identity: tuple[int | None, int | None]) -> RunRecord:
    uid, gid = identity
    (private / challenge.id).mkdir()  # node ids read "<id>/<test file>::<test>", as in the kit
    test_file = private / challenge.id / challenge.test_file.name
    test_file.write_bytes(pristine_tests(challenge))
    ini = "[pytest]\n" + "".join(f"{k} = {v}\n" for k, v in settings.PYTEST_INI.items())
    (private / "pytest.ini").write_text(ini, encoding="utf-8")
    results = private / "results.json"
    budget = timeout or challenge.timing.timeout * max(scale, 0.25) + settings.STARTUP_ALLOWANCE
    key = sandbox.new_key()
    socket_path = link / "executor.sock"
    listener = witnesses.listen(socket_path)
    # In its own network namespace the run's init offers the witness sockets made there (a server's
    # clients, a backend's listener); without one the witness shares the run's loopback.
    relay = str(link / "relay.sock") if level == sandbox.NAMESPACES else ""
    if uid is not None:
        os.chown(socket_path, uid, gid if gid is not None else -1)
    witness = witnesses.start(private, [
        str(test_file), "--solution", str(work / "solution.py"), "--grader-results", str(results),
        "-q", "-p", "no:cacheprovider", "--rootdir", str(private), "-c", str(private / "pytest.ini"),
        *[f"-p{p}" for p in settings.CHILD_PLUGINS]], listener, key, relay)
    sandbox.trust(witness.process.pid)
    plan = sandbox.Plan(work=str(work), scratch=str(work.parent), tag=secrets.token_hex(12),
                        key=sandbox.new_key(), cpu_seconds=int(budget) + 5, isolation=level,
                        entry="grader.witness.executor", args=[str(socket_path)],
                        readable=[str(work)], writable=[str(home), str(link)], uid=uid, gid=gid,
                        hide=[str(p) for p in [*hide, private]], relay=relay)
    watch = _kit_writable(challenge, level)
    before = _fingerprint(challenge.path) if watch else {}
    try:
        record = sandbox.launch(plan, budget, home)
        code, witness_timed_out, printed = witnesses.finish(witness, budget + 5.0,
                                                            cancelled=sandbox.CANCEL.is_set())
    finally:
        sandbox.distrust(witness.process.pid)
    record.pop("status")
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


def _kit_writable(challenge: Challenge, level: str) -> bool:
    """Could the solution write the challenge's folder in the kit? Then the run is checked for
    changes there (never written back: later runs of this process use the pristine copy, and the
    instructor decides what to restore). In its own namespaces a run cannot even see the kit; a
    fresh uid could write it only if the folder is world-writable, so a strong sandbox usually skips
    the check (and someone editing the kit meanwhile is not blamed)."""
    if level == WEAK:
        return True
    if level == sandbox.NAMESPACES:
        return False
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
