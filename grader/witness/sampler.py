"""Watching the learner's event-loop thread from outside, through the kernel.

Every couple of milliseconds the witness reads /proc/<pid>/task/<pid>/syscall and schedstat of the
executor's main thread (the one running the event loop). An idle loop sits in one system call
(epoll_wait on Linux x86-64); the witness learns which by watching the executor idle before any of
the learner's code is imported. A stretch of samples outside that call is a stall: the loop could run
nothing else. schedstat says how much of the stretch the thread spent on a CPU (computing) and how
much waiting for one (the machine was busy: noise, not the learner's doing). Nothing here can be
changed by the learner's process, only lived through.

Imports the testkit's clock only.
"""

from __future__ import annotations

import collections
import itertools
import os
import platform
import threading
from dataclasses import dataclass, field
from pathlib import Path

from grader.testkit import clock

INTERVAL = 0.002  # seconds between two looks
IDLE_ENOUGH = 5   # looks finding the idle loop in one call, enough to know that call
OTHER_THREADS_EVERY = 5  # looks: the other threads are read every 10 ms
# The system calls an event loop (any selector) waits in, by machine; read from the kernel's tables.
POLLING = {"x86_64": {"7", "23", "232", "270", "271", "281", "441"},
           "aarch64": {"22", "72", "73", "441"}}.get(platform.machine(), set())
# Past this gap between two looks the witness did not see what the thread did in between (the
# machine kept the sampler itself off a CPU), unless it sat in the same call at both looks.
BLIND_GAP = 4 * INTERVAL
# The names learners may know of the calls a loop thread is most often found blocked in.
CALL_NAMES = {"x86_64": {"0": "read", "1": "write", "35": "nanosleep", "230": "clock_nanosleep",
                         "202": "futex (waiting for a lock)", "42": "connect", "43": "accept",
                         "44": "sendto", "45": "recvfrom", "61": "wait4", "-1": "a page fault"},
              "aarch64": {"63": "read", "64": "write", "101": "nanosleep",
                          "115": "clock_nanosleep", "98": "futex (waiting for a lock)",
                          "203": "connect", "202": "accept", "206": "sendto", "207": "recvfrom",
                          "260": "wait4", "-1": "a page fault"}}.get(platform.machine(), {})


@dataclass(frozen=True)
class Sample:
    at: float          # witness clock
    call: str          # the syscall number, or "running"
    run_ns: int        # total time on a CPU
    wait_ns: int       # total time runnable but waiting for a CPU


@dataclass(frozen=True)
class Stall:
    start: float
    end: float
    cpu: float        # seconds on a CPU during the stall
    waited: float     # seconds runnable but not running (the machine's load)
    calls: tuple[str, ...]
    unseen: float = 0.0  # seconds the witness could not look (its sampler kept off a CPU)

    @property
    def seconds(self) -> float:
        return self.end - self.start

    @property
    def own(self) -> float:
        """The part of the stall the learner's code is answerable for: the time the thread was
        not merely waiting for a CPU the machine gave to others, or out of the witness's sight."""
        return max(0.0, self.seconds - self.waited - self.unseen)

    def described(self) -> str:
        """What the kernel saw the thread doing, in words: "nanosleep", "futex (...)"."""
        names = [CALL_NAMES.get(c, f"system call {c}") for c in self.calls if c != "running"]
        return ", ".join(names) or "a system call"


@dataclass
class Reading:
    available: bool
    stalls: list[Stall] = field(default_factory=list)
    cpu: float = 0.0   # seconds the loop thread spent on a CPU during the reading
    other_loops: list[tuple[float, int]] = field(default_factory=list)  # (when, thread) seen polling
    # CPU seconds over time of the executor's other threads, and of each process it started.
    threads: dict[int, list[tuple[float, float]]] = field(default_factory=dict)
    children: dict[int, list[tuple[float, float]]] = field(default_factory=dict)
    started_threads: set[int] = field(default_factory=set)  # threads not the kit's own
    jobs: dict[str, list[tuple[float, float]]] = field(default_factory=dict)  # CPU under a job's name
    waiting: list[tuple[float, float]] = field(default_factory=list)  # (when, seconds waited so far)

    @property
    def longest(self) -> Stall | None:
        return max(self.stalls, key=lambda s: s.own, default=None)


def read(pid: int) -> Sample | None:
    base = Path(f"/proc/{pid}/task/{pid}")
    try:
        call = (base / "syscall").read_text().split(" ", 1)[0].strip()
        run_ns, wait_ns, *_ = (int(x) for x in (base / "schedstat").read_text().split())
    except (OSError, ValueError):
        return None
    return Sample(clock.now(), call, run_ns, wait_ns)


