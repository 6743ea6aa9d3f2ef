"""The network bridge: the run's init hands the witness sockets made in the run's network namespace
(grader/sandbox/relay.py), the witness checks who answers (grader/witness/bridge.py), and a learner's
server can neither reach the relay nor stop it (loopback only; no test touches the network)."""

from __future__ import annotations

import os
import socket
import tempfile
import textwrap
from pathlib import Path

import pytest

from grader.model import Status
from grader.run import run_challenge
from grader.sandbox import relay
from grader.witness import bridge
from tests.kit_cases import CHALLENGES, KIT


@pytest.fixture
def relayed() -> tuple[bridge.Bridge, str]:
    folder = tempfile.mkdtemp(prefix="relay-test-")
    path = os.path.join(folder, "relay.sock")
    thread = relay.start(relay.open_control(path), path)
    dialled = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    dialled.connect(path)
    yield bridge.Bridge(dialled, os.getpid()), path
    dialled.close()
    thread.join(timeout=2)
    os.rmdir(folder)


def test_the_relay_hands_over_listening_and_connected_sockets(relayed) -> None:  # type: ignore[no-untyped-def]
    made, _path = relayed
    with made.listen() as listener:
        port = listener.getsockname()[1]
        assert port not in made.learner_listens(), "the witness's own servers are not the learner's"
        with made.connect(port) as client:
            accepted, _ = listener.accept()
            with accepted:
                client.sendall(b"ping")
                assert accepted.recv(4) == b"ping"
    with socket.create_server(("127.0.0.1", 0)) as theirs:
        assert theirs.getsockname()[1] in made.learner_listens()


def test_the_relay_answers_one_witness_and_then_no_one(relayed) -> None:  # type: ignore[no-untyped-def]
    made, path = relayed
    made.free_port()  # the first connection is being served
    assert not os.path.exists(path), "the control socket must be gone once the witness has dialled"


def test_a_closed_port_is_refused_by_name(relayed) -> None:  # type: ignore[no-untyped-def]
    made, _path = relayed
    port = made.free_port()
    with pytest.raises(ConnectionRefusedError, match=str(port)):
        made.connect(port)


def test_the_witness_refuses_a_relay_that_is_not_the_runs_init(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    folder = tempfile.mkdtemp(prefix="relay-test-")
    path = os.path.join(folder, "relay.sock")
    thread = relay.start(relay.open_control(path), path)  # served by this process, not an init
    monkeypatch.setenv(bridge.RELAY_ENV, path)
    with pytest.raises(RuntimeError, match="not the run's init"):
        bridge.attach(os.getpid())  # our parent is not us
    thread.join(timeout=2)
    os.rmdir(folder)


def test_without_a_relay_the_learners_own_listeners_are_told_from_others() -> None:
    with socket.create_server(("127.0.0.1", 0)) as mine:
        port = mine.getsockname()[1]
        assert port in bridge._listening_of(os.getpid())
        assert port not in bridge._listening_of(os.getppid()), "another process's listener"
    assert port not in bridge._listening_of(os.getpid())


ATTACK = textwrap.dedent('''
    import os, signal, socket
    from pathlib import Path
    tried = []
    for sig in (signal.SIGKILL, signal.SIGTERM, signal.SIGSTOP):
        try:
            os.kill(1, sig)
            tried.append(f"signal {int(sig)} sent")
        except OSError as exc:
            tried.append(f"signal {sig}: {exc}")
    for path in Path("/").rglob("relay.sock"):
        try:
            socket.socket(socket.AF_UNIX).connect(str(path))
            tried.append("relay dialled")
        except OSError:
            pass
    print("attack:", "; ".join(tried))
''')


def test_a_learner_server_cannot_stop_or_reach_the_relay(tmp_path: Path) -> None:
    """The solution signals pid 1 (the init running the relay) and looks for the relay's socket on
    import, then serves correctly: full points mean the relay survived and served the witness."""
    challenge = next(c for c in CHALLENGES if c.id == "16_echo_server")
    solution = tmp_path / "solution.py"
    reference = (KIT / "solutions" / "16_echo_server.py").read_text(encoding="utf-8")
    solution.write_text(reference + ATTACK, encoding="utf-8")
    result = run_challenge(challenge, solution)
    assert result.status is Status.PASSED, result.output[-2000:]
    assert "attack: signal" in result.output, "the attack must have run"
    assert "relay dialled" not in result.output
