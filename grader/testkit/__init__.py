"""What challenge tests import: fake services, trials, the timing band, checks and Mistake.

A typical timing test:

    trial = run_trial(lambda kit: fetch_all(kit.service("fetch", 1.0), URLS), budget=5,
                      band=band(ideal=1, wrong=3))
    checks.finished(trial)
    checks.concurrent(trial, trial.service("fetch"), at_least=3)

Imports its own modules only.
"""

from __future__ import annotations

from grader.testkit import blocking, checks, lifecycle, ordering, source
from grader.testkit.clock import now, scaled, time_scale
from grader.testkit.diagnoses import DIAGNOSES, Diagnosis
from grader.testkit.feedback import Mistake, explain_exception
from grader.testkit.loader import load_solution, require
from grader.testkit.services import Call, Event, FakeService, Recorder
from grader.testkit.timeline import render as render_timeline
from grader.testkit.timing import Band, Verdict, band
from grader.testkit.trial import Attempt, Trial, run_trial

__all__ = [
    "DIAGNOSES", "Attempt", "Band", "Call", "Diagnosis", "Event", "FakeService", "Mistake", "Recorder",
    "Trial",
    "Verdict", "band", "blocking", "checks", "explain_exception", "lifecycle", "load_solution", "now",
    "ordering", "render_timeline", "require", "run_trial", "scaled", "source", "time_scale",
]