def polling_threads(pid: int, at: float) -> list[tuple[float, int]]:
    """The executor's threads, other than the loop's, waiting in a selector's system call: each is
    an event loop (or a selector) of its own."""
    found = []
    try:
        tids = [int(t) for t in os.listdir(f"/proc/{pid}/task") if int(t) != pid]
    except (OSError, ValueError):
        return found
    for tid in tids:
        try:
            call = Path(f"/proc/{pid}/task/{tid}/syscall").read_text().split(" ", 1)[0].strip()
        except OSError:
            continue
        if call in POLLING:
            found.append((at, tid))
    return found


_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _tasks(pid: int) -> list[int]:
    try:
        return [int(t) for t in os.listdir(f"/proc/{pid}/task")]
    except (OSError, ValueError):
        return []


def _descendants(pid: int) -> list[int]:
    found, queue = [], [pid]
    while queue and len(found) < 512:
        parent = queue.pop()
        for tid in _tasks(parent):
            try:
                kids = Path(f"/proc/{parent}/task/{tid}/children").read_text().split()
            except OSError:
                continue
            for kid in map(int, kids):
                if kid not in found:
                    found.append(kid)
                    queue.append(kid)
    return found


def _comm(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return ""


def _by_name(children: dict[int, list[tuple[float, float]]],
             names: dict[int, list[str]]) -> dict[str, list[tuple[float, float]]]:
    """CPU over time per kernel name: each step a process took between two looks counts for the
    name it had at the second look (a job names its thread while it computes)."""
    series: dict[str, list[tuple[float, float]]] = {}
    for pid, points in children.items():
        for (_a, before), (b, after), name in zip(points, points[1:], names.get(pid, [])[1:],
                                                  strict=False):
            line = series.setdefault(name, [(b, 0.0)])
            line.append((b, line[-1][1] + max(0.0, after - before)))
    return series


def _thread_cpu(pid: int, tid: int) -> float | None:
    try:
        return int(Path(f"/proc/{pid}/task/{tid}/schedstat").read_text().split()[0]) / 1e9
    except (OSError, ValueError, IndexError):
        return None


def _process_cpu(pid: int) -> float | None:
    """CPU seconds of the process's threads, to the nanosecond (schedstat; stat's ticks are 10 ms
    coarse), at least what stat counts for it and the children it reaped."""
    total = 0.0
    for tid in _tasks(pid):
        used = _thread_cpu(pid, tid)
        total += used or 0.0
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        ticks = sum(int(x) for x in fields[11:15]) / _TICKS
    except (OSError, ValueError, IndexError):
        return total or None
    return max(total, ticks)


def threads_of(pid: int) -> set[int]:
    return set(_tasks(pid))


def idle_calls(pid: int, seconds: float, enough: int = IDLE_ENOUGH) -> set[str]:
    """The system calls the executor's loop thread sits in while its loop idles: only a selector's
    (where this machine's are known). A thread caught waiting for the GIL while it idled must not
    teach the witness that a futex is idle: a loop blocked on a lock, or on pool.map, waits there.
    Looks for at most seconds; less once a selector's call has been seen `enough` times (only where
    this machine's are known: elsewhere a thread waiting for the GIL could be seen as often)."""
    seen: collections.Counter[str] = collections.Counter()
    deadline = clock.now() + seconds
    while clock.now() < deadline and not (POLLING and seen and max(seen.values()) >= enough):
        sample = read(pid)
        if sample is not None and sample.call not in ("running", "-1", "") and (
                not POLLING or sample.call in POLLING):
            seen[sample.call] += 1
        clock.real_sleep(INTERVAL)
    return {call for call, count in seen.items() if count >= max(2, sum(seen.values()) // 4)}


class Sampler:
    """Samples one thread until stopped; `stop()` returns the stalls seen."""

    def __init__(self, pid: int, idle: set[str], own_threads: set[int] | None = None) -> None:
        self.pid, self.idle = pid, idle
        self.own_threads = own_threads or {pid}
        self.samples: list[Sample] = []
        self.other_loops: list[tuple[float, int]] = []
        self.threads: dict[int, list[tuple[float, float]]] = {}
        self.children: dict[int, list[tuple[float, float]]] = {}
        self.names: dict[int, list[str]] = {}  # each child's kernel name at each look
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="grader-sampler", daemon=True)

    def start(self) -> Sampler:
        if self.idle:
            self._thread.start()
        return self

    def _run(self) -> None:
        looks = 0
        while not self._stop.is_set():
            sample = read(self.pid)
            if sample is None:
                return
            self.samples.append(sample)
            looks += 1
            if looks % OTHER_THREADS_EVERY == 0:
                self.other_loops += polling_threads(self.pid, sample.at)
                self._account(sample.at)
            self._stop.wait(INTERVAL)

    def stop(self, until: float | None = None) -> Reading:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=1)
        samples = [s for s in self.samples if until is None or s.at <= until]
        if not self.idle or len(samples) < 2:
            return Reading(available=False)
        self._account(clock.now())  # a last look, so work that just ended is counted
        return Reading(True, _stalls(samples, self.idle), (samples[-1].run_ns - samples[0].run_ns) / 1e9,
                       [(at, tid) for at, tid in self.other_loops if until is None or at <= until],
                       self.threads, self.children, set(self.threads) - self.own_threads,
                       _by_name(self.children, self.names),
                       [(x.at, (x.wait_ns - samples[0].wait_ns) / 1e9) for x in samples])

    def _account(self, at: float) -> None:
        """CPU so far of every other thread of the executor and of every process below it."""
        for tid in _tasks(self.pid):
            if tid != self.pid and (used := _thread_cpu(self.pid, tid)) is not None:
                self.threads.setdefault(tid, []).append((at, used))
        for child in _descendants(self.pid):
            if (used := _process_cpu(child)) is not None:
                self.children.setdefault(child, []).append((at, used))
                self.names.setdefault(child, []).append(_comm(child))


def used(series: dict[int, list[tuple[float, float]]], since: float) -> float:
    """CPU seconds used after `since` by the threads or processes of a series (a process first seen
    after `since` counts from zero: it was started during the reading)."""
    total = 0.0
    for points in series.values():
        first_at, first = points[0]
        total += points[-1][1] - (first if first_at <= since + 0.05 else 0.0)
    return total


def side_by_side(series: dict[int, list[tuple[float, float]]], window: float = 0.05,
                 busy: float = 0.05) -> float:
    """Seconds during which two or more of the processes were computing: each window of `window`
    seconds where at least two gained `busy` of it in CPU. Processes sharing one core by turns, or
    a busy machine's cores with many others, count too (each still gains some of every window);
    one after another do not (a waiting worker gains nothing)."""
    if not series:
        return 0.0
    start = min(p[0][0] for p in series.values())
    end = max(p[-1][0] for p in series.values())
    together: list[bool] = []
    t = start
    while t < end:
        gaining = sum(1 for points in series.values()
                      if _cpu_at(points, t + window) - _cpu_at(points, t) >= busy * window)
        together.append(gaining >= 2)
        t += window
    if not together:  # every process seen at one moment only: nothing to compare
        return 0.0
    # Only sustained overlap counts: a hand-off from one job to the next shares a window or so.
    sustained = [now and (before or after) for before, now, after
                 in zip([False, *together[:-1]], together, [*together[1:], False], strict=True)]
    return window * sum(sustained)


def _cpu_at(points: list[tuple[float, float]], at: float) -> float:
    """CPU used by `at`, interpolated between looks."""
    if at <= points[0][0]:
        return points[0][1]
    for (a, ca), (b, cb) in itertools.pairwise(points):
        if a <= at <= b:
            return ca + (cb - ca) * (at - a) / (b - a) if b > a else cb
    return points[-1][1]


def _stalls(samples: list[Sample], idle: set[str]) -> list[Stall]:
    """Each maximal stretch of samples outside the idle call, from the idle sample before it to the
    idle sample after it, less one interval on each side (the loop left and came back in between)."""
    stalls, begun = [], None
    for before, sample in itertools.pairwise(samples):
        busy = sample.call not in idle
        if busy and begun is None:
            begun = before
        elif not busy and begun is not None:
            stalls.append(_stall(begun, before, sample, samples))
            begun = None
    if begun is not None:
        stalls.append(_stall(begun, samples[-1], samples[-1], samples))
    return stalls


def _stall(first: Sample, last_busy: Sample, after: Sample, samples: list[Sample]) -> Stall:
    inside = [s for s in samples if first.at < s.at <= last_busy.at]
    start = first.at + INTERVAL / 2
    end = max(start, after.at - INTERVAL / 2)
    return Stall(start, end, cpu=(after.run_ns - first.run_ns) / 1e9,
                 waited=(after.wait_ns - first.wait_ns) / 1e9,
                 calls=tuple(dict.fromkeys(s.call for s in inside)),
                 unseen=_unseen([first, *inside, after]))


def _unseen(looks: list[Sample]) -> float:
    """Seconds between looks too far apart to say what the thread did: neither on a CPU nor waiting
    for one, it slept, and the witness cannot tell an idle loop from a blocking call. (The same
    call at both looks is taken as one call throughout.)"""
    blind = 0.0
    for a, b in itertools.pairwise(looks):
        gap = b.at - a.at
        if gap > BLIND_GAP and not (a.call == b.call and a.call != "running"):
            slept = gap - INTERVAL - (b.run_ns - a.run_ns + b.wait_ns - a.wait_ns) / 1e9
            blind += max(0.0, slept)
    return blind
