"""The kit's pytest plugin: owns the solution fixture, the points marker and the results file.

Loaded for every pytest run once the kit is installed (pytest11 entry point), so `pytest
challenges/02_three_fetches` and `grader check 2` run the same tests the same way. The process
running pytest is the witness: the learner's code never runs in it. The plugin:
- stands in for the solution under test (--solution / GRADER_SOLUTION, default solution.py beside
  the tests), which the executor loads and runs (grader/witness/);
- turns a Mistake into a short learner-facing failure with its diagnosis code, and any other error
  raised here into a plain "the kit failed" (it cannot come from the learner's code);
- writes the outcome of every test as JSON (--grader-results / GRADER_RESULTS), never terminal text.

Imports grader.testkit (with its clock, feedback, timing and trial), the witness's scenario and session, and
grader.sandbox.signing (for the results file).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Generator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from grader.sandbox.signing import canonical
from grader.testkit.feedback import Mistake

SOLUTION_ENV = "GRADER_SOLUTION"
RESULTS_ENV = "GRADER_RESULTS"
RESULTS_VERSION = 1
POINTS_HELP = "points(n): how many points the test is worth (default 1)."


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("grader", "asyncio kit grader")
    group.addoption("--solution", metavar="PATH", default=os.environ.get(SOLUTION_ENV),
                    help=f"solution file under test (default: solution.py beside the tests; "
                         f"env {SOLUTION_ENV}).")
    group.addoption("--grader-results", metavar="PATH", default=os.environ.get(RESULTS_ENV),
                    help=f"write each test's outcome as JSON to PATH (env {RESULTS_ENV}).")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", POINTS_HELP)
    path = config.getoption("grader_results")
    if path:
        config.stash[_RESULTS] = _Results(Path(path))


def pytest_report_header(config: pytest.Config) -> str:
    from grader.testkit.clock import time_scale

    chosen = config.getoption("solution") or "solution.py beside each test file"
    return f"grader: solution = {chosen}; time scale = {time_scale():g}"


@pytest.fixture(scope="module")
def solution_path(request: pytest.FixtureRequest) -> Path:
    """The solution file under test."""
    chosen = request.config.getoption("solution")
    return Path(chosen) if chosen else request.path.parent / "solution.py"


@pytest.fixture(scope="module")
def solution(solution_path: Path) -> ModuleType:
    """A stand-in for the solution module: the learner's names, loaded in the executor (never in
    this process); an import failure there fails every test with its diagnosis."""
    from grader.testkit import timing
    from grader.witness import scenario, session

    timing.measure_noise_soon()  # while the solution loads (earlier, pytest starting is noise)
    return scenario.stand_in_module(session.load(solution_path), str(solution_path.resolve()))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]
                              ) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report: pytest.TestReport = yield
    diagnosis, message = None, ""
    if (call.excinfo is not None and not call.excinfo.errisinstance(pytest.skip.Exception)
          and "solution" in getattr(item, "fixturenames", ())):
        # Only challenge tests (those that take the solution) speak to a learner.
        diagnosis, message = _explain(call.excinfo.value, report)
    marker = item.get_closest_marker("points")
    points = marker.args[0] if marker and marker.args else 1
    report.user_properties.append(("grader", {
        "name": _title(item), "points": points, "diagnosis": diagnosis, "message": message,
        "line_no": item.location[1] or 0, "timeline": _timelines(item),
    }))
    return report


def _timelines(item: pytest.Item) -> str:
    """What the trials this test looked at did, as timelines (`grader check --timeline` shows them
    for passing tests too, so a learner can see concurrency working)."""
    from grader.testkit import render_timeline
    from grader.testkit.trial import Trial

    found: list[Trial] = []
    for value in getattr(item, "funcargs", {}).values():
        for candidate in value if isinstance(value, tuple | list) else (value,):
            if isinstance(candidate, Trial) and all(candidate is not t for t in found):
                found.append(candidate)
    return "\n\n".join(filter(None, (render_timeline(t.services, until=t.elapsed) for t in found)))


def _explain(exc: BaseException, report: pytest.TestReport) -> tuple[str | None, str]:
    if isinstance(exc, Mistake):
        report.longrepr = str(exc)  # the learner reads the message, not the test's traceback
        return exc.code, str(exc)
    if isinstance(exc, AssertionError):
        return None, str(exc) or "an assertion failed"
    # The learner's exceptions reach a test only as data (trial.error); one raised here is the kit's.
    message = (f"The grader itself failed while checking this: {type(exc).__name__}: {exc}. This is a "
               "bug in the kit, not in your code; please report it with this message.")
    report.longrepr = message
    return "kit-error", message


def _title(item: pytest.Item) -> str:
    doc = getattr(getattr(item, "obj", None), "__doc__", None)
    if doc and doc.strip():
        return doc.strip().splitlines()[0].rstrip(".")
    return item.name.removeprefix("test_").replace("_", " ")


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    results = _current_results()
    if results is not None:
        results.add(report)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    from grader.witness import session as witness

    witness.close()
    results = session.config.stash.get(_RESULTS, None)
    if results is not None:
        results.write(complete=True, exitstatus=int(exitstatus))


class _Results:
    """Each test's combined setup/call/teardown outcome, rewritten atomically after every phase."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.tests: dict[str, dict[str, Any]] = {}
        self.write(complete=False)

    def add(self, report: pytest.TestReport) -> None:
        info = dict(report.user_properties).get("grader", {})
        entry = self.tests.setdefault(report.nodeid, {
            "nodeid": report.nodeid, "name": info.get("name", report.nodeid),
            "points": info.get("points", 1), "status": "passed", "message": "",
            "diagnosis": None, "duration": 0.0, "line_no": info.get("line_no", 0),
            "timeline": info.get("timeline", "")})
        entry["duration"] += report.duration
        status = _status(report)
        if status != "passed" and entry["status"] in ("passed", "skipped"):
            entry.update(status=status, message=info.get("message") or _text(report),
                         diagnosis=info.get("diagnosis"))
        self.write(complete=False)

    def write(self, complete: bool, exitstatus: int | None = None) -> None:
        payload = {"version": RESULTS_VERSION, "complete": complete, "exitstatus": exitstatus,
                   "tests": list(self.tests.values())}
        if _signer:
            payload["signature"] = _signer[0](canonical(payload))
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(payload), encoding="utf-8")
        os.replace(tmp, self.path)


def _status(report: pytest.TestReport) -> str:
    if report.skipped:
        return "skipped"
    if report.passed:
        return "passed"
    return "failed" if report.when == "call" else "error"


def _text(report: pytest.TestReport) -> str:
    text = report.longreprtext or ""
    return text[-2000:]


_RESULTS = pytest.StashKey[_Results]()
_config: list[pytest.Config] = []


@pytest.hookimpl(tryfirst=True)
def pytest_sessionstart(session: pytest.Session) -> None:
    _config.append(session.config)


# The witness process the grader starts installs a signer (grader/witness/main.py), so the parent can
# tell this plugin's results file from any other; without one (plain pytest) the file is not signed.
_signer: list[Callable[[bytes], str]] = []


def sign_results(signer: Callable[[bytes], str]) -> None:
    _signer[:] = [signer]


def _current_results() -> _Results | None:
    return _config[-1].stash.get(_RESULTS, None) if _config else None
