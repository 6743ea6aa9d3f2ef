"""The warm start (grader/forkserver.py): a run forked from the warm server and one started as a
fresh interpreter (GRADER_WARM=0) give the same verdicts; the server leaves no child behind a run
and ends when told; a process forked from the grader does not reuse the grader's server."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from grader import catalog, forkserver
from grader.model import Status
from grader.run import run_challenge
from grader.sandbox import linux

KIT = Path(__file__).resolve().parent.parent
THREE = catalog.load(KIT / "challenges" / "02_three_fetches")


@pytest.mark.parametrize("warm", ["1", "0"])
def test_warm_and_cold_runs_agree(warm: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(forkserver.WARM_VARIABLE, warm)
    reference = run_challenge(THREE, KIT / "solutions" / "02_three_fetches.py")
    stub = run_challenge(THREE, KIT / "tests" / "mistakes" / "02_three_fetches" / "await_in_loop.py")
    assert reference.status is Status.PASSED and reference.score == reference.max_score, reference
    assert stub.status is Status.FAILED and "sequential" in stub.diagnoses, stub
    # The kit's plugins, preloaded, are registered as they are: pytest has nothing to warn about.
    assert "Warning" not in reference.output, reference.output
    server = forkserver.server_pid()
    if warm == "1":
        assert server is not None
        idle = [p for p in linux.processes() if p.ppid == server and not p.zombie]
        assert idle == [], "the server keeps no child once the runs are over"


def test_the_server_ends_when_told_and_a_fork_of_the_grader_starts_its_own() -> None:
    forkserver.start_soon()
    server = forkserver.server_pid()
    assert server is not None
    pid = os.fork()
    if pid == 0:
        os._exit(0 if forkserver.server_pid() is None else 1)
    assert os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) == 0
    forkserver.stop()
    assert forkserver.server_pid() is None and not Path(f"/proc/{server}").exists()
