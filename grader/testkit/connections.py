"""What the witness's clients saw of a learner's server, and the checks that read it.

Each client keeps a Connection: when it connected, when the first and the last answer came, when
the server closed its side, and how it ended. Times are seconds since the learner's server was
started, on the witness's clock. The checks speak of connections, clients served at once and
answers, and show a timeline of the connections when they fail.

Imports the testkit's checks, feedback and serving.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from grader.testkit import checks
from grader.testkit.feedback import Mistake
from grader.testkit.serving import Server

WIDTH = 40
MAX_ROWS = 12
MARKS = {"ok": "█", "wrong-answer": "▓", "no-answer": "░", "left-open": "▒", "cut": "░",
         "refused": "·"}


@dataclass
class Connection:
    """One client of the learner's server, as the witness's client saw it."""

    name: str
    opened_at: float | None = None        # connected
    first_answer_at: float | None = None  # the first answer arrived
    last_answer_at: float | None = None   # the last answer arrived
    closed_at: float | None = None        # the server closed its side
    sent: list[str] = field(default_factory=list)
    got: list[str] = field(default_factory=list)
    outcome: str = "refused"  # refused | ok | wrong-answer | no-answer | left-open | cut

    @property
    def answered(self) -> bool:
        return self.last_answer_at is not None


def served_at_once(connections: Iterable[Connection]) -> int:
    """The most clients whose answers were being sent at the same moment (from each one's first
    answer to its last): 1 for a server that serves one client at a time."""
    edges = sorted([(c.first_answer_at, 1) for c in connections if c.answered]  # type: ignore[misc]
                   + [(c.last_answer_at, -1) for c in connections if c.answered])
    peak = current = 0
    for _at, step in edges:
        current += step
        peak = max(peak, current)
    return peak


def render(connections: list[Connection], until: float) -> str:
    """A small Gantt chart: one row per client, from its connection to its end."""
    shown = [c for c in connections if c.opened_at is not None][:MAX_ROWS]
    if not shown:
        return "Timeline: no client could connect."
    end = max([until, *(c.closed_at or 0.0 for c in shown)]) or 1e-9
    lines = [f"Timeline of the connections (0 to {end:.2f} s; █ answered, ░ waiting, "
             "▓ wrong answer, ▒ left open):"]
    for c in shown:
        first = min(WIDTH - 1, round((c.opened_at or 0.0) / end * WIDTH))
        stop = c.closed_at if c.closed_at is not None else until
        last = max(first + 1, round(stop / end * WIDTH))
        mark = MARKS.get(c.outcome, "█")
        bar = ("·" * first + mark * (last - first) + "·" * WIDTH)[:WIDTH]
        first_answer = (f"first answer {c.first_answer_at:.2f} s" if c.first_answer_at is not None
                        else "no answer")
        lines.append(f"  {c.name:<10} |{bar}| {c.opened_at:.2f} s: {first_answer}, {c.outcome}")
    if len(connections) > len(shown):
        lines.append(f"  ... and {len(connections) - len(shown)} more clients")
    return "\n".join(lines)


# -- checks ---------------------------------------------------------------------------------------

def listening(server: Server) -> None:
    """The learner's server listened on the port it was given, and kept running until stopped."""
    if server.trial.crashed or server.trial.tampered:
        checks.finished(server.trial)  # its process died, or it tampered: nothing else counts
    if server.listened_after is None:
        if server.ended_early:
            checks.finished(server.trial)  # it raised or crashed: that is the story
            raise Mistake("not-listening", f"Your serve() returned after "
                          f"{server.trial.elapsed:.2f} s without ever listening on "
                          f"127.0.0.1:{server.port}.", "a server listening on that port until it "
                          "is cancelled")
        if server.other_ports:
            ports = ", ".join(str(p) for p in server.other_ports)
            raise Mistake("not-listening", f"Your server listened on port {ports}, but the clients "
                          f"dialled the port serve() was given, {server.port}.",
                          f"a server listening on 127.0.0.1:{server.port}")
        checks.finished(server.trial)
        raise Mistake("not-listening", f"Nothing listened on 127.0.0.1:{server.port} in the "
                      f"{server.since_start():.2f} s the clients waited after serve() started.",
                      "a server listening on the port serve() was given, within a second")
    if server.ended_early:
        checks.finished(server.trial)
        raise Mistake("not-listening", f"Your serve() returned after {server.trial.elapsed:.2f} s, "
                      "while clients were still talking to it.", "serve() to keep serving until "
                      "it is cancelled (`await server.serve_forever()`)")


def stopped_cleanly(server: Server) -> None:
    """Cancelled, the server stopped: nothing left listening, no task left running."""
    trial = server.trial
    if trial.timed_out or trial.crashed:
        checks.finished(trial)
    if server.left_listening:
        ports = ", ".join(str(p) for p in server.left_listening)
        raise Mistake("left-listening", f"Once your serve() was cancelled, port {ports} was still "
                      "listening.", "the server closed when serve() is cancelled",
                      "Keep the server in `async with server:` (or close it in a `finally:`), so "
                      "cancelling serve() closes the listening socket.")
    checks.no_leftovers(trial)
