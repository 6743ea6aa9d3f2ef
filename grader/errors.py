"""One error hierarchy for the grader. Every message states the problem, then the next step.

    GraderError (click.ClickException, exit code 2: the command could not do its job)
    ├── ChallengeNotFound   an ID that names no challenge
    ├── MetadataError       a challenge.toml that is missing, malformed or inconsistent
    ├── SubmissionError     a submission folder that cannot be graded at all
    └── WeakIsolation       `grader batch` on a machine where runs cannot get their own namespaces

A failing challenge is *not* an error: it is a result, reported with exit code 1.

Imports click and nothing from the kit.
"""

from __future__ import annotations

import click


class GraderError(click.ClickException):
    exit_code = 2


class ChallengeNotFound(GraderError):
    def __init__(self, wanted: str, known: list[str]) -> None:
        listing = ", ".join(known) if known else "none"
        super().__init__(
            f"No challenge matches {wanted!r}. Known challenges: {listing}.\n"
            "Next step: run `grader list` and use a number (2), a slug (three_fetches) "
            "or a folder name (02_three_fetches)."
        )


class MetadataError(GraderError):
    def __init__(self, where: str, problem: str, fix: str) -> None:
        super().__init__(f"{where}: {problem}\nNext step: {fix}")


class SubmissionError(GraderError):
    def __init__(self, where: str, problem: str, fix: str) -> None:
        super().__init__(f"{where}: {problem}\nNext step: {fix}")


class WeakIsolation(GraderError):
    def __init__(self, level: str, reason: str) -> None:
        super().__init__(
            f"Not grading the class: the tests cannot run in namespaces of their own here ({reason}), "
            f"so each run would have only '{level}' isolation and a submission could read the kit's "
            "reference solutions or its classmates' work.\n"
            "Expected: root, or a Linux kernel allowing unprivileged user namespaces (check with "
            "`unshare -U -r -n -m -p -f true`).\n"
            "Next step: grade on such a machine, or add --allow-weak-isolation to accept the weaker "
            "isolation (docs/grading-a-class.md says what it lets through)."
        )
