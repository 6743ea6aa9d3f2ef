"""The sandbox's promises, as root and as a plain user: what a run sees, reads, reaches and leaves.

- a run sees only its own processes, a loopback interface and an allow-list of the file system,
  has no capabilities and cannot signal a witness outside it, which can read its /proc files;
- a submission that is (or passes through) a link, a FIFO or /proc/self/mem is refused, unread;
- a classmate's running solution cannot be copied; scratch folders are private;
- trees no depth or permission can keep from being deleted; stale scratch never stops a batch;
- `grader batch` refuses weak isolation unless told, and says why once;
- the hostile corpus's isolation cases, again as a plain user (tests/plain_user.py).
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from grader import catalog, sandbox
from grader.model import Status
from grader.run import run_challenge
from grader.sandbox import files, linux, rootfs

KIT = Path(__file__).resolve().parent.parent
GRADER = str(Path(sys.executable).parent / "grader")
PLAIN_UID = "4242"  # no account uses it here; tests/plain_user.py gives it a home of its own
THREE = catalog.load(KIT / "challenges" / "02_three_fetches")
REFERENCE = KIT / "solutions" / "02_three_fetches.py"
needs_root = pytest.mark.skipif(os.geteuid() != 0, reason="switching to a plain user needs root")
needs_namespaces = pytest.mark.skipif(sandbox.isolation().level != sandbox.NAMESPACES,
                                      reason="this machine gives runs no namespaces of their own")


SYSTEM_TOPS = {"dev", "etc", "lib", "lib32", "lib64", "proc", "tmp", "usr"}


def _interpreter_tops() -> set[str]:
    """Where this interpreter and its packages live (/work here, the clone's folder in CI): the
    only top-level names a run may see beyond the system's."""
    return {path.split("/")[1] for path in rootfs.interpreter_paths()}


def _as(user: str, command: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
    prefix = [sys.executable, "-m", "tests.plain_user", PLAIN_UID, "--"] if user == "plain" else []
    return subprocess.run([*prefix, *command], cwd=KIT, capture_output=True, text=True, timeout=600,
                          **kwargs)  # type: ignore[call-overload]


@needs_namespaces
@pytest.mark.parametrize("user", ["root", pytest.param("plain", marks=needs_root)])
def test_a_run_sees_only_itself_and_a_witness_sees_it(user: str) -> None:
    done = _as(user, [sys.executable, "-m", "tests.isolation_probe"])
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    inside = found["inside"]
    assert found["level"] == sandbox.NAMESPACES and found["returncode"] == 0, found["output"]
    assert inside["processes"] == [1, 2], "a run sees its init and itself, nothing else"
    assert inside["interfaces"] == ["lo"] and inside["cap_eff"] == "0" * 16
    assert inside["sees_kit"] is False and inside["signals_witness"] is False
    assert set(inside["root"]) <= SYSTEM_TOPS | _interpreter_tops(), inside["root"]
    assert inside["uid"] == found["run_uid"] and (user == "plain") == (inside["uid"] == int(PLAIN_UID))
    assert found["stat_readable"] and found["syscall_readable"], "the witness must read the run's threads"


@pytest.mark.parametrize("kind", ["reference", "secret", "proc-mem", "fifo", "folder"])
def test_links_fifos_and_special_files_are_refused_unread(kind: str, tmp_path: Path) -> None:
    student = tmp_path / "student"
    folder = student / "challenges" / THREE.id
    folder.mkdir(parents=True)
    solution = folder / "solution.py"
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-LINE\n")
    if kind == "reference":
        solution.symlink_to(REFERENCE)
    elif kind == "secret":
        solution.symlink_to(secret)
    elif kind == "proc-mem":
        solution.symlink_to("/proc/self/mem")
    elif kind == "fifo":
        os.mkfifo(solution)
    else:  # the challenge's folder is a link to a folder holding a reference named solution.py
        elsewhere = tmp_path / "elsewhere"
        elsewhere.mkdir()
        (elsewhere / "solution.py").write_bytes(REFERENCE.read_bytes())
        folder.rmdir()
        folder.symlink_to(elsewhere)
    result = run_challenge(THREE, solution, root=student)
    assert result.status is Status.ERROR and result.score == 0, result.reason
    assert "Not graded" in result.reason and "Next step" in result.reason, result.reason
    assert ("symbolic link" in result.reason) == (kind != "fifo"), result.reason
    assert "TOP-SECRET" not in result.reason + result.output


def test_grade_refuses_a_solutions_folder_of_links_and_still_reports(tmp_path: Path) -> None:
    """`grader grade` once scored a link to the reference 10/10 and crashed on /proc/self/mem."""
    (tmp_path / "01_first_coroutine.py").symlink_to("/proc/self/mem")
    (tmp_path / "02_three_fetches.py").symlink_to(REFERENCE)
    done = subprocess.run([GRADER, "grade", "--solutions", str(tmp_path), "-c", "1", "-c", "2",
                           "--format", "json"], cwd=KIT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 1, done.stderr
    report = json.loads(done.stdout)
    assert report["score"] == 0 and all("symbolic link" in json.dumps(c) for c in report["challenges"])


def test_proc_reads_say_who_a_process_is_and_when_it_is_gone() -> None:
    """The sweeps decide what to kill from these reads: each field must be the process's own."""
    child = subprocess.Popen([sys.executable, "-c", "pass"],
                             env={**os.environ, "GRADER_MARK": "swept-1"})
    while (proc := linux._read(child.pid)) is not None and not proc.zombie:
        pass  # until the child has exited (a zombie until it is waited for)
    me = linux._read(os.getpid())
    assert me is not None and (me.ppid, me.uid, me.pgid, me.sid) == (
        os.getppid(), os.getuid(), os.getpgid(0), os.getsid(0))
    assert me.threads == len(os.listdir("/proc/self/task")) and me.rss > 0 and not me.zombie
    assert proc is not None and proc.zombie and proc.ppid == os.getpid()
    assert linux.started(child.pid) >= linux.started(os.getpid())
    child.wait()
    assert linux._read(child.pid) is None and linux.started(child.pid) == 0
    assert linux.carries(os.getpid(), b"PATH=") and not linux.carries(os.getpid(), b"GRADER_MARK=")


def test_scratch_folders_are_private() -> None:
    plain, grouped = files.make_scratch(), files.make_scratch(gid=4242)
    try:
        assert stat.S_IMODE(plain.stat().st_mode) == 0o700
        assert stat.S_IMODE(grouped.stat().st_mode) == 0o750 and grouped.stat().st_gid == 4242
    finally:
        assert files.remove_tree(plain) and files.remove_tree(grouped)


@needs_namespaces
def test_a_classmate_cannot_copy_a_running_solution(tmp_path: Path) -> None:
    """Two runs at once (as `grader batch --jobs 2` makes them): the copycat finds nothing."""
    classmate = tmp_path / "classmate.py"
    classmate.write_text(REFERENCE.read_text() + "\nimport time\n\ntime.sleep(2)\n")
    copycat = KIT / "tests" / "hostile" / "copy_classmate.py"
    with ThreadPoolExecutor(2) as pool:
        honest = pool.submit(run_challenge, THREE, classmate)
        copied = pool.submit(run_challenge, THREE, copycat)
        assert honest.result().status is Status.PASSED, honest.result().reason
        result = copied.result()
    assert result.status is Status.FAILED and "sequential" in result.diagnoses, result.reason


def _locked_deep_tree(top: Path, depth: int = 1500) -> None:
    top.mkdir()
    fd = os.open(top, os.O_RDONLY)
    for _ in range(depth):
        os.mkdir("d", dir_fd=fd)
        inner = os.open("d", os.O_RDONLY, dir_fd=fd)
        os.close(fd)
        fd = inner
    os.close(os.open("file", os.O_CREAT | os.O_WRONLY, 0o600, dir_fd=fd))
    os.fchmod(fd, 0)
    os.close(fd)
    (top / "d").chmod(0)
    os.symlink("/etc", top / "link-out")  # never followed
    top.chmod(0)


def test_deep_and_locked_trees_are_deleted_and_nothing_else_is_touched(tmp_path: Path) -> None:
    parent = tmp_path / "parent"
    parent.mkdir(mode=0o755)
    _locked_deep_tree(parent / "tree")
    assert files.remove_tree(parent / "tree")
    assert not (parent / "tree").exists() and stat.S_IMODE(parent.stat().st_mode) == 0o755
    assert Path("/etc/passwd").exists()


def test_stale_scratch_from_a_crashed_grader_never_stops_a_later_one(tmp_path: Path) -> None:
    stale = files.make_scratch()
    (stale / files.OWNER_FILE).write_text("999999999 1\n")  # a pid no process has
    _locked_deep_tree(stale / "home")
    assert str(stale) in files.remove_stale_scratch()
    assert not stale.exists()


def _class_of_one(root: Path) -> Path:
    student = root / "class" / "alice" / "challenges" / "01_first_coroutine"
    student.mkdir(parents=True)
    (student / "solution.py").write_bytes((KIT / "solutions" / "01_first_coroutine.py").read_bytes())
    return root / "class"


def test_batch_refuses_weak_isolation_unless_told(tmp_path: Path) -> None:
    env = {**os.environ, sandbox.SWITCH_VARIABLE: "weak"}
    command = [GRADER, "batch", str(_class_of_one(tmp_path)), "--out", str(tmp_path / "out"), "1"]
    refused = subprocess.run(command, cwd=KIT, capture_output=True, text=True, timeout=300, env=env)
    assert refused.returncode == 2, refused.stderr
    assert "Not grading the class" in refused.stderr and "--allow-weak-isolation" in refused.stderr
    assert "Next step" in refused.stderr and not (tmp_path / "out").exists()
    assert refused.stderr.count("cannot run in namespaces of their own") == 2  # the note, the refusal
    allowed = subprocess.run([*command, "--allow-weak-isolation"], cwd=KIT, capture_output=True,
                             text=True, timeout=300, env=env)
    assert allowed.returncode == 0, allowed.stderr
    assert allowed.stderr.count("cannot run in namespaces of their own") == 1
    assert "alice" in (tmp_path / "out" / "gradebook.csv").read_text()


ISOLATION_CASES = ("kill_grader", "rewrite_kit_tests", "read_reference", "read_other_kit_copy",
                   "copy_classmate", "sysv_shared_memory", "litter_everywhere", "deep_folders",
                   "kill_keeper_leave_daemon", "daemon", "network", "kill_parent", "fork_bomb")


@needs_root
@needs_namespaces
def test_the_hostile_cases_as_a_plain_user() -> None:
    """The same verdicts, nothing read, reached or left, when the grader is not root."""
    chosen = f"test_hostile_case and not own_user and ({' or '.join(ISOLATION_CASES)})"
    done = _as("plain", [sys.executable, "-m", "pytest", "tests/test_hostile.py", "-q", "-k", chosen],
               env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"})
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert f"{len(ISOLATION_CASES)} passed" in done.stdout, done.stdout[-2000:]


def test_a_learner_checking_their_own_code_is_not_warned() -> None:
    env = {**os.environ, sandbox.SWITCH_VARIABLE: "weak"}
    done = subprocess.run([GRADER, "check", "1"], cwd=KIT, capture_output=True, text=True,
                          timeout=300, env=env)
    assert "cannot run in namespaces of their own" not in done.stdout + done.stderr
