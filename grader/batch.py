"""Grading a class: one student per subfolder of a folder, each laid out like the kit.

Only `challenges/<id>/solution.py` is read from a student's folder (a missing one is "not
submitted"; a link anywhere on the way is refused); the submission's own tests, conftest files and
grader copy are never used. A class is graded only where every run gets its own namespaces, unless
the caller accepts weaker isolation (Options.allow_weak_isolation). Each student's report is saved
as soon as the student is done (grader/gradebook.py), so an interrupted batch resumes where it
stopped. Students are graded side by side (Options.jobs); a result the machine's load may have
decided is measured again alone once every first try is done (grader/schedule.py), and that
student is saved then.

Imports grader (its version), catalog, errors, gradebook, model, run, sandbox, schedule,
suite_outline and the testkit's clock; only cli.py imports it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from grader import __version__, gradebook, sandbox, schedule, suite_outline
from grader.catalog import Challenge
from grader.errors import WeakIsolation
from grader.model import ChallengeResult, GradeReport
from grader.run import run_challenge
from grader.sandbox import CANCEL
from grader.testkit import clock

OnStudent = Callable[[str, GradeReport], None]


@dataclass(frozen=True)
class Student:
    name: str
    folder: Path


@dataclass(frozen=True)
class Options:
    jobs: int = 1                     # students at once (schedule.py keeps the load from verdicts)
    shard: tuple[int, int] = (1, 1)   # (K, N): this machine grades the K-th of N shares
    force: bool = False               # grade again students that already have a report
    timeout: float | None = None      # wall-clock budget per challenge, seconds (None: its own)
    allow_weak_isolation: bool = False  # grade even where runs cannot get their own namespaces


@dataclass(frozen=True)
class Summary:
    students: int      # in this shard
    graded: int        # graded by this run
    kept: int          # already graded by an earlier run and left as they were


def find_students(class_dir: Path) -> list[Student]:
    """Every subfolder (hidden ones aside), in name order."""
    return [Student(p.name, p) for p in sorted(class_dir.iterdir())
            if p.is_dir() and not p.name.startswith(".")]


def parse_shard(text: str) -> tuple[int, int]:
    """'K/N' with 1 <= K <= N; raises ValueError with a message for anything else."""
    try:
        k, n = (int(part) for part in text.split("/"))
    except ValueError:
        raise ValueError(f"{text!r} is not of the form K/N, for example 2/4") from None
    if not 1 <= k <= n:
        raise ValueError(f"{text!r}: K must be between 1 and N")
    return k, n


def pick_shard(students: Sequence[Student], k: int, n: int) -> list[Student]:
    """Every N-th student from the K-th on: shards are disjoint, cover the class and differ in size
    by one at most, given the same class folder (as every job of a CI matrix has)."""
    return [s for i, s in enumerate(students) if i % n == k - 1]


def run(class_dir: Path, out: Path, challenges: Sequence[Challenge], options: Options,
        on_student: OnStudent | None = None,
        on_start: Callable[[Summary], None] | None = None) -> Summary:
    """Grade every student of the shard that has no up-to-date report in out, then write the books.

    Interrupted (KeyboardInterrupt), it stops every running test process, keeps the students already
    saved and re-raises; students in progress are graded from scratch next time. Raises
    WeakIsolation, before grading anyone, where runs cannot get their own namespaces, unless
    options.allow_weak_isolation.
    """
    found = sandbox.isolation()  # decided (and probed) once, before the threads start
    if not found.strong and not options.allow_weak_isolation:
        raise WeakIsolation(found.level, found.reason)
    students = pick_shard(find_students(class_dir), *options.shard)
    ids = [c.id for c in challenges]
    reports = {} if options.force else {
        s.name: r for s in students if (r := _saved(out, s, ids)) is not None}
    todo = [s for s in students if s.name not in reports]
    hide = (class_dir.resolve(), out.resolve())  # no student reads another's work or report
    lock = threading.Lock()

    def finished(student: Student, report: GradeReport | None) -> None:
        if report is None or CANCEL.is_set():
            return
        with lock:
            gradebook.save_student(out, student.name, report)
            reports[student.name] = report
            gradebook.write_books(out, reports)
        if on_student is not None:
            on_student(student.name, report)

    summary = Summary(students=len(students), graded=len(todo), kept=len(students) - len(todo))
    if on_start is not None:
        on_start(summary)
    out.mkdir(parents=True, exist_ok=True)
    gradebook.write_books(out, reports)
    sandbox.remove_stale_scratch()  # left by an earlier batch killed at the wrong moment
    isolation = sandbox.describe()
    CANCEL.clear()
    second_looks: list[tuple[Student, _Graded]] = []

    def first_tries(student: Student) -> None:
        graded = _first_tries(student, challenges, options, hide)
        if graded is not None and graded.doubtful:
            with lock:
                second_looks.append((student, graded))  # saved once measured again alone
        else:
            finished(student, graded.report(isolation) if graded else None)

    _in_parallel(todo, first_tries, options.jobs)
    looks = dict(second_looks)  # then, one at a time, every result the load may have decided
    _in_parallel(sorted(looks, key=lambda s: s.name), lambda s: finished(
        s, _second_looks(s, looks[s], options, hide, isolation)), jobs=1)
    return summary


def _in_parallel(students: Sequence[Student], work: Callable[[Student], None], jobs: int) -> None:
    with ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="grader-batch") as pool:
        futures: list[Future[None]] = [pool.submit(work, s) for s in students]
        try:
            pending = set(futures)
            while pending:  # short waits, so that Ctrl-C reaches this thread at once
                _done, pending = wait(pending, timeout=0.5)
        except KeyboardInterrupt:
            CANCEL.set()
            for future in futures:
                future.cancel()
            raise
    for future in futures:
        future.result()  # a bug in the grader itself surfaces here, after the others are saved


def _saved(out: Path, student: Student, ids: list[str]) -> GradeReport | None:
    """The student's report from an earlier run, if it covers exactly these challenges."""
    report = gradebook.load_student(gradebook.student_path(out, student.name))
    if report is None:
        return None
    batch = report.extra.get("batch")
    return report if isinstance(batch, dict) and batch.get("challenges") == ids else None


