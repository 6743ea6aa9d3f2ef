"""The JSON report (contract: DESIGN.md, version 1). Strings are kept exactly as the run left them
(json escapes every control character); a lone surrogate, which UTF-8 cannot carry, forces \\u
escapes for the whole file so it can always be written and read back. Imports grader.model."""

from __future__ import annotations

import json

from grader.model import GradeReport, to_dict


def render(report: GradeReport) -> str:
    text = json.dumps(to_dict(report), indent=2, ensure_ascii=False) + "\n"
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = json.dumps(to_dict(report), indent=2, ensure_ascii=True) + "\n"
    return text
