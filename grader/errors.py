"""One error hierarchy for the grader. Every message states the problem, then the next step.

    GraderError (click.ClickException, exit code 2: the command could not do its job)
    ├── ChallengeNotFound   an ID that names no challenge
    ├── MetadataError       a challenge.toml that is missing, malformed or inconsistent
    └── SubmissionError     a submission folder that cannot be graded at all

A failing challenge is *not* an error: it is a result, reported with exit code 1.
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
