"""The web API challenge's figures, from a run the witness could have seen: the time a request was
kept waiting besides its backends, and the requests in flight at once. Both must read the same
whatever the machine's load, so each is checked here on made-up calls."""

from __future__ import annotations

import importlib.util
from types import ModuleType

import pytest

from grader.testkit.web import Ask, Call
from tests.kit_cases import KIT


@pytest.fixture(scope="module")
def suite() -> ModuleType:
    path = KIT / "challenges" / "18_web_api" / "test_web_api.py"
    spec = importlib.util.spec_from_file_location("web_api_suite_for_figures", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class _Run:
    def __init__(self, calls: list[Call], ended: float) -> None:
        self.calls, self.ended, self.took = calls, ended, ended


def _calls(city: str, *spans: tuple[float, float | None]) -> list[Call]:
    return [Call(name, city, start, end) for name, (start, end) in zip(("a", "b", "c"), spans,
                                                                        strict=False)]


def test_backends_one_after_another_keep_a_request_waiting_no_longer(suite: ModuleType) -> None:
    together = _calls("city1", (0.1, 3.1), (0.1, 3.1), (0.1, 3.1))
    serial = _calls("city2", (0.1, 3.1), (3.1, 6.1), (6.1, 9.1))
    run = _Run(together + serial, 20.0)
    by_city = suite._calls_of(run)
    assert suite._kept_waiting(run, Ask("city1", 0.0, 3.2), by_city) == pytest.approx(0.2)
    assert suite._kept_waiting(run, Ask("city2", 0.0, 9.2), by_city) == pytest.approx(0.2)


def test_a_request_queued_before_its_backends_was_kept_waiting(suite: ModuleType) -> None:
    queued = _calls("city1", (6.0, 9.0), (6.0, 9.0), (6.0, 9.0))
    run = _Run(queued, 20.0)
    assert suite._kept_waiting(run, Ask("city1", 0.0, 9.1), suite._calls_of(run)) == \
        pytest.approx(6.1)


def test_calls_cut_off_when_the_clients_stopped_count_only_until_then(suite: ModuleType) -> None:
    # Forty at a time (a thread pool): the last round is cut off when the clients stop at 20 s;
    # calls made after that (the threads going on with their requests as the backends close) were
    # not in flight while the clients waited.
    calls = [c for n in range(40) for c in _calls(f"city{n}", (0.0, 9.0))]
    calls += [c for n in range(40, 80) for c in _calls(f"city{n}", (9.0, 18.0))]
    calls += [c for n in range(80, 100) for c in _calls(f"city{n}", (18.0, None))]
    calls += [c for n in range(40, 80) for c in _calls(f"city{n}", (20.2, None))]
    assert suite._peak_requests(_Run(calls, 20.0)) == 40


def test_calls_made_again_to_cover_a_wait_in_a_queue_are_waiting_too(suite: ModuleType) -> None:
    # A server taking one request at a time, which keeps calling a backend while the request waits
    # its turn (0-6 s), then asks the three backends together (6-9 s). Only the first call to
    # each backend counts: 0-3 s and 6-9 s, so it was kept waiting 3 s (not 0).
    padding = [Call("a", "city1", start, start + 3.0) for start in (0.0, 3.0)]
    real = [Call(name, "city1", 6.0, 9.0) for name in ("a", "b", "c")]
    run = _Run(padding + real, 20.0)
    kept = suite._kept_waiting(run, Ask("city1", 0.0, 9.0), suite._calls_of(run))
    assert kept == pytest.approx(3.0)


def test_a_backend_asked_on_arrival_does_not_put_a_held_request_in_flight(suite: ModuleType) -> None:
    # A limit of forty requests at a time, each asking one backend the moment it arrives and the
    # other two only once the limit lets it in: forty in flight at once, not a hundred.
    calls = [Call("a", f"city{n}", 0.0, 3.0) for n in range(100)]
    for n in range(100):
        turn = 3.0 * (n // 40)
        calls += [Call(name, f"city{n}", turn, turn + 3.0) for name in ("b", "c")]
    assert suite._peak_requests(_Run(calls, 20.0)) == 40
    together = [c for n in range(100) for c in _calls(f"city{n}", (0.0, 3.0), (0.0, 3.0), (0.0, 3.0))]
    assert suite._peak_requests(_Run(together, 20.0)) == 100
    serial = [c for n in range(100) for c in _calls(f"city{n}", (0.0, 3.0), (3.0, 6.0), (6.0, 9.0))]
    assert suite._peak_requests(_Run(serial, 20.0)) == 100, "one after another is the second test's"
