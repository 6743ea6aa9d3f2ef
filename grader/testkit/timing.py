"""The timing band: one tolerance policy for every wall-clock check (see shared timing notes).

    lower = ideal - 0.05 s                         (a run faster than the work itself is faked)
    upper = min(ideal + P * max(0.15 s, 25 % of ideal, 10 x noise),  halfway to the wrong answer)

`noise` is the loop's worst wake-up lag, measured once per process (for band()'s bands, when first
needed: it is measured beside the first trial, not in front of it). The halfway cap means no wrong
answer can pass however noisy the machine; the floors mean a correct answer passes under load.
Between upper and the wrong answer lies a grey zone where a trial is measured again (minimum kept).

Imports the testkit's clock only.
"""

from __future__ import annotations

import asyncio
import threading
from dataclasses import dataclass
from enum import StrEnum

from grader.testkit import clock

EARLY = 0.05
FLOOR = 0.15
RELATIVE = 0.25
NOISE_FACTOR = 10


class Verdict(StrEnum):
    TOO_FAST = "too fast"
    OK = "ok"
    GREY = "grey"       # slower than allowed, but not clearly the wrong answer: measure again
    SLOW = "slow"


@dataclass(frozen=True)
class Band:
    """Seconds a correct run takes (`ideal`) against the fastest wrong one (`wrong`), both scaled;
    noise None stands for this process's loop_noise(), read when the band is first applied."""

    ideal: float
    wrong: float
    noise: float | None = 0.0
    wrong_label: str = "one after another"

    @property
    def lower(self) -> float:
        return max(0.0, self.ideal - EARLY)

    @property
    def upper(self) -> float:
        noise = loop_noise() if self.noise is None else self.noise
        slack = clock.PLATFORM_SLACK * max(FLOOR, RELATIVE * self.ideal, NOISE_FACTOR * noise)
        return min(self.ideal + slack, self.ideal + 0.5 * (self.wrong - self.ideal))

    def verdict(self, elapsed: float) -> Verdict:
        if elapsed < self.lower:
            return Verdict.TOO_FAST
        if elapsed <= self.upper:
            return Verdict.OK
        if elapsed < self.wrong - 0.1 * (self.wrong - self.ideal):
            return Verdict.GREY
        return Verdict.SLOW

    def figures(self) -> str:
        return (f"about {self.ideal:.2f} s (accepted {self.lower:.2f}-{self.upper:.2f} s); "
                f"{self.wrong_label} takes about {self.wrong:.2f} s")


def band(ideal: float, wrong: float, wrong_label: str = "one after another") -> Band:
    """A band from task seconds (as the README states them), scaled to this run."""
    return Band(ideal=clock.scaled(ideal), wrong=clock.scaled(wrong), noise=None,
                wrong_label=wrong_label)


_noise: list[float] = []
_noise_lock = threading.Lock()


def loop_noise() -> float:
    """The worst wake-up lag of 20 short sleeps on a fresh loop: how noisy this machine is now
    (measured once per process; a caller arriving meanwhile waits for that measurement)."""
    async def probe() -> float:
        worst = 0.0
        for _ in range(20):
            due = clock.now() + 0.005
            await clock.pause(0.005)
            worst = max(worst, clock.now() - due)
        return worst

    with _noise_lock:
        if not _noise:
            with asyncio.Runner() as runner:
                _noise.append(runner.run(probe()))
        return _noise[0]


def measure_noise_soon() -> None:
    """Start measuring loop_noise() on a thread of its own, so the ~0.1 s it takes overlaps with
    whatever the caller waits for next (the solution loading, then the first trial, whose own
    waiting leaves the witness idle)."""
    if not _noise:
        threading.Thread(target=loop_noise, name="grader-noise", daemon=True).start()
