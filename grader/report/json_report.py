"""The JSON report (contract: DESIGN.md, version 1)."""

from __future__ import annotations

import json

from grader.model import GradeReport, to_dict


def render(report: GradeReport) -> str:
    return json.dumps(to_dict(report), indent=2, ensure_ascii=False) + "\n"
