"""`grader batch` and `grader merge`, through the real command and the real grader.

A class of 30 generated students (references, stubs, known mistakes, hostile cases, missing files, a
link to the kit's reference, a submission carrying its own tests and conftest) grades into a complete
gradebook; a batch interrupted with SIGINT and then with SIGKILL finishes on the next run without
grading again what was saved. To keep CI time sane the students submit one or two challenges.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from grader import batch, gradebook, sandbox
from grader.model import ChallengeResult, GradeReport, Status
from grader.sandbox import linux
from tests.hostile_cases import HOSTILE, load
from tests.kit_cases import EXPECT, stub_of

KIT = Path(__file__).resolve().parent.parent
IDS = ("01_first_coroutine", "02_three_fetches")
GRADER = [str(Path(sys.executable).parent / "grader")]
HOSTILE_IN_CLASS = ("syntax_error", "missing_import", "os_exit_import", "forge_results", "patch_checks",
                    "daemon", "kill_parent", "await_forever")


# Finds the class folder in the grader's command line (/proc is shared) and runs a classmate's
# solution as its own. A run in namespaces of its own sees neither the grader nor the class folder.
COPYCAT = """
import glob, os
found = []
for cmdline in glob.glob("/proc/[0-9]*/cmdline"):
    try:
        args = open(cmdline, "rb").read().split(b"\\0")
    except OSError:
        continue
    if b"batch" in args[:-1]:
        folder = args[args.index(b"batch") + 1].decode()
        found += glob.glob(os.path.join(folder, "reference-*", "challenges", "02_three_fetches",
                                        "solution.py"))
if found:
    exec(open(found[0]).read())
else:
    async def fetch_all(fetch, urls):
        return [await fetch(url) for url in urls]
"""


@dataclass(frozen=True)
class Expect:
    statuses: tuple[str, ...]         # for 02_three_fetches
    diagnoses: tuple[str, ...] = ()
    first: str = "error"              # status for 01_first_coroutine ("error": not submitted)


@pytest.fixture(scope="module")
def mini_kit(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A kit holding only the two challenges graded here (others may be half-written meanwhile)."""
    kit = tmp_path_factory.mktemp("kit")
    for cid in IDS:
        shutil.copytree(KIT / "challenges" / cid, kit / "challenges" / cid)
    return kit


def _submit(student: Path, cid: str, source: Path | str) -> None:
    target = student / "challenges" / cid / "solution.py"
    target.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(source, Path):
        shutil.copyfile(source, target)
    else:
        target.write_text(source, encoding="utf-8")


def _make_class(root: Path, fresh_uid: bool) -> dict[str, Expect]:
    expected: dict[str, Expect] = {}
    reference = KIT / "solutions" / "02_three_fetches.py"
    stub = stub_of("02_three_fetches")
    first_reference = KIT / "solutions" / "01_first_coroutine.py"
    for number in range(5):
        name = f"reference-{number}"
        _submit(root / name, "02_three_fetches", reference)
        if number < 2:
            _submit(root / name, "01_first_coroutine", first_reference)
        expected[name] = Expect(("passed",), first="passed" if number < 2 else "error")
    for number in range(4):
        _submit(root / f"stub-{number}", "02_three_fetches", stub)
        expected[f"stub-{number}"] = Expect(("failed",), ("sequential",))
    for path in sorted((KIT / "tests" / "mistakes" / "02_three_fetches").glob("*.py")):
        code = EXPECT.search(path.read_text(encoding="utf-8"))
        assert code is not None
        for copy in range(2):
            _submit(root / f"mistake-{path.stem}-{copy}", "02_three_fetches", path)
            expected[f"mistake-{path.stem}-{copy}"] = Expect(("failed", "error"), (code["code"],))
    for number, case_id in enumerate(HOSTILE_IN_CLASS):
        case = load(HOSTILE / f"{case_id}.py")
        statuses, diagnoses = case.expected(fresh_uid)
        _submit(root / f"hostile-{case_id}", "02_three_fetches", case.path)
        if number < 2:  # the other challenges of a hostile submission are graded normally
            _submit(root / f"hostile-{case_id}", "01_first_coroutine", first_reference)
        expected[f"hostile-{case_id}"] = Expect(statuses, diagnoses, "passed" if number < 2 else "error")
    (root / "missing-empty").mkdir()
    (root / "missing-readme" / "challenges").mkdir(parents=True)
    (root / "missing-readme" / "README.md").write_text("I will do it tomorrow.\n")
    expected["missing-empty"] = expected["missing-readme"] = Expect(("error",), ("missing-file",))
    link = root / "link-to-reference" / "challenges" / "02_three_fetches" / "solution.py"
    link.parent.mkdir(parents=True)
    link.symlink_to(reference)
    expected["link-to-reference"] = Expect(("error",), ("missing-file",))
    own = root / "own-tests"
    _submit(own, "02_three_fetches", stub)
    (own / "challenges" / "02_three_fetches" / "test_three_fetches.py").write_text(
        "def test_everything():\n    pass\n")
    (own / "conftest.py").write_text("import pytest\n\n@pytest.hookimpl(hookwrapper=True)\n"
                                     "def pytest_runtest_makereport(item, call):\n"
                                     "    outcome = yield\n    outcome.get_result().outcome = 'passed'\n")
    (own / "grader").mkdir()
    (own / "grader" / "__init__.py").write_text("raise SystemExit('the student grader copy ran')\n")
    expected["own-tests"] = Expect(("failed",), ("sequential",))
    _submit(root / "copycat", "02_three_fetches", COPYCAT)
    expected["copycat"] = Expect(("failed",), ("sequential",)) if fresh_uid else Expect(("passed",))
    assert len(expected) == 30
    return expected


