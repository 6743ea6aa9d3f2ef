"""Hand-made GradeReports the report formats are checked on (golden files in tests/golden/).

Each case is what scoring.py produces in one situation: everything passed, partial credit, an
error, a timeout, a guard that zeroed passing tests, fractional weights, a missing file with the
suite's named tests listed (as grade.py lists them), a solution whose values try to forge workflow
commands, and one whose every string tries to forge a terminal row, a total, XML or JSON.
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

from grader.model import ChallengeResult, GradeReport, Status, TestOutcome

P, F, E, S = Status.PASSED, Status.FAILED, Status.ERROR, Status.SKIPPED
TIMELINE = ("\n\nTimeline (0 to 2.70 s; █ ok, ▓ raised, ░ cancelled, ▒ still running):\n"
            "  fetch('https://a.example/') |███████······| 0.00 → 1.00 s (ok)")
SEQUENTIAL = ("Your 3 fetch calls ran one after another: at most 1 in flight at once, 2.70 s in all.\n"
              "Expected: 3 in flight together\nNext step: Start every operation before awaiting any."
              + TIMELINE)
SLOW = ("Your code took 2.70 s.\nExpected: about 1.00 s (accepted 0.95-1.85 s)\n"
        "Next step: Start every operation before awaiting any." + TIMELINE)


def outcome(name: str, status: Status, points: float, message: str = "",
            diagnosis: str | None = None, line: int = 0, earned: float | None = None) -> TestOutcome:
    score = points if earned is None and status is P else (earned or 0.0)
    slug = name.replace(" ", "_")
    return TestOutcome(name=name, status=status, score=score, max_score=points, message=message,
                       diagnosis=diagnosis, duration=0.25, line_no=line,
                       nodeid=f"02_three_fetches/test_three_fetches.py::test_{slug}")


def three_fetches(*tests: TestOutcome, status: Status, reason: str = "",
                  diagnoses: tuple[str, ...] = (), cid: str = "02_three_fetches",
                  title: str = "Three fetches", max_score: float = 10.0) -> ChallengeResult:
    return ChallengeResult(id=cid, title=title, score=sum(t.score for t in tests), max_score=max_score,
                           status=status, tests=tests, diagnoses=diagnoses, reason=reason,
                           duration=3.1, output="whatever the solution printed\n::warning::no")


def report(*challenges: ChallengeResult) -> GradeReport:
    return GradeReport(challenges=challenges, submission="alice", grader_version="0.1.0",
                       time_scale=1.0)


PASSED = three_fetches(outcome("returns every body", P, 4, line=26),
                       outcome("fetches overlap", P, 3, line=33),
                       outcome("about one second", P, 3, line=40), status=P)
PARTIAL = three_fetches(
    outcome("returns every body", P, 4, line=26),
    outcome("fetches overlap", F, 3, SEQUENTIAL, "sequential", line=33),
    outcome("about one second", F, 3, SLOW, "sequential", line=40),
    status=F, diagnoses=("sequential",))
MISSING = ChallengeResult(id="05_forgotten_await", title="The forgotten await", score=0.0,
                          max_score=10.0, status=E, diagnoses=("missing-file",),
                          reason="Not submitted: there is no challenges/05_forgotten_await/solution.py.")
RAISED = three_fetches(
    outcome("returns every body", E, 4,
            "Your code raised KeyError: 'a' (solution.py, line 7: `x = d['a']`).\n"
            "Expected: the function to return normally for this input\nNext step: Read the line named.",
            "raised", line=26),
    outcome("fetches overlap", E, 3, "Your code raised KeyError: 'a'.", "raised", line=33),
    outcome("about one second", E, 3, "Your code raised KeyError: 'a'.", "raised", line=40),
    status=E, diagnoses=("raised",))
TIMED_OUT = three_fetches(
    outcome("returns every body", P, 4, line=26, earned=0.0),
    status=Status.TIMEOUT, diagnoses=("timeout",),
    reason="The tests were still running after 61.0 s and were stopped.")
ZEROED = three_fetches(
    outcome("returns every body", P, 4, line=26, earned=0.0),
    outcome("fetches overlap", P, 3, line=33, earned=0.0),
    outcome("about one second", P, 3, line=40, earned=0.0),
    status=F, diagnoses=("tampering",),
    reason="The tests passed in 0.02 s, but their simulated waiting alone takes 1.00 s: the clock "
           "was not honest.")
FRACTIONAL = three_fetches(
    outcome("first half", P, 2.5, line=10),
    outcome("second half", F, 2.5, "Wrong.", "wrong-result", line=20),
    outcome("the rest", P, 5, line=30), outcome("skipped one", S, 0, line=40),
    status=F, cid="08_many_fetches", title="Many fetches, in order", diagnoses=("wrong-result",))
FORGED_VALUE = ('[\'body\', "\\n::notice title=Autograding report::{"totalPoints":100,"maxPoints":100}"]')
FORGERY = three_fetches(
    outcome("returns every body", F, 4,
            f"The list fetch_all returned is wrong: got {FORGED_VALUE}\n"
            "::notice title=Autograding report::{\"totalPoints\":100,\"maxPoints\":100}\r"
            "  ::error::Some tests passed.\x1b[2K\rExpected: ##[set-output name=x]1\n"
            "\u2028::add-mask::secret\nNext step: return the bodies.", "wrong-result", line=26),
    outcome("fetches overlap", P, 3, line=33), outcome("about one second", P, 3, line=40),
    status=F, diagnoses=("wrong-result",))

NOT_SUBMITTED = "Not submitted: there is no challenges/02_three_fetches/solution.py."
MISSING_NAMED = three_fetches(
    *(TestOutcome(name=name, status=F, score=0.0, max_score=points, message=NOT_SUBMITTED,
                  diagnosis="missing-file", line_no=line,
                  nodeid=f"02_three_fetches/test_three_fetches.py::test_{slug}")
      for name, slug, points, line in (("returns every body", "returns_every_body", 4, 26),
                                       ("fetches overlap", "fetches_overlap", 3, 34),
                                       ("about one second", "about_one_second", 3, 41))),
    status=E, diagnoses=("missing-file",), reason=NOT_SUBMITTED)

# Every way a string out of the learner's process could act on what displays it: move the cursor
# up and clear the line, return to the start of the line, start new lines holding a forged row
# and total, set the window title, reverse the text, break lines the Unicode way, carry NUL and
# other characters XML forbids, and a lone surrogate that UTF-8 cannot encode.
FORGED_ROW = ("02_three_fetches  Three fetches  passed  10/10\n\n"
              "Total: 10/10 points; 1 of 1 challenges passed.")
ATTACK = ("\x1b[1A\x1b[2K\r" + FORGED_ROW + "\x1b]0;owned\x07\u202edesrever\u2028::notice::x"
          "\x00\x0b\x0c\x85\x9b\ud800=cmd|' /C calc'!A0")
HOSTILE = GradeReport(
    challenges=(replace(three_fetches(
        outcome("returns every body" + ATTACK, F, 4, "Your list was wrong." + ATTACK,
                "wrong-result" + ATTACK, line=26),
        outcome("fetches overlap", P, 3, line=33), outcome("about one second", P, 3, line=40),
        status=F, diagnoses=("wrong-result" + ATTACK,)), output="printed" + ATTACK),),
    submission="=alice" + ATTACK, grader_version="0.1.0", time_scale=1.0)

CASES: dict[str, GradeReport] = {
    "passed": report(PASSED),
    "partial": report(PARTIAL, MISSING),
    "error": report(RAISED, MISSING),
    "timeout": report(TIMED_OUT),
    "zeroed": report(ZEROED),
    "fractional": report(FRACTIONAL),
    "forgery": report(FORGERY),
    "missing_named": report(MISSING_NAMED),
    "hostile": HOSTILE,
}


GOLDEN = Path(__file__).resolve().parent / "golden"
REGOLD = "GRADER_REGOLD"


def matches_golden(relative: str, text: str) -> bool:
    """Compare text with tests/golden/<relative>; with GRADER_REGOLD=1, rewrite the file instead."""
    path = GOLDEN / relative
    if os.environ.get(REGOLD) == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
        return True
    return path.read_bytes().decode("utf-8") == text  # bytes: a \r in a message must survive
