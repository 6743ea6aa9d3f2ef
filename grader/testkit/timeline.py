"""A small text Gantt chart of the calls a fake service recorded, for failure messages.

Imports the testkit's services only.
"""

from __future__ import annotations

from collections.abc import Iterable

from grader.testkit.services import Call, FakeService

WIDTH = 40
MAX_ROWS = 24
MARKS = {"ok": "█", "error": "▓", "cancelled": "░", "running": "▒", "not started": " "}


def render(services: Iterable[FakeService], until: float | None = None) -> str:
    services = list(services)
    if not services:
        return ""  # a scenario without fake services (callbacks only): nothing to chart
    rows = [(svc.name, call) for svc in services for call in svc.calls]
    if not rows:
        return "Timeline: no calls were made to the services."
    end = max([until or 0.0] + [_end(c, until) for _, c in rows]) or 1e-9
    labels = [f"{name}({call.arg!r})" for name, call in rows]
    pad = min(max(len(label) for label in labels), 32)
    lines = [f"Timeline (0 to {end:.2f} s; █ ok, ▓ raised, ░ cancelled, ▒ still running):"]
    for label, (_, call) in list(zip(labels, rows, strict=True))[:MAX_ROWS]:
        lines.append(f"  {label[:pad]:<{pad}} |{_bar(call, end, until)}| {_span(call, until)}")
    if len(rows) > MAX_ROWS:
        lines.append(f"  ... and {len(rows) - MAX_ROWS} more calls")
    return "\n".join(lines)


def _end(call: Call, until: float | None) -> float:
    if call.ended_at is not None:
        return call.ended_at
    return until if until is not None else (call.started_at or call.called_at)


def _bar(call: Call, end: float, until: float | None) -> str:
    if call.started_at is None:
        return "·" * WIDTH
    first = min(WIDTH - 1, round(call.started_at / end * WIDTH))
    last = max(first + 1, round(_end(call, until) / end * WIDTH))
    mark = MARKS.get(call.outcome, "█")
    return ("·" * first + mark * (last - first) + "·" * WIDTH)[:WIDTH]


def _span(call: Call, until: float | None) -> str:
    if call.started_at is None:
        return "called, never awaited"
    stop = f"{call.ended_at:.2f} s" if call.ended_at is not None else "still running"
    return f"{call.started_at:.2f} → {stop} ({call.outcome})"
