"""The learner's loop: check one challenge (recording the result), and the sentences that say where
the learner stands and what to do next (after a pass, after several checks, `grader next`, the
status column of `grader list`). The CLI presents these; nothing here prints.

Imports grader.catalog, interrupt, model, progress, run, schedule, stubs and
grader.report.terminal.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

from grader import schedule, stubs
from grader.catalog import Challenge
from grader.interrupt import interruptible, interruptible_each
from grader.model import ChallengeResult, Status
from grader.progress import Progress
from grader.report.terminal import points
from grader.run import run_challenge


def check(kit: Path, challenge: Challenge) -> ChallengeResult:
    """Check the learner's solution.py (Ctrl-C stops the run cleanly, see grader.interrupt) and
    record the result. A missing file is explained, not graded, and not recorded."""
    if not challenge.stub.is_file():
        return missing(challenge)
    return _recorded(kit, interruptible(lambda: run_challenge(challenge, challenge.stub)))


def check_all(kit: Path, challenges: Sequence[Challenge], jobs: int) -> Iterator[ChallengeResult]:
    """check() of each challenge, in order, up to `jobs` running at once (grader/schedule.py);
    each result is recorded as it is handed over, and closing the iterator stops the rest."""
    def run_one(challenge: Challenge) -> ChallengeResult:
        return run_challenge(challenge, challenge.stub) if challenge.stub.is_file() else missing(challenge)

    for result in interruptible_each(lambda: schedule.in_order(challenges, run_one, jobs)):
        yield result if "missing-file" in result.diagnoses else _recorded(kit, result)


def _recorded(kit: Path, result: ChallengeResult) -> ChallengeResult:
    progress = Progress.load(kit)  # read again: `grader hint` may have run meanwhile (watch)
    progress.record_check(result.id, str(result.status), result.score, result.max_score)
    progress.save()
    return result


def missing(challenge: Challenge) -> ChallengeResult:
    rel = stubs.relative(challenge)
    return ChallengeResult(
        id=challenge.id, title=challenge.title, score=0.0, max_score=float(challenge.points),
        status=Status.ERROR, diagnoses=("missing-file",),
        reason=f"{rel} is missing, so there is nothing to check.\nNext step: `grader reset "
               f"{challenge.number}` puts the original stub back (with git, `git checkout -- {rel}` "
               f"brings back your last committed version instead).")


def label(challenge: Challenge) -> str:
    """'08 many fetches': how a challenge is named in a sentence."""
    return f"{challenge.number:02d} {challenge.slug.replace('_', ' ')}"


def first_not_passed(challenges: Sequence[Challenge], passed: set[str]) -> Challenge | None:
    return next((c for c in challenges if c.id not in passed), None)


def progress_line(challenges: Sequence[Challenge], passed: set[str]) -> str:
    """'7 of 15 passed; next: 08 many fetches (`grader check 8`).'"""
    done = sum(c.id in passed for c in challenges)
    following = first_not_passed(challenges, passed)
    if following is None:
        return f"{done} of {len(challenges)} passed: every challenge passes."
    return (f"{done} of {len(challenges)} passed; next: {label(following)} "
            f"(`grader check {following.number}`).")


def after_pass(result: ChallengeResult, challenges: Sequence[Challenge], passed: set[str]) -> str:
    """What to do once a challenge passes: compare with the reference, then the next challenge."""
    number = int(result.id[:2])
    compare = f"`grader solution {number}` shows the reference solution to compare with yours."
    following = first_not_passed(challenges, passed)
    if following is None:
        return f"{compare} That was the last one to pass: every challenge passes. Well done!"
    return (f"{compare}\nThen: {label(following)}: read challenges/{following.id}/README.md, edit "
            f"its solution.py and run `grader check {following.number}`.")


def summary(results: Sequence[ChallengeResult], chosen: int, stopped_early: bool) -> str:
    """The closing line of a check of several challenges."""
    passed = [r for r in results if r.passed]
    failed = [r.id for r in results if not r.passed]
    text = f"Checked {len(results)} of {chosen} challenges: {len(passed)} passed"
    text += f", {len(failed)} did not ({', '.join(failed)})." if failed else "."
    if stopped_early and failed:
        text += (f" Stopped at {failed[-1]}, the first that does not pass; `grader check --all` "
                 f"checks every challenge.")
    return text


def next_text(challenges: Sequence[Challenge], passed: set[str]) -> str:
    """`grader next`: the first challenge not passed, its title and how to start it."""
    following = first_not_passed(challenges, passed)
    if following is None:
        return (f"Every challenge passes ({len(challenges)} of {len(challenges)}). "
                f"`grader solution N` shows any reference solution to compare with yours.")
    state = "not started" if not following.stub.is_file() or stubs.is_original(following) else \
        "started"
    return (f"Next: {following.id}, \"{following.title}\" ({following.level}, {following.points} "
            f"points, {state}).\n{following.summary}\nRead challenges/{following.id}/README.md, "
            f"edit challenges/{following.id}/solution.py, then run `grader check {following.number}`.")


def status_text(challenge: Challenge, progress: Progress) -> str:
    """The status column of `grader list`."""
    if not challenge.stub.is_file():
        return f"missing: `grader reset {challenge.number}`"
    last = progress.checks.get(challenge.id)
    if not last:
        return "not checked yet"
    return f"{last['status']} {points(last['score'])}/{challenge.points}"


def listing(challenges: Sequence[Challenge], progress: Progress, width: int) -> str:
    """`grader list`: one row per challenge, narrowed to width (the level goes first, then titles
    are shortened)."""
    rows = [(c.id, c.title, c.level, str(c.points), status_text(c, progress)) for c in challenges]
    header = ("id", "title", "level", "points", "status")
    keep = [0, 1, 2, 3, 4]
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(5)]

    def total() -> int:
        return sum(widths[i] + 2 for i in keep) - 2

    if total() > width:
        keep.remove(2)
    widths[1] = max(12, min(widths[1], widths[1] - (total() - width)))
    lines = []
    for row in [header, *rows]:
        cells = [_cut(row[i], widths[i]).ljust(widths[i]) if i != 3 else row[i].rjust(widths[i])
                 for i in keep]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"
