"""Reports: each format is a pure function of the GradeReport model, in a module of its own."""

from __future__ import annotations

from collections.abc import Callable

from grader.model import GradeReport
from grader.report import json_report, terminal

Renderer = Callable[[GradeReport], str]

FORMATS: dict[str, Renderer] = {
    "table": terminal.table,
    "json": json_report.render,
}