@dataclass
class _Graded:
    """A student's results so far, and which of them need a second look alone (schedule.py)."""

    student: str
    challenges: Sequence[Challenge]
    results: list[ChallengeResult]
    doubtful: list[int]

    def report(self, isolation: dict[str, Any]) -> GradeReport:
        stamp = datetime.now(UTC).isoformat(timespec="seconds")
        return GradeReport(challenges=tuple(self.results), submission=self.student,
                           grader_version=__version__, time_scale=clock.time_scale(),
                           extra={"batch": {"student": self.student,
                                            "challenges": [c.id for c in self.challenges],
                                            "graded_at": stamp, "isolation": isolation}})


def _runner(student: Student, challenge: Challenge, options: Options,
            hide: Sequence[Path]) -> Callable[[], ChallengeResult]:
    solution = student.folder / "challenges" / challenge.id / "solution.py"
    return lambda: suite_outline.complete(challenge, run_challenge(
        challenge, solution, timeout=options.timeout, hide=hide, root=student.folder))


def _first_tries(student: Student, challenges: Sequence[Challenge], options: Options,
                 hide: Sequence[Path]) -> _Graded | None:
    """Every challenge once, beside the other students' runs; None when the batch was cancelled."""
    graded = _Graded(student.name, challenges, [], [])
    for challenge in challenges:
        if CANCEL.is_set():
            return None
        result, doubtful = schedule.first_try(_runner(student, challenge, options, hide))
        if doubtful:
            graded.doubtful.append(len(graded.results))
        graded.results.append(result)
    return None if CANCEL.is_set() else graded


def _second_looks(student: Student, graded: _Graded, options: Options, hide: Sequence[Path],
                  isolation: dict[str, Any]) -> GradeReport | None:
    """The doubtful results measured again alone; these are the verdicts."""
    for index in graded.doubtful:
        if CANCEL.is_set():
            return None
        run = _runner(student, graded.challenges[index], options, hide)
        graded.results[index] = schedule.second_look(run)
    return None if CANCEL.is_set() else graded.report(isolation)
