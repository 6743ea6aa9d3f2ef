"""Learner-controlled text made safe to show: in a terminal, a table cell, a CI page, a gradebook.

A test's name, message and diagnosis and whatever a solution printed come out of the learner's
process, where anything can be rewritten. Printed raw, "\\r" or an ANSI escape moves the cursor back
over a row, "\\n" starts a forged one ("02_three_fetches ... passed 10/10"), a bidi override
reverses what follows, and a lone surrogate makes the print itself fail. So every character that
controls a terminal or a layout instead of drawing a glyph is shown as its escape (`\\n`, `\\x1b`,
`\\u202e`): the learner's attempt stays visible as evidence and can no longer act.

- `one_line(text)`: a table cell or a single field; nothing may break the line.
- `lines(text)`: a multi-line message; its own line breaks (\\n, \\r\\n) and tabs stay, nothing else.
- `formula_safe(text)`: a spreadsheet cell; one line, and never read as a formula.

Workflow-command safety for GitHub Actions logs is grader/report/workflow_text.py's job.
Imports nothing from the kit.
"""

from __future__ import annotations

import unicodedata

# Other (control, format, surrogate, private use, unassigned) and the line/paragraph separators.
UNSAFE_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # OWASP's CSV injection list


class _Escapes(dict[int, "str | int"]):
    """A str.translate table built as characters are met: unsafe ones map to their escape."""

    def __init__(self, keep: str = "") -> None:
        super().__init__()
        self.keep = {ord(c) for c in keep}

    def __missing__(self, code: int) -> str | int:
        char = chr(code)
        unsafe = code not in self.keep and unicodedata.category(char) in UNSAFE_CATEGORIES
        value: str | int = char.encode("unicode_escape").decode("ascii") if unsafe else code
        self[code] = value
        return value


_ONE_LINE = _Escapes()
_LINES = _Escapes(keep="\n\t")


def one_line(text: object) -> str:
    """The text on one line, every control or invisible formatting character shown escaped."""
    return str(text).translate(_ONE_LINE)


def lines(text: object) -> str:
    """The text with its own line breaks and tabs kept; every other such character escaped."""
    return str(text).replace("\r\n", "\n").translate(_LINES)


def formula_safe(text: object) -> str:
    """A spreadsheet cell that cannot start a formula: one line, a quote before a risky start."""
    cell = one_line(text)
    return f"'{cell}" if cell.lstrip(" ").startswith(FORMULA_START) else cell
