"""What challenge tests import: fake services, trials, the timing band, checks and Mistake.

A typical timing test:

    trial = run_trial(lambda kit: fetch_all(kit.service("fetch", 1.0), URLS), budget=5,
                      band=band(ideal=1, wrong=3))
    checks.finished(trial)
    checks.concurrent(trial, trial.service("fetch"), at_least=3)

Imports its own modules only, each when a name from it is first asked for (PEP 562): the `grader`
command needs only the clock and the diagnoses, and starts faster for not loading the rest.
"""

from __future__ import annotations

import importlib
from typing import Any

_FROM = {
    "now": "clock", "scaled": "clock", "time_scale": "clock",
    "DIAGNOSES": "diagnoses", "Diagnosis": "diagnoses",
    "Mistake": "feedback", "explain_exception": "feedback",
    "load_solution": "loader", "require": "loader",
    "Call": "services", "Event": "services", "FakeService": "services", "Recorder": "services",
    "render_timeline": "timeline",
    "Band": "timing", "Verdict": "timing", "band": "timing",
    "Attempt": "trial", "Trial": "trial", "run_trial": "trial",
}
_RENAMED = {"render_timeline": "render"}
_SUBMODULES = ("blocking", "checks", "lifecycle", "ordering", "source")

__all__ = sorted([*_FROM, *_SUBMODULES])


def __getattr__(name: str) -> Any:
    if name in _SUBMODULES:
        return importlib.import_module(f"{__name__}.{name}")
    if name in _FROM:
        module = importlib.import_module(f"{__name__}.{_FROM[name]}")
        return getattr(module, _RENAMED.get(name, name))
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
