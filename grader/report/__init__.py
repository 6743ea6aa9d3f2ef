"""Reports: each format is a pure function of the GradeReport model, in a module of its own.

Imports grader.model and its own report modules.
"""

from __future__ import annotations

from collections.abc import Callable

from grader.model import GradeReport
from grader.report import classroom, gradescope, json_report, junit, terminal

Renderer = Callable[[GradeReport], str]

FORMATS: dict[str, Renderer] = {
    "table": terminal.table,
    "json": json_report.render,
    "junit": junit.render,
    "classroom": classroom.render,      # lines for $GITHUB_OUTPUT; the CLI writes them there
    "gradescope": gradescope.render,
}
