"""A learner's server, run in the executor while the test's own clients (in the witness) talk to it.

    port = serving_port()
    with serving(lambda kit: serve(HOST, port), port=port, budget=20) as server:
        if server.wait_listening(within=3.0):
            asyncio.run(my_clients(server.bridge, port))
    server.trial          # the Trial: calls, stalls, CPU, leftovers, how it ended
    server.ended_early    # the learner's code returned (or raised) before it was stopped
    server.other_ports    # where it listened instead, when never on `port`
    server.left_listening # ports still listened on once it was stopped

The scenario runs as a trial that the witness does not wait for: it begins, the block runs, and
leaving the block stops the learner's code (cancels its task) and collects the trial. The bridge
gives real sockets on the learner's loopback (through the run's init when the run has a network of
its own; see grader/witness/bridge.py), so every connection figure is the witness's own.

Imports the testkit's clock and trial, and the witness's scenario and session.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from grader.testkit import clock
from grader.testkit.trial import Attempt, Scenario, Trial, _from_witness

POLL = 0.01  # seconds between two looks at what the learner's code listens on


@dataclass
class Server:
    """A learner's server while the witness's clients talk to it, and what was seen of it."""

    bridge: Any
    port: int
    running: Any
    listened_after: float | None = None   # seconds from the start until `port` was listened on
    other_ports: list[int] = field(default_factory=list)
    trial: Trial = field(default_factory=Trial)
    ended_early: bool = False
    left_listening: list[int] = field(default_factory=list)

    def wait_listening(self, within: float) -> bool:
        """Wait (up to `within` scaled seconds) until something listens on the port; False when the
        learner's code returned first or the time ran out (other_ports then says where it listens)."""
        started = self.running.served.started
        deadline = clock.now() + clock.scaled(within)
        while not self.running.returned:
            try:
                ports = self.bridge.learner_listens()
            except OSError:  # the run is over (its init, and the relay with it, are gone)
                break
            if self.port in ports:
                self.listened_after = clock.now() - started
                return True
            self.other_ports = ports
            if clock.now() >= deadline:
                break
            time.sleep(POLL)
        return False

    def since_start(self) -> float:
        return clock.now() - self.running.served.started


def serving_port() -> int:
    """A free port on the learner's loopback, for the learner's server to listen on."""
    from grader.witness import session

    return session.executor().bridge.free_port()


@contextmanager
def serving(scenario: Scenario, *, port: int, budget: float) -> Iterator[Server]:
    """Run scenario in the background for at most `budget` task seconds; stop it on leaving."""
    from grader.witness import scenario as scenarios
    from grader.witness import session

    kit = Attempt()
    scenarios.declare(scenario, kit)
    packed = scenarios.pack(scenario)
    executor = session.executor()
    running = executor.begin(session.next_trial(), packed, kit, clock.scaled(budget))
    server = Server(executor.bridge, port, running)
    try:
        yield server
    finally:
        served = executor.finish(running)
        trial = _from_witness(served, kit, clock.scaled(budget))
        if served.stopped_at is not None and not served.hung and trial.timed_out:
            trial.timed_out = False  # stopped because the witness was done, not for being late
            trial.elapsed = served.stopped_at - served.started
        server.trial = trial
        server.ended_early = served.stopped_at is None and (served.returned_at is not None
                                                            or bool(served.gone))
        if not executor.dead:
            with contextlib.suppress(OSError):
                server.left_listening = executor.bridge.learner_listens()