def _batch(kit: Path, class_dir: Path, out: Path, *extra: str, tmp: Path | None = None
           ) -> subprocess.Popen[str]:
    env = {**os.environ, **({"TMPDIR": str(tmp)} if tmp else {})}
    weak = [] if sandbox.isolation().strong else ["--allow-weak-isolation"]  # tested elsewhere
    return subprocess.Popen([*GRADER, "--kit", str(kit), "batch", str(class_dir), "--out", str(out),
                             *extra, *weak], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, preexec_fn=_interruptible)


def _interruptible() -> None:
    """The batch must see Ctrl-C even when these tests run in the background with SIGINT ignored
    (as `cmd &` in a script leaves it), since the test interrupts it with SIGINT."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_a_class_of_thirty_grades_into_a_complete_gradebook(mini_kit: Path, tmp_path: Path) -> None:
    expected = _make_class(tmp_path / "class", sandbox.isolation().strong)
    out = tmp_path / "out"
    process = _batch(mini_kit, tmp_path / "class", out, *IDS, "--jobs", "2", "--timeout", "10")
    _stdout, stderr = process.communicate(timeout=600)
    assert process.returncode == 0, stderr
    assert "30 students: 30 graded now, 0 kept" in stderr

    with (out / "gradebook.csv").open(newline="") as book:
        rows = {row["student"]: row for row in csv.DictReader(book)}
    assert sorted(rows) == sorted(expected)
    full = json.loads((out / "gradebook.json").read_text())
    assert full["students"] == 30 and sorted(full["reports"]) == sorted(expected)
    assert [c["id"] for c in full["challenges"]] == list(IDS)
    problems = []
    for name, want in expected.items():
        saved = json.loads((out / "students" / f"{name}.json").read_text())
        assert saved == full["reports"][name]
        results = {c["id"]: c for c in saved["challenges"]}
        second, first = results["02_three_fetches"], results["01_first_coroutine"]
        if second["status"] not in want.statuses or (
                want.diagnoses and not set(want.diagnoses) & set(second["diagnoses"])):
            problems.append(f"{name}: {second['status']} {second['diagnoses']} {second['reason']}")
        if first["status"] != want.first:
            problems.append(f"{name} (01): {first['status']} {first['reason']}")
        assert float(rows[name]["total"]) == saved["score"] == first["score"] + second["score"]
        assert float(rows[name]["02_three_fetches"]) == second["score"]
        assert rows[name]["max"] == "20"
    assert problems == []
    assert "symbolic link" in json.loads(
        (out / "students" / "link-to-reference.json").read_text())["challenges"][1]["reason"]


def _wait_for_files(folder: Path, count: int, process: subprocess.Popen[str], limit: float = 120) -> None:
    deadline = time.monotonic() + limit
    while len(list(folder.glob("*.json"))) < count:
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the batch saved too few students"
        time.sleep(0.05)


def _saved(out: Path) -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns for p in (out / "students").glob("*.json")}


def test_an_interrupted_batch_resumes_without_grading_again(mini_kit: Path, tmp_path: Path) -> None:
    class_dir, out, scratch = tmp_path / "class", tmp_path / "out", tmp_path / "scratch"
    scratch.mkdir()
    for number in range(8):
        source = (KIT / "solutions" / "02_three_fetches.py" if number % 2 else
                  stub_of("02_three_fetches"))
        _submit(class_dir / f"student-{number}", "02_three_fetches", source)

    first = _batch(mini_kit, class_dir, out, "02", tmp=scratch)
    _wait_for_files(out / "students", 2, first)
    first.send_signal(signal.SIGINT)
    _stdout, stderr = first.communicate(timeout=30)
    assert first.returncode == 130, stderr
    assert "Interrupted" in stderr
    after_first = _saved(out)
    assert 2 <= len(after_first) < 8

    second = _batch(mini_kit, class_dir, out, "02", tmp=scratch)
    _wait_for_files(out / "students", len(after_first) + 2, second)
    second.kill()
    second.communicate(timeout=30)
    after_second = _saved(out)
    assert len(after_second) < 8, "the batch finished before it could be killed"
    assert {k: after_second[k] for k in after_first} == after_first
    third = _batch(mini_kit, class_dir, out, "02", tmp=scratch)
    _stdout, stderr = third.communicate(timeout=300)
    assert third.returncode == 0, stderr
    # The killed grader's keeper cleaned up its run; a folder made just before the kill, with no
    # keeper yet, went when the next batch started.
    assert list(scratch.iterdir()) == [], "a killed batch left a scratch folder behind"
    assert not [p for p in linux.processes() if linux.carries(p.pid, str(scratch).encode())]
    assert f"8 students: {8 - len(after_second)} graded now, {len(after_second)} kept" in stderr
    final = _saved(out)
    assert len(final) == 8 and {k: final[k] for k in after_second} == after_second
    with (out / "gradebook.csv").open(newline="") as book:
        rows = list(csv.DictReader(book))
    assert [r["student"] for r in rows] == [f"student-{n}" for n in range(8)]
    assert [float(r["02_three_fetches"]) for r in rows] == [4.0, 10.0] * 4


def _report(student: str, score: float, stamp: str) -> GradeReport:
    result = ChallengeResult(id="02_three_fetches", title="Three fetches", score=score, max_score=10.0,
                             status=Status.PASSED if score == 10 else Status.FAILED)
    return GradeReport(challenges=(result,), submission=student,
                       extra={"batch": {"challenges": ["02_three_fetches"], "graded_at": stamp}})


def test_shards_are_disjoint_and_cover_the_class(tmp_path: Path) -> None:
    for number in range(11):
        (tmp_path / f"s{number:02d}").mkdir()
    (tmp_path / ".git").mkdir()
    students = batch.find_students(tmp_path)
    shards = [batch.pick_shard(students, k, 3) for k in (1, 2, 3)]
    names = [s.name for shard in shards for s in shard]
    assert sorted(names) == [f"s{n:02d}" for n in range(11)] and len(set(names)) == 11
    assert sorted(len(s) for s in shards) == [3, 4, 4]
    for bad in ("0/3", "4/3", "x", "1/0", "1-3"):
        with pytest.raises(ValueError):
            batch.parse_shard(bad)


def test_merge_joins_shards_into_one_gradebook(tmp_path: Path) -> None:
    one, two, out = tmp_path / "one", tmp_path / "two", tmp_path / "out"
    gradebook.save_student(one, "ann", _report("ann", 10, "2025-01-01T10:00:00+00:00"))
    gradebook.save_student(one, "=cmd", _report("=cmd", 4, "2025-01-01T10:00:00+00:00"))
    gradebook.save_student(two, "bob", _report("bob", 4, "2025-01-01T10:00:00+00:00"))
    gradebook.save_student(two, "ann", _report("ann", 7, "2025-01-02T10:00:00+00:00"))
    done = subprocess.run([*GRADER, "merge", str(one), str(two), "--out", str(out)],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert "ann is in more than one shard" in done.stderr
    text = (out / "gradebook.csv").read_text()
    assert text.splitlines() == ["student,total,max,02_three_fetches", "'=cmd,4,10,4", "ann,7,10,7",
                                 "bob,4,10,4"]
    assert json.loads((out / "gradebook.json").read_text())["students"] == 3
    assert (out / "students" / "bob.json").is_file()
