"""Does a question's recorded answer agree with what its snippet really does?

The kit's tests run every snippet and ask `disagreement`; a wrong key fails with the figures. The
same band decides whether a timing key holds: the kit's one tolerance policy (testkit.timing.Band),
no earlier than the waiting itself and never more than halfway to the nearest wrong choice.
Imports grader.quiz.model and runner, and grader.testkit.timing.
"""

from __future__ import annotations

from grader.quiz.model import Question
from grader.quiz.runner import Observation, run
from grader.testkit.timing import Band, loop_noise

ATTEMPTS = 3  # a timing key measured too slow is measured again (noise only ever adds time)


def band(question: Question) -> Band:
    """Where a run of an `elapsed` question may land for its key to hold."""
    ideal = float(question.answer)  # type: ignore[arg-type]
    above = [float(c) for c in question.choices if float(c) > ideal]  # type: ignore[arg-type]
    wrong = min(above) if above else ideal + max(ideal, 0.2)  # typed: the next plausible answer
    label = "the next choice" if above else "a plausible wrong answer"
    return Band(ideal=ideal, wrong=wrong, noise=loop_noise(), wrong_label=label)


def disagreement(question: Question, seen: Observation) -> str | None:
    """None when the run bears the key out; otherwise what happened against what the key says."""
    if seen.timed_out:
        return f"{question.key}: the snippet was still running after its budget; it must finish."
    if question.ask == "elapsed":
        limits = band(question)
        if limits.lower <= seen.elapsed <= limits.upper:
            return None
        return (f"{question.key}: main() took {seen.elapsed:.2f} s; the key says "
                f"{limits.figures()}.")
    fact, key = seen.fact(question), question.answer
    if fact == key:
        return None
    what = {"output": "printed", "result": "returned", "raises": "raised", "peak": "peaked at"}[question.ask]
    raised = seen.error is not None and question.ask in ("output", "peak")  # `result` says so itself
    extra = f" (it raised {seen.error!r})" if raised else ""
    return f"{question.key}: the snippet {what} {fact!r}{extra}; the key says {key!r}."


def verify(question: Question, attempts: int = ATTEMPTS) -> tuple[Observation, str | None]:
    """Run the snippet (again, up to `attempts` times, while a timing key measures slow). Returns the
    fastest run, which is the one judged (noise only adds time, as in the kit's trials), and what
    is still wrong with the key, if anything."""
    best: Observation | None = None
    for _ in range(attempts):
        seen = run(question)
        if best is None or seen.elapsed < best.elapsed:
            best = seen
        problem = disagreement(question, best)
        if problem is None or question.ask != "elapsed" or best.elapsed < band(question).lower:
            return best, problem
    assert best is not None
    return best, problem
