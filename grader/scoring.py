"""From what a child run left behind to points: per-test weights, partial credit, and the guards.

A challenge's score is the sum of the points of its passing tests (so correct-but-sequential keeps
the correctness points). Zero for the whole challenge when: the run timed out or was stopped at a
resource limit, the results file is missing, incomplete (whatever the exit code), interrupted, not
signed with the run's key, or lists fewer points than the challenge has; the grader's functions (or
the kit's own files) were tampered with; or the run passed faster than the simulated waiting it must
contain. The in-process checks are tamper evidence; the parent's clock and key back them up.

Imports grader.catalog, grader.model and grader.testkit.diagnoses.
"""

from __future__ import annotations

import signal
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from grader.catalog import Challenge
from grader.model import ChallengeResult, Status, TestOutcome
from grader.testkit.diagnoses import DIAGNOSES

UNKNOWN_CODE = "unknown-diagnosis"  # what a code the kit does not know becomes (reports show codes)
# pytest exit statuses that mean the session did not run to its end.
INTERRUPTED = {2: "interrupted, by pytest.exit() or KeyboardInterrupt", 3: "internal error",
               4: "usage error"}


@dataclass(frozen=True)
class RunRecord:
    """What the parent observed of one child run."""

    payload: dict[str, Any] | None
    returncode: int | None
    duration: float
    timed_out: bool = False
    output: str = ""
    note: str = ""
    forged: bool = False             # a results file without this run's signature
    stopped_for: str = ""            # the resource limit the keeper stopped the run for
    kit_changed: list[str] = field(default_factory=list)  # kit files changed during the run
    cpu: float = 0.0                 # CPU seconds of the test process (from the keeper)
    max_rss: int = 0                 # its peak resident memory, bytes


def score(challenge: Challenge, run: RunRecord, min_wait: float) -> ChallengeResult:
    tests = tuple(_outcome(t) for t in (run.payload or {}).get("tests", []))
    base = {"id": challenge.id, "title": challenge.title, "max_score": float(challenge.points),
            "duration": round(run.duration, 3), "output": run.output}
    if run.timed_out:
        return ChallengeResult(**base, score=0.0, status=Status.TIMEOUT, tests=_zeroed(tests),
                               diagnoses=("timeout",), reason=f"The tests were still running after "
                               f"{run.duration:.1f} s and were stopped. {run.note}".strip())
    if run.stopped_for:
        return ChallengeResult(**base, score=0.0, status=Status.ERROR, tests=_zeroed(tests),
                               diagnoses=("crashed",), reason=f"The tests were stopped because "
                               f"{run.stopped_for}; nothing the run reported counts. {run.note}".strip())
    complete = run.payload is not None and bool(run.payload.get("complete"))
    tampered = _tampering(run, complete)
    if tampered:
        return ChallengeResult(**base, score=0.0, status=Status.FAILED, tests=_zeroed(tests),
                               diagnoses=("tampering",), reason=tampered)
    if not complete:
        return ChallengeResult(**base, score=0.0, status=Status.ERROR, tests=_zeroed(tests),
                               diagnoses=("crashed",), reason=_crash_reason(run))
    broken = _incomplete(challenge, run, tests)
    if broken:
        return ChallengeResult(**base, score=0.0, status=Status.ERROR, tests=_zeroed(tests),
                               diagnoses=("crashed",), reason=broken)
    diagnoses = tuple(dict.fromkeys(t.diagnosis for t in tests if t.diagnosis))
    if "tampering" in diagnoses:
        return ChallengeResult(**base, score=0.0, status=Status.FAILED, tests=_zeroed(tests),
                               diagnoses=diagnoses, reason="The solution tampered with the grader; "
                               "the whole challenge scores zero.")
    earned = sum(t.score for t in tests)
    if all(t.status is Status.PASSED for t in tests):
        if run.duration < min_wait:
            return ChallengeResult(**base, score=0.0, status=Status.FAILED, tests=_zeroed(tests),
                                   diagnoses=("tampering",), reason=f"The tests passed in "
                                   f"{run.duration:.2f} s, but their simulated waiting alone takes "
                                   f"{min_wait:.2f} s: the clock was not honest.")
        return ChallengeResult(**base, score=earned, status=Status.PASSED, tests=tests)
    status = Status.ERROR if all(t.status is Status.ERROR for t in tests) else Status.FAILED
    skipped = sum(t.status is Status.SKIPPED for t in tests)
    reason = (f"{skipped} of {len(tests)} tests were skipped, and a skipped test earns no points "
              f"(does the solution call pytest.skip?)." if skipped else "")
    unsure = [t for t in tests if t.status is not Status.PASSED]
    if all(t.diagnosis == INCONCLUSIVE for t in unsure):
        status = Status.INCONCLUSIVE
        reason = (f"{len(unsure)} timing check(s) could not be decided: the machine kept the code "
                  f"waiting for a CPU for longer than the check's margin, and nothing else was "
                  f"found wrong. Those points are not given yet: grade again on a quieter machine.")
    return ChallengeResult(**base, score=earned, status=status, tests=tests, diagnoses=diagnoses,
                           reason=reason)


