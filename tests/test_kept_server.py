"""The warm server kept between commands (grader/kept_server.py, grader/warm_server.py): one `grader
check` after another shares it; a grader that goes away takes its children with it; the server
ends when idle; only a folder of this user's own holds its socket; a changed kit gets another."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from grader import forkserver, kept_server
from grader.sandbox import linux

KIT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux") or not forkserver.enabled(),
                                reason="a kept server needs Linux and fork")


@pytest.fixture
def room(monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A runtime folder of the test's own (short: a socket's path has at most 107 bytes); every
    kept server listening in it is ended after."""
    runtime = Path(tempfile.mkdtemp(prefix="kept-", dir="/tmp"))
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime))
    monkeypatch.setenv(kept_server.KEEP_VARIABLE, "1")
    yield runtime / "grader"
    for pid in _servers(runtime):
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)
    shutil.rmtree(runtime, ignore_errors=True)


def _servers(runtime: Path) -> list[int]:
    """The kept servers listening in runtime (by their command line)."""
    return [p.pid for p in linux.processes() if not p.zombie
            and "grader.warm_server --keep " + str(runtime) in _cmdline(p.pid)]


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace").replace("\0", " ")
    except OSError:
        return ""


def _check(kit: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "grader", "--kit", str(kit), "check", "1"],
                          cwd=kit, capture_output=True, text=True, timeout=120)


def test_one_check_after_another_shares_one_kept_server(room: Path) -> None:
    first = _check(KIT)
    servers = _servers(room.parent)
    assert len(servers) == 1, (servers, first.stdout, first.stderr)
    second = _check(KIT)
    assert _servers(room.parent) == servers, "the second check found the first one's server"
    assert "Checking 01_first_coroutine" in second.stderr, second.stderr
    # A check ends at once (grader/launch.py): its exit status and all its output still arrive.
    assert first.returncode == second.returncode == 1, (first.stdout, second.stdout)
    for check in (first, second):
        assert "(2/10 points" in check.stdout, check.stdout
        assert check.stdout.rstrip().endswith("next: 01 first coroutine (`grader check 1`)."), check.stdout
    place = Path(kept_server.address(forkserver.KEPT_PRELOAD) or "")
    assert sorted(p.name for p in room.iterdir()) == [f"{place.stem}.namespaces", place.name], \
        "the socket, and the first check's probe noted beside it"


def test_a_grader_gone_takes_its_children_and_an_idle_server_ends(
        room: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(kept_server, "IDLE_SECONDS", 1.0)
    found = kept_server.find_or_start(forkserver.KEPT_PRELOAD)
    assert found is not None
    channel, pid = found
    server = forkserver._Server(channel, pid)
    key_read, key_write = os.pipe()  # a witness waits for its key on stdin: it runs until told
    null = os.open(os.devnull, os.O_RDWR)
    try:
        child = server.spawn({"module": "grader.witness.main", "argv": ["--"], "cwd": "/",
                              "env": {}, "targets": [0, 1, 2]}, [key_read, null, null])
    finally:
        os.close(key_read)
        os.close(null)
    assert Path(f"/proc/{child.pid}").exists() and child.poll() is None
    server.close()  # the grader goes away: the server stops what it started for it
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and _alive(child.pid):
        time.sleep(0.05)
    os.close(key_write)
    assert not _alive(child.pid), "the gone grader's child still runs"
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and _alive(pid):
        time.sleep(0.05)
    assert not _alive(pid), "an idle kept server ends"
    assert list(room.iterdir()) == [], "and takes its socket with it"


def test_only_a_folder_of_this_users_own_holds_the_socket(room: Path) -> None:
    room.mkdir(mode=0o755)
    room.chmod(0o755)  # others may enter: not this folder
    place = kept_server.address(forkserver.KEPT_PRELOAD)
    assert place is None or not place.startswith(str(room)), place
    room.chmod(0o700)
    place = kept_server.address(forkserver.KEPT_PRELOAD)
    assert place is not None and place.startswith(str(room) + "/"), place


def test_another_kit_or_preload_gets_another_server(room: Path) -> None:
    one = kept_server.address(forkserver.KEPT_PRELOAD)
    other = kept_server.address([*forkserver.KEPT_PRELOAD, "json"])
    assert one and other and one != other
    assert kept_server.address(forkserver.KEPT_PRELOAD) == one, "the same kit, the same server"


def test_runs_not_in_namespaces_of_their_own_leave_the_kept_server(
        room: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from grader import catalog
    from grader.model import Status
    from grader.run import run_challenge

    forkserver.stop()
    monkeypatch.setattr(forkserver, "_keep", False)
    forkserver.start_soon(keep=True)
    try:
        kept = forkserver._server
        assert kept is not None and kept.kept
        challenge = catalog.load(KIT / "challenges" / "02_three_fetches")
        result = run_challenge(challenge, KIT / "solutions" / "02_three_fetches.py",
                               drop_privileges=False)
        assert result.status is Status.PASSED, result
        assert forkserver._server is not None and not forkserver._server.kept
    finally:
        forkserver.stop()


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


def test_a_machine_without_namespaces_declines_the_kept_server_for_good(
        room: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(forkserver, "_keep", True)
    forkserver.unkeep()  # one run without namespaces (--no-sandbox style): later commands still keep
    assert kept_server.address(forkserver.KEPT_PRELOAD) is not None
    assert not list(room.glob("*.declined"))
    monkeypatch.setattr(forkserver, "_keep", True)
    forkserver.unkeep(for_good=True)  # the machine gives no run namespaces
    assert [p.suffix for p in room.iterdir()] == [".declined"]
    assert kept_server.find_or_start(forkserver.KEPT_PRELOAD) is None
    assert _servers(room.parent) == []


def test_a_check_keeping_a_server_probes_isolation_once(
        room: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(forkserver, "_keep", True)
    assert not forkserver.probed_namespaces()
    forkserver.note_namespaces()  # an earlier check's probe found namespaces
    assert forkserver.probed_namespaces()
    monkeypatch.setattr(forkserver, "_keep", False)
    assert not forkserver.probed_namespaces(), "a command keeping no server probes"
    monkeypatch.setenv(kept_server.KEEP_VARIABLE, "0")
    monkeypatch.setattr(forkserver, "_keep", True)
    assert not forkserver.probed_namespaces(), "nor one with the kept server turned off"
