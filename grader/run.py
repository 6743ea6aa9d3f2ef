"""Run one challenge's pristine tests against one solution file, in an isolated child process.

The child gets a scratch folder holding only a copy of the kit's test file and the solution, a
scrubbed environment, resource limits, its own session (so the watchdog can kill everything it
started), and capped output. Results come back through the plugin's JSON file, never terminal text.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from typing import IO, Any

from grader import settings
from grader.catalog import Challenge
from grader.model import ChallengeResult, Status
from grader.scoring import RunRecord, score
from grader.testkit import clock

CUT_NOTE = "\n[output cut: the rest of what the tests printed was dropped]\n"


def run_challenge(challenge: Challenge, solution: Path) -> ChallengeResult:
    """Grade one solution file; never raises for anything the solution does."""
    if not solution.is_file():
        return ChallengeResult(id=challenge.id, title=challenge.title, score=0.0,
                               max_score=float(challenge.points), status=Status.ERROR,
                               diagnoses=("missing-file",),
                               reason=f"Not submitted: there is no {solution}.")
    scale = clock.time_scale()
    with tempfile.TemporaryDirectory(prefix="grader-") as scratch:
        run = _run_in_child(challenge, solution, Path(scratch), scale)
    return score(challenge, run, min_wait=challenge.timing.min_wait * scale)


def _run_in_child(challenge: Challenge, solution: Path, scratch: Path, scale: float) -> RunRecord:
    work = scratch / challenge.id
    work.mkdir()
    test_file = work / challenge.test_file.name
    shutil.copyfile(challenge.test_file, test_file)
    shutil.copyfile(solution, work / "solution.py")
    results = scratch / "results.json"
    # One test may use the whole suite's budget; the watchdog below covers the suite.
    options = {**settings.PYTEST_INI, "timeout": str(max(5, round(challenge.timing.timeout * scale)))}
    ini = "[pytest]\n" + "".join(f"{k} = {v}\n" for k, v in options.items())
    (scratch / "pytest.ini").write_text(ini, encoding="utf-8")
    budget = challenge.timing.timeout * max(scale, 0.25) + settings.STARTUP_ALLOWANCE
    command = [sys.executable, "-I", "-m", "grader.child", str(int(budget) + 5), "--",
               str(test_file), "--solution", str(work / "solution.py"),
               "--grader-results", str(results), "-q", "-p", "no:cacheprovider",
               "--rootdir", str(scratch), *[f"-p{p}" for p in settings.CHILD_PLUGINS]]
    started = clock.now()
    process = subprocess.Popen(command, cwd=work, env=_child_env(scratch), stdin=subprocess.DEVNULL,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               start_new_session=True)
    output: list[str] = []
    reader = threading.Thread(target=_read_capped, args=(process.stdout, output), daemon=True)
    reader.start()
    timed_out = False
    try:
        process.wait(timeout=budget)
    except subprocess.TimeoutExpired:
        timed_out = True
    duration = clock.now() - started
    _kill_group(process)
    reader.join(timeout=5)
    return RunRecord(payload=_read_results(results), returncode=process.returncode,
                     duration=duration, timed_out=timed_out, output="".join(output))


def _child_env(scratch: Path) -> dict[str, str]:
    keep = {k: os.environ[k] for k in ("PATH", "LANG", "LC_ALL", "TZ", clock.SCALE_VARIABLE)
            if k in os.environ}
    return {**keep, "HOME": str(scratch), "TMPDIR": str(scratch), "PYTHONDONTWRITEBYTECODE": "1",
            "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1", "MALLOC_ARENA_MAX": "2", "NO_COLOR": "1"}


def _read_capped(stream: IO[bytes] | None, sink: list[str]) -> None:
    if stream is None:
        return
    kept = 0
    for chunk in iter(lambda: stream.read(8192), b""):
        if kept < settings.OUTPUT_CAP:
            part = chunk[: settings.OUTPUT_CAP - kept]
            sink.append(part.decode("utf-8", "replace"))
            kept += len(part)
            if kept >= settings.OUTPUT_CAP:
                sink.append(CUT_NOTE)
    stream.close()


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    """Kill the child's whole session: whatever it forked dies with it."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


def _read_results(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and isinstance(data.get("tests"), list) else None