INCONCLUSIVE = "inconclusive"


def _outcome(raw: dict[str, Any]) -> TestOutcome:
    status = Status(raw.get("status", "error"))
    points = float(raw.get("points", 1))
    return TestOutcome(name=str(raw.get("name", "")), status=status, max_score=points,
                       score=points if status is Status.PASSED else 0.0,
                       message=str(raw.get("message") or ""), diagnosis=known_code(raw.get("diagnosis")),
                       duration=round(float(raw.get("duration", 0.0)), 3),
                       nodeid=str(raw.get("nodeid", "")), line_no=int(raw.get("line_no", 0)),
                       timeline=str(raw.get("timeline") or ""))


def known_code(value: object) -> str | None:
    """A diagnosis code from the run if the kit knows it; anything else (forged in the learner's
    process, with escapes or newlines to fake a report row) becomes the neutral UNKNOWN_CODE."""
    if value is None or value == "":
        return None
    return value if isinstance(value, str) and value in DIAGNOSES else UNKNOWN_CODE


def _zeroed(tests: tuple[TestOutcome, ...]) -> tuple[TestOutcome, ...]:
    return tuple(TestOutcome(**{**t.__dict__, "score": 0.0}) for t in tests)


def _tampering(run: RunRecord, complete: bool) -> str:
    """Evidence of tampering the parent holds, whatever the tests reported (an unsigned file that
    does not even claim to be complete is a crash: it earns nothing either way)."""
    if run.forged and complete:
        return ("The results file was not written by the grader (it lacks this run's signature): "
                "the solution forged or rewrote it. The whole challenge scores zero.")
    if run.kit_changed:
        names = ", ".join(Path(p).name for p in run.kit_changed[:3])
        return (f"The kit's own files changed while this solution ran ({names}), so the whole "
                f"challenge scores zero: a solution must not write outside its folder. Later runs "
                f"of this grading session used the original tests; restore the kit's copy "
                f"(git checkout) before grading again.")
    incidents = (run.payload or {}).get("incidents") or []
    if incidents:
        listing = ", ".join(str(i) for i in incidents[:4])
        return (f"The grader's own functions were replaced while the tests ran ({listing}); they were "
                f"put back and the whole challenge scores zero.")
    return ""


def _incomplete(challenge: Challenge, run: RunRecord, tests: tuple[TestOutcome, ...]) -> str:
    exitstatus = (run.payload or {}).get("exitstatus")
    if exitstatus in INTERRUPTED:
        return (f"The test run was cut short (pytest exit status {exitstatus}: {INTERRUPTED[exitstatus]})"
                f"; nothing it reported counts.")
    if not tests:
        return "No test ran: the suite could not be collected."
    listed = sum(t.max_score for t in tests)
    if abs(listed - challenge.points) > 1e-9:
        return (f"The results list tests worth {listed:g} points, but the challenge is worth "
                f"{challenge.points}: some tests never reported, so nothing counts. (Writing this "
                f"challenge? challenge.toml points must equal the sum of the points markers.)")
    return ""


def _crash_reason(run: RunRecord) -> str:
    code = run.returncode
    if code is not None and code >= 0 and run.payload is None:
        how = (f"it exited with code {code} and left no readable results file: the solution "
               f"exited before the tests ran (sys.exit, os._exit), or deleted or overwrote the file")
    elif code is None or code >= 0:
        how = f"it exited with code {code}: does the solution call sys.exit or os._exit?"
    else:
        how = f"it was killed by {_signal_name(-code)}"
        if -code == signal.SIGXCPU:
            how += f", having used up its CPU time ({run.cpu:.0f} s): an endless loop?"
    return (f"The test process stopped before the tests finished ({how}); nothing it reported "
            f"counts. {run.note}").strip()


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"
