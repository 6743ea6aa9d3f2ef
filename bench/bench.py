"""How fast the grader is, and whether running things side by side changes any verdict.

Run it from the kit's top folder, in the kit's virtual environment:

    .venv/bin/python bench/bench.py                  # every part, full size (tens of minutes)
    .venv/bin/python bench/bench.py --quick          # smaller class, one repeat: to try the script
    .venv/bin/python bench/bench.py --only check --only hang
    .venv/bin/python bench/bench.py --jobs 2 --json bench.json
    .venv/bin/python bench/bench.py --only loaded --rounds 20

The parts (README.md, "## Benchmark", says what each figure means and what it should be):

    plain  plain `pytest challenges`, one test after another, on the reference solutions: the baseline
    grade  `grader grade --solutions solutions` with --jobs 1, then side by side
    check  `grader check ID` for 02, 08 and 13: the wall clock beyond the challenge's own waiting,
           first with no warm server kept, then again and again (a kept one)
    class  `grader batch` on a generated class, with --jobs 1 and side by side: time, and verdicts
    hang   `grader check 2` on a fetch_all that never gives the loop back: time to the verdict
    loaded `grader batch` side by side of every reference and every known mistake, round after
           round, with both cores kept busy by two busy loops: verdicts that are not the expected one

The grader is only ever run through its command line, and pytest as a plain command. Everything
runs in a temporary folder holding copies of the kit; the kit's own files are never changed.
GRADER_TIME_SCALE is honoured (the waiting and budgets it scales are shown scaled).
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import re
import shutil
import signal
import socket
import statistics
import struct
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, TypeVar

KIT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(KIT))  # for the kit's own case lists in tests/

from grader.catalog import Challenge  # noqa: E402
from tests.hostile_cases import HostileCase, hostile_cases  # noqa: E402
from tests.kit_cases import (  # noqa: E402
    CHALLENGES,
    KnownMistake,
    known_mistakes,
    pristine_copy,
    reference,
    stub,
)

PARTS = ("plain", "grade", "check", "class", "hang", "loaded")
CHECKED = ("02_three_fetches", "08_many_fetches", "13_as_they_arrive")
HANG_CHALLENGE = "02_three_fetches"
SCALE_VARIABLE = "GRADER_TIME_SCALE"  # read as grader/testkit/clock.py time_scale() reads it
KEEP_VARIABLE = "GRADER_KEEP_WARM"    # "0": `grader check` keeps no warm server (grader/kept_server.py)
WEAK_HINT = "--allow-weak-isolation"
T = TypeVar("T")

# The targets, in one place.
GRADE_RATIO_TARGET = 0.30      # grade side by side, as a share of plain sequential pytest
CHECK_OVERHEAD_TARGET = 0.4    # seconds of `grader check` beyond the challenge's own waiting
CLASS_SECONDS_TARGET = 300.0   # a class of 100 side by side, on 2 cores
HANG_RATIO_TARGET = 2.0        # time to the verdict on a hang, as a multiple of the trial's budget
LOADED_ROUNDS = 20             # full grades of the references and known mistakes under load
BUSY_LOOPS = 2                 # processes spinning beside the loaded rounds (one per core here)

HANG_SOLUTION = '''"""A fetch_all that never gives the event loop back (the benchmark's hang)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable


async def fetch_all(fetch: Callable[[str], Awaitable[str]], urls: list[str]) -> list[str]:
    """Spin forever, never awaiting: only the grader's budget can end this."""
    while True:
        pass
'''


# ---------------------------------------------------------------------------------------------
# Running commands


@dataclass(frozen=True)
class Run:
    seconds: float
    code: int
    stdout: str
    stderr: str


def timed(command: Sequence[str | Path], cwd: Path, limit: float = 3600.0,
          env: dict[str, str] | None = None) -> Run:
    """Run a command to its end (env: variables set for it); after `limit` seconds it is
    interrupted as Ctrl-C would."""
    started = time.perf_counter()
    process = subprocess.Popen([str(part) for part in command], cwd=cwd, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True, env={**os.environ, **(env or {})})
    try:
        stdout, stderr = process.communicate(timeout=limit)
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGINT)  # the grader stops its test runs on SIGINT
        stdout, stderr = finish(process)
        stderr += f"\n(bench: interrupted after {limit:.0f} s)"
    except KeyboardInterrupt:  # the terminal's Ctrl-C reached the command too: let it stop
        finish(process)
        raise
    return Run(time.perf_counter() - started, process.returncode, stdout, stderr)


def finish(process: subprocess.Popen[str], grace: float = 15.0) -> tuple[str, str]:
    """What an interrupted command still prints, killing it if it is not done within `grace`."""
    try:
        return process.communicate(timeout=grace)
    except subprocess.TimeoutExpired:
        process.kill()
        return process.communicate()


def grader_command() -> list[str]:
    """The installed `grader` script beside this interpreter (the package has no __main__)."""
    beside = Path(sys.executable).parent / "grader"
    if beside.is_file():
        return [str(beside)]
    found = shutil.which("grader")
    if found:
        return [found]
    return [sys.executable, "-c", "import sys; from grader.cli import main; sys.exit(main())"]


def last_line(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1] if lines else ""


def say(text: str = "") -> None:
    print(text, flush=True)


def clock() -> str:
    return time.strftime("%H:%M:%S")


# ---------------------------------------------------------------------------------------------
# Figures, targets and the shared state of one benchmark run


@dataclass(frozen=True)
class Target:
    name: str
    limit: str
    measured: str
    met: bool | None  # None: not measured, or not comparable (a --quick class)

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "limit": self.limit, "measured": self.measured, "met": self.met}


@dataclass
class Bench:
    work: Path                 # the temporary folder everything runs in
    grader: list[str]
    jobs: list[str]            # ["--jobs", "N"], or [] for the grader's default
    parallel_label: str        # "--jobs N" or "default jobs (N)"
    quick: bool
    scale: float
    rounds: int = LOADED_ROUNDS  # of the loaded part
    figures: dict[str, Any] = field(default_factory=dict)
    targets: list[Target] = field(default_factory=list)
    _reference_kit: Path | None = None

    def reference_kit(self) -> Path:
        """A kit copy with every reference solution in place of its stub (made once)."""
        if self._reference_kit is None:
            self._reference_kit = reference_kit(self.work / "reference-kit")
        return self._reference_kit

    def run_grader(self, kit: Path, *args: str | Path, limit: float = 3600.0,
                   env: dict[str, str] | None = None) -> Run:
        return timed([*self.grader, "--kit", kit, *args], cwd=kit, limit=limit,
                     env={"XDG_RUNTIME_DIR": str(self.runtime), **(env or {})})

    @property
    def runtime(self) -> Path:
        """The runtime folder the grader's kept servers listen in: the bench's own, ended with it."""
        folder = self.work / "run"
        folder.mkdir(mode=0o700, exist_ok=True)
        return folder


def reference_kit(target: Path) -> Path:
    """challenges/ and solutions/ copied, each solutions/<id>.py over challenges/<id>/solution.py,
    and pyproject.toml for pytest's settings ([tool.pytest.ini_options]; the kit has no conftest.py
    above challenges/, and the grader's pytest plugin loads through its entry point)."""
    target.mkdir(parents=True)
    pristine_copy(target)
    for challenge in CHALLENGES:
        shutil.copyfile(reference(challenge), target / "challenges" / challenge.id / "solution.py")
    shutil.copyfile(KIT / "pyproject.toml", target / "pyproject.toml")
    return target


def seconds(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f} s"


def ratio(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}x"


def default_jobs(grader: list[str]) -> str:
    """The grader's default --jobs, as its help says it ('?' if the help does not say)."""
    run = timed([*grader, "grade", "--help"], cwd=KIT, limit=120)
    found = re.search(r"--jobs.*?\[default:\s*(\d+)", run.stdout, re.DOTALL)
    return found[1] if found else "?"


# ---------------------------------------------------------------------------------------------
# 1. plain: sequential pytest of the references


def plain_pytest(kit: Path, paths: Sequence[str] = ("challenges",)) -> Run:
    return timed([sys.executable, "-m", "pytest", *paths, "-q", "-p", "no:cacheprovider"], cwd=kit)


def part_plain(bench: Bench) -> None:
    kit = bench.reference_kit()
    say(f"Plain sequential pytest of the references (started {clock()}) ...")
    run = plain_pytest(kit)
    summary = last_line(run.stdout)
    bench.figures["plain"] = {"seconds": run.seconds, "exit_code": run.code, "summary": summary}
    say(f"  plain pytest challenges: {seconds(run.seconds)}  (exit {run.code}: {summary})")
    if run.code != 0:
        say(f"  pytest did not pass everything; its end:\n{tail(run.stdout + run.stderr)}")


def tail(text: str, lines: int = 15) -> str:
    return "\n".join("    " + line for line in text.splitlines()[-lines:])


# ---------------------------------------------------------------------------------------------
# 2. grade: `grader grade --solutions solutions`, one at a time and side by side


def grade_once(bench: Bench, kit: Path, jobs: Sequence[str], output: Path,
               extra: Sequence[str] = ()) -> dict[str, Any]:
    run = bench.run_grader(kit, "grade", "--solutions", "solutions", "--format", "json",
                           "--output", output, *jobs, *extra)
    figures: dict[str, Any] = {"seconds": run.seconds, "exit_code": run.code}
    try:
        report = json.loads(output.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        figures["error"] = f"no JSON report (exit {run.code}): {last_line(run.stderr)}"
        return figures
    figures.update(score=report["score"], max_score=report["max_score"],
                   statuses=dict(Counter(c["status"] for c in report["challenges"])),
                   remeasured=[c["id"] for c in report["challenges"] if c.get("remeasured")])
    return figures


def describe_grade(label: str, figures: dict[str, Any]) -> str:
    if "error" in figures:
        return f"  {label:<24} {seconds(figures['seconds'])}  {figures['error']}"
    statuses = ", ".join(f"{count} {status}" for status, count in sorted(figures["statuses"].items()))
    again = figures.get("remeasured") or []
    alone = f"; measured again alone: {', '.join(again)}" if again else ""
    return (f"  {label:<24} {seconds(figures['seconds'])}  "
            f"{figures['score']:g}/{figures['max_score']:g} points ({statuses}{alone})")


def part_grade(bench: Bench) -> None:
    kit = bench.reference_kit()
    say(f"grader grade --solutions solutions (started {clock()}) ...")
    one = grade_once(bench, kit, ["--jobs", "1"], bench.work / "grade-jobs1.json")
    say(describe_grade("--jobs 1", one))
    side = grade_once(bench, kit, bench.jobs, bench.work / "grade-parallel.json")
    say(describe_grade(bench.parallel_label, side))
    plain = bench.figures.get("plain", {}).get("seconds")
    one_ratio = one["seconds"] / plain if plain else None
    side_ratio = side["seconds"] / plain if plain else None
    if plain:
        say(f"  grade --jobs 1 / plain: {ratio(one_ratio)};  "
            f"grade {bench.parallel_label} / plain: {ratio(side_ratio)}")
    else:
        say("  ratios to plain pytest: n/a (run the plain part too)")
    bench.figures["grade"] = {"jobs1": one, "parallel": side, "parallel_jobs": bench.parallel_label,
                              "jobs1_over_plain": one_ratio, "parallel_over_plain": side_ratio}
    bench.targets.append(Target(f"grade {bench.parallel_label} / plain pytest",
                                f"<= {GRADE_RATIO_TARGET:.2f}x", ratio(side_ratio),
                                None if side_ratio is None else side_ratio <= GRADE_RATIO_TARGET))


# ---------------------------------------------------------------------------------------------
# 3. check: the wall clock of `grader check ID` beyond the challenge's own waiting


def challenge(challenge_id: str) -> Challenge:
    return next(c for c in CHALLENGES if c.id == challenge_id)


def reported_seconds(output: str) -> float | None:
    """The test run's own wall clock, as `grader check` reports it: "(10/10 points, 1.4 s)"."""
    found = re.search(r"points, ([0-9.]+) s[,)]", output)
    return float(found[1]) if found else None


def part_check(bench: Bench) -> None:
    """Each challenge checked first with no kept server (GRADER_KEEP_WARM=0: the first check of a
    session, which starts the server), then again and again as in the learner's loop: the target is
    the loop's figure, the first check's is reported beside it."""
    kit = bench.reference_kit()
    repeats = 1 if bench.quick else 3
    say(f"grader check, median of {repeats} run(s) each, references in place: first (no kept "
        f"server) and again (kept server, the learner's loop) (started {clock()}) ...")
    rows = {}
    for challenge_id in CHECKED:
        waiting = challenge(challenge_id).timing.min_wait * bench.scale
        first = [bench.run_grader(kit, "check", challenge_id, limit=600,
                                  env={KEEP_VARIABLE: "0"}) for _ in range(repeats)]
        bench.run_grader(kit, "check", challenge_id, limit=600)  # leaves a kept server listening
        again = [bench.run_grader(kit, "check", challenge_id, limit=600) for _ in range(repeats)]
        row = {name: check_figures(runs, waiting) for name, runs in (("first", first),
                                                                     ("again", again))}
        rows[challenge_id] = {"waiting": waiting, **row}
        say(f"  {challenge_id:<20} waiting {seconds(waiting)}; first check: wall "
            f"{seconds(row['first']['median'])}, overhead {seconds(row['first']['overhead'])}; "
            f"again: wall {seconds(row['again']['median'])}, overhead "
            f"{seconds(row['again']['overhead'])} (test run {seconds(row['again']['test_run_reported'])}"
            f" as the grader reports it; {row['again']['verdict']})")
        bench.targets.append(Target(f"check {challenge_id[:2]} overhead, again", f"<= "
                                    f"{CHECK_OVERHEAD_TARGET:.2f} s", seconds(row["again"]["overhead"]),
                                    row["again"]["overhead"] <= CHECK_OVERHEAD_TARGET))
        bench.targets.append(Target(f"check {challenge_id[:2]} overhead, first", "(reported)",
                                    seconds(row["first"]["overhead"]), None))
    bench.figures["check"] = {"repeats": repeats, "challenges": rows}


def check_figures(runs: Sequence[Run], waiting: float) -> dict[str, Any]:
    wall = statistics.median(run.seconds for run in runs)
    codes = sorted({run.code for run in runs})
    reported = [found for run in runs if (found := reported_seconds(run.stdout)) is not None]
    return {"runs": [run.seconds for run in runs], "median": wall, "overhead": wall - waiting,
            "exit_codes": codes, "verdict": "passed" if codes == [0] else f"NOT passed (exit {codes})",
            "test_run_reported": statistics.median(reported) if reported else None}


def end_kept_servers(runtime: Path) -> None:
    """End the warm servers the bench's checks left listening (they would end by themselves after
    ten idle minutes): each socket's peer is the server."""
    for place in (runtime / "grader").glob("*.sock"):
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as channel:
            try:
                channel.connect(str(place))
                pid = struct.unpack("3i", channel.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED,
                                                             struct.calcsize("3i")))[0]
                os.kill(pid, signal.SIGTERM)
            except OSError:
                continue


# ---------------------------------------------------------------------------------------------
# 4. class: `grader batch` on a generated class, one student at a time and side by side


@dataclass(frozen=True)
class Student:
    name: str
    kind: str                 # reference, stub, mistake or hostile
    challenge: str            # the one challenge this student submits
    source: Path
    diagnosis: str = ""       # stub, mistake: the diagnosis the verdict must carry
    hostile: HostileCase | None = None


@dataclass(frozen=True)
class Verdict:
    status: str
    score: float
    max_score: float
    diagnoses: tuple[str, ...]
    duration: float  # the run's wall clock as the grader measured it (not compared)

    def same_as(self, other: Verdict) -> bool:
        return (self.status, self.score, self.diagnoses) == (other.status, other.score, other.diagnoses)

    def __str__(self) -> str:
        return f"{self.status} {self.score:g}/{self.max_score:g} [{', '.join(self.diagnoses)}]"


def spread(items: Sequence[T], count: int) -> list[T]:
    """count items picked evenly over the sequence, always the same ones."""
    if count >= len(items):
        return list(items)
    return [items[i * len(items) // count] for i in range(count)]


def spread_mistakes(count: int) -> list[KnownMistake]:
    """Known mistakes taken round by round (the first of each challenge, then the second, ...), so
    they cover the challenges evenly; a last, partial round is spread over the challenges too."""
    by_challenge: dict[str, list[KnownMistake]] = {}
    for mistake in known_mistakes():
        by_challenge.setdefault(mistake.challenge.id, []).append(mistake)
    picked: list[KnownMistake] = []
    depth = 0
    while len(picked) < count:
        round_ = [group[depth] for group in by_challenge.values() if depth < len(group)]
        if not round_:
            break
        picked += spread(round_, count - len(picked))
        depth += 1
    return picked


def class_mix(size: int) -> dict[str, int]:
    """How many students of each kind: 19 + 19 + 50 + 12 in a class of 100, in proportion below."""
    references = stubs = min(len(CHALLENGES), round(size * 0.19))
    hostile = round(size * 0.12)
    return {"reference": references, "stub": stubs, "hostile": hostile,
            "mistake": max(0, size - references - stubs - hostile)}


def choose_students(size: int, weak: bool) -> list[Student]:
    mix = class_mix(size)
    students = [Student(f"ref-{c.id}", "reference", c.id, reference(c))
                for c in spread(CHALLENGES, mix["reference"])]
    students += [Student(f"stub-{c.id}", "stub", c.id, stub(c), c.stub_diagnosis)
                 for c in spread(CHALLENGES, mix["stub"])]
    students += [Student(f"mistake-{m.challenge.id}-{m.path.stem}", "mistake", m.challenge.id, m.path,
                         m.diagnosis) for m in spread_mistakes(mix["mistake"])]
    # As the grader's own user (weak isolation) a case that needs isolation could harm the grader.
    cases = [case for case in hostile_cases() if not (weak and case.requires_isolation)]
    students += [Student(f"hostile-{h.id}", "hostile", h.challenge.id, h.path, hostile=h)
                 for h in spread(cases, mix["hostile"])]
    return students


def write_class(folder: Path, students: Sequence[Student]) -> None:
    for student in students:
        target = folder / student.name / "challenges" / student.challenge / "solution.py"
        target.parent.mkdir(parents=True)
        shutil.copyfile(student.source, target)


def needs_weak_flag(bench: Bench, kit: Path) -> bool:
    """True when batch refuses this machine's isolation (tried on an empty class: no grading)."""
    empty = bench.work / "empty-class"
    empty.mkdir(exist_ok=True)
    run = bench.run_grader(kit, "batch", empty, "--out", bench.work / "empty-out", limit=300)
    return run.code != 0 and WEAK_HINT in run.stderr


def read_verdicts(out: Path, students: Sequence[Student]) -> tuple[dict[str, Verdict], str]:
    """Each student's verdict on their one submitted challenge, and the isolation level the batch
    reported ('' when no report was readable)."""
    verdicts: dict[str, Verdict] = {}
    level = ""
    for student in students:
        try:
            report = json.loads((out / "students" / f"{student.name}.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        level = level or str(report.get("batch", {}).get("isolation", {}).get("isolation", ""))
        for result in report["challenges"]:
            if result["id"] == student.challenge:
                verdicts[student.name] = Verdict(result["status"], result["score"], result["max_score"],
                                                 tuple(sorted(result["diagnoses"])),
                                                 float(result.get("duration", 0.0)))
    return verdicts, level


def unexpected(student: Student, verdict: Verdict | None, isolated: bool) -> str:
    """Why this verdict is not the one the student's kind calls for ('' when it is)."""
    if verdict is None:
        return "no report"
    if student.kind == "reference":
        good = verdict.status == "passed" and verdict.score == verdict.max_score
        wanted = "passed with full score"
    elif student.kind == "stub":
        good = verdict.status != "passed" and student.diagnosis in verdict.diagnoses
        wanted = f"not passed, [{student.diagnosis}]"
    elif student.kind == "mistake":
        good = student.diagnosis in verdict.diagnoses
        wanted = f"[{student.diagnosis}]"
    else:
        assert student.hostile is not None
        statuses, diagnoses = student.hostile.expected(isolated=isolated)
        good = verdict.status in statuses and (not diagnoses or bool(set(diagnoses) & set(verdict.diagnoses)))
        wanted = f"{'|'.join(statuses)} [{'|'.join(diagnoses) or 'any'}]"
    return "" if good else f"expected {wanted}"


def run_batch(bench: Bench, kit: Path, class_dir: Path, out: Path, jobs: Sequence[str],
              weak: bool) -> Run:
    flags = [WEAK_HINT] if weak else []
    return bench.run_grader(kit, "batch", class_dir, "--out", out, *jobs, *flags, limit=7200)


def part_class(bench: Bench) -> None:
    kit = bench.work / "class-kit"
    kit.mkdir()
    pristine_copy(kit)  # the published stubs in challenges/, the references in solutions/
    weak = needs_weak_flag(bench, kit)
    students = choose_students(20 if bench.quick else 100, weak)
    class_dir = bench.work / "class"
    write_class(class_dir, students)
    mix = Counter(student.kind for student in students)
    say(f"grader batch on a class of {len(students)} ({', '.join(f'{n} {k}' for k, n in mix.items())}), "
        f"each submitting one challenge (started {clock()}) ...")
    if weak:
        say(f"  runs cannot get namespaces of their own here: batch runs with {WEAK_HINT}, and the "
            "hostile cases that need isolation are left out")
    runs: dict[str, Run] = {}
    verdicts: dict[str, dict[str, Verdict]] = {}
    levels: dict[str, str] = {}
    for label, jobs in (("jobs1", ["--jobs", "1"]), ("parallel", bench.jobs)):
        runs[label] = run_batch(bench, kit, class_dir, bench.work / f"class-out-{label}", jobs, weak)
        verdicts[label], levels[label] = read_verdicts(bench.work / f"class-out-{label}", students)
        shown = "--jobs 1" if label == "jobs1" else bench.parallel_label
        inside = sum(verdict.duration for verdict in verdicts[label].values())
        say(f"  batch {shown:<22} {seconds(runs[label].seconds)}  (exit {runs[label].code}, "
            f"{len(verdicts[label])} of {len(students)} reports, isolation: {levels[label] or '?'}; "
            f"the submitted runs' own durations add up to {seconds(inside)})")
        if runs[label].code != 0:
            say(tail(runs[label].stderr))
    report_class(bench, students, runs, verdicts, levels)


def report_class(bench: Bench, students: Sequence[Student], runs: dict[str, Run],
                 verdicts: dict[str, dict[str, Verdict]], levels: dict[str, str]) -> None:
    differences = []
    for student in students:
        one, side = verdicts["jobs1"].get(student.name), verdicts["parallel"].get(student.name)
        if one is None or side is None or not one.same_as(side):
            differences.append({"student": student.name, "jobs1": str(one), "parallel": str(side)})
    mismatches: dict[str, list[dict[str, str]]] = {"jobs1": [], "parallel": []}
    for label, found in verdicts.items():
        isolated = levels[label] != "weak"
        for student in students:
            why = unexpected(student, found.get(student.name), isolated)
            if why:
                mismatches[label].append({"student": student.name, "kind": student.kind,
                                          "verdict": str(found.get(student.name)), "why": why})
    print_class_counts(students, mismatches, differences)
    side_seconds = runs["parallel"].seconds
    bench.figures["class"] = {
        "students": len(students), "kinds": dict(Counter(s.kind for s in students)),
        "jobs1_seconds": runs["jobs1"].seconds, "parallel_seconds": side_seconds,
        "parallel_jobs": bench.parallel_label, "exit_codes": {k: r.code for k, r in runs.items()},
        "isolation": levels, "false_verdicts": differences, "unexpected": mismatches,
        "verdicts": {label: {name: asdict(verdict) for name, verdict in found.items()}
                     for label, found in verdicts.items()}}
    full = not bench.quick
    bench.targets.append(Target(
        f"class of {len(students)}, {bench.parallel_label}",
        f"< {CLASS_SECONDS_TARGET:.0f} s (100 students, 2 cores)", seconds(side_seconds),
        side_seconds < CLASS_SECONDS_TARGET if full else None))
    bench.targets.append(Target("class: false verdicts vs --jobs 1", "0", str(len(differences)),
                                not differences))
    bench.targets.append(Target("class: unexpected verdicts (both runs)", "0",
                                str(sum(len(found) for found in mismatches.values())),
                                not any(mismatches.values())))


def print_class_counts(students: Sequence[Student], mismatches: dict[str, list[dict[str, str]]],
                       differences: list[dict[str, str]]) -> None:
    differing = {d["student"] for d in differences}
    say(f"  {'kind':<10} {'students':>8} {'unexpected (jobs 1)':>20} {'unexpected (parallel)':>22} "
        f"{'false verdicts':>15}")
    for kind in ("reference", "stub", "mistake", "hostile"):
        names = {s.name for s in students if s.kind == kind}
        one = sum(m["student"] in names for m in mismatches["jobs1"])
        side = sum(m["student"] in names for m in mismatches["parallel"])
        say(f"  {kind:<10} {len(names):>8} {one:>20} {side:>22} {len(names & differing):>15}")
    say(f"  false verdicts vs --jobs 1: {len(differences)}")
    for difference in differences:
        say(f"    {difference['student']}: --jobs 1 {difference['jobs1']}; "
            f"side by side {difference['parallel']}")
    for label, found in mismatches.items():
        for mismatch in found:
            say(f"    unexpected ({label}) {mismatch['student']}: {mismatch['verdict']}; {mismatch['why']}")


# ---------------------------------------------------------------------------------------------
# 5. hang: a fetch_all that never awaits, and how long the grader takes to say so


SAFE_BUILTINS = {"max": max, "min": min, "sum": sum, "len": len, "list": list, "dict": dict,
                 "tuple": tuple, "sorted": sorted}


def trial_budget(test_file: Path) -> float:
    """The budget= given to the first run_trial of a challenge's tests (task seconds), evaluated
    with the module's own top-level constants."""
    tree = ast.parse(test_file.read_text(encoding="utf-8"))
    scope: dict[str, Any] = {"__builtins__": SAFE_BUILTINS}
    for node in tree.body:
        if isinstance(node, ast.Assign | ast.AnnAssign):
            try:
                exec(compile(ast.Module([node], []), str(test_file), "exec"), scope)
            except Exception:
                continue  # not a plain constant (it needs an import): not what a budget uses
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "run_trial":
            for keyword in node.keywords:
                if keyword.arg == "budget":
                    return float(eval(compile(ast.Expression(keyword.value), str(test_file), "eval"), scope))
    raise ValueError(f"{test_file}: no run_trial(..., budget=...) found")


def part_hang(bench: Bench) -> None:
    kit = bench.work / "hang-kit"
    kit.mkdir()
    pristine_copy(kit)
    (kit / "challenges" / HANG_CHALLENGE / "solution.py").write_text(HANG_SOLUTION, encoding="utf-8")
    test_file = next((kit / "challenges" / HANG_CHALLENGE).glob("test_*.py"))
    budget = trial_budget(test_file) * bench.scale
    say(f"grader check {HANG_CHALLENGE[:2]} on a fetch_all spinning in `while True: pass` "
        f"(started {clock()}) ...")
    run = bench.run_grader(kit, "check", HANG_CHALLENGE, limit=600)
    verdict = next((line.strip() for line in run.stdout.splitlines() if HANG_CHALLENGE in line),
                   last_line(run.stdout))
    diagnoses = list(dict.fromkeys(re.findall(r"\[([a-z][a-z-]*)\]", run.stdout)))
    hang_ratio = run.seconds / budget
    say(f"  wall to the verdict {seconds(run.seconds)}  trial budget {seconds(budget)}  "
        f"ratio {ratio(hang_ratio)}  (exit {run.code})")
    say(f"  verdict: {verdict}  [{', '.join(diagnoses)}]")
    bench.figures["hang"] = {"seconds": run.seconds, "budget": budget, "ratio": hang_ratio,
                             "exit_code": run.code, "verdict": verdict, "diagnoses": diagnoses}
    bench.targets.append(Target("hang: wall to verdict / trial budget", f"<= {HANG_RATIO_TARGET:.1f}x",
                                ratio(hang_ratio), hang_ratio <= HANG_RATIO_TARGET))


# ---------------------------------------------------------------------------------------------
# 6. loaded: the references and every known mistake, round after round, on a busy machine


def part_loaded(bench: Bench) -> None:
    kit = bench.work / "loaded-kit"
    kit.mkdir()
    pristine_copy(kit)
    weak = needs_weak_flag(bench, kit)
    students = [Student(f"ref-{c.id}", "reference", c.id, reference(c)) for c in CHALLENGES]
    students += [Student(f"mistake-{m.challenge.id}-{m.path.stem}", "mistake", m.challenge.id,
                         m.path, m.diagnosis) for m in known_mistakes()]
    class_dir = bench.work / "loaded-class"
    write_class(class_dir, students)
    rounds = 2 if bench.quick else bench.rounds
    say(f"grader batch {bench.parallel_label} of {len(students)} submissions (every reference and "
        f"known mistake), {rounds} rounds beside {BUSY_LOOPS} busy loops (started {clock()}) ...")
    loops = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(BUSY_LOOPS)]
    wrong: list[dict[str, str]] = []
    times: list[float] = []
    try:
        for number in range(1, rounds + 1):
            out = bench.work / f"loaded-out-{number}"
            run = run_batch(bench, kit, class_dir, out, bench.jobs, weak)
            found, level = read_verdicts(out, students)
            misses = [{"round": str(number), "student": s.name, "verdict": str(found.get(s.name)),
                       "why": why} for s in students
                      if (why := unexpected(s, found.get(s.name), level != "weak"))]
            wrong += misses
            times.append(run.seconds)
            say(f"  round {number:>2}: {seconds(run.seconds)}  (exit {run.code}, {len(found)} of "
                f"{len(students)} reports), unexpected verdicts: {len(misses)}")
            for miss in misses:
                say(f"    {miss['student']}: {miss['verdict']}; {miss['why']}")
    finally:
        for loop in loops:
            loop.kill()
            loop.wait()
    bench.figures["loaded"] = {"rounds": rounds, "submissions": len(students),
                               "busy_loops": BUSY_LOOPS, "seconds": times, "unexpected": wrong}
    bench.targets.append(Target(f"loaded: unexpected verdicts in {rounds} rounds",
                                f"0 of {rounds * len(students)}", str(len(wrong)), not wrong))


# ---------------------------------------------------------------------------------------------
# The whole run


PART_FUNCTIONS: dict[str, Callable[[Bench], None]] = {
    "plain": part_plain, "grade": part_grade, "check": part_check, "class": part_class,
    "hang": part_hang, "loaded": part_loaded}


def print_summary(bench: Bench) -> None:
    say()
    say("Summary")
    say(f"  {'target':<42} {'limit':<34} {'measured':>10}  met")
    for target in bench.targets:
        met = "n/a" if target.met is None else ("yes" if target.met else "NO")
        say(f"  {target.name:<42} {target.limit:<34} {target.measured:>10}  {met}")


def time_scale() -> float:
    return float(os.environ.get(SCALE_VARIABLE, "1"))


def parse_arguments(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--jobs", type=int, metavar="N",
                        help="jobs for the side-by-side runs (default: the grader's own default)")
    parser.add_argument("--quick", action="store_true",
                        help="a class of 20 instead of 100, one check run instead of three")
    parser.add_argument("--only", action="append", choices=PARTS, metavar="PART",
                        help=f"run only this part (repeatable): {', '.join(PARTS)}")
    parser.add_argument("--rounds", type=int, default=LOADED_ROUNDS, metavar="N",
                        help=f"rounds of the loaded part (default {LOADED_ROUNDS}; --quick: 2)")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write every figure as JSON")
    arguments = parser.parse_args(argv)
    if arguments.jobs is not None and arguments.jobs < 1:
        parser.error("--jobs must be 1 or more")
    return arguments


def main(argv: Sequence[str] | None = None) -> int:
    arguments = parse_arguments(argv)
    parts = [part for part in PARTS if part in (arguments.only or PARTS)]
    grader = grader_command()
    jobs = ["--jobs", str(arguments.jobs)] if arguments.jobs else []
    label = f"--jobs {arguments.jobs}" if arguments.jobs else f"default jobs ({default_jobs(grader)})"
    json_path = arguments.json.resolve() if arguments.json else None
    say(f"Grader benchmark: parts {', '.join(parts)}; side by side: {label}; "
        f"{os.cpu_count()} cores; time scale {time_scale():g}{'; quick' if arguments.quick else ''}")
    with tempfile.TemporaryDirectory(prefix="kit-bench-") as folder:
        bench = Bench(work=Path(folder), grader=grader, jobs=jobs, parallel_label=label,
                      quick=arguments.quick, scale=time_scale(), rounds=arguments.rounds)
        try:
            for part in parts:
                say()
                PART_FUNCTIONS[part](bench)
        finally:
            end_kept_servers(bench.runtime)
    print_summary(bench)
    if json_path is not None:
        everything = {"settings": {"parts": parts, "parallel_jobs": label, "cores": os.cpu_count(),
                                   "time_scale": bench.scale, "quick": bench.quick},
                      **bench.figures, "targets": [target.as_dict() for target in bench.targets]}
        json_path.write_text(json.dumps(everything, indent=2) + "\n", encoding="utf-8")
        say(f"\nFigures written to {json_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
