"""Fitting the learner's text to the terminal's width: prose wrapped between words, timeline charts
narrowed (fewer cells per bar, then shorter call labels), nothing else changed. Pure functions.

The width comes from the CLI (`shutil.get_terminal_size`, which honours COLUMNS). Timelines arrive
as text made by grader.testkit.timeline (`  label |bar| span`); the rows of one chart are narrowed
together, so their bars stay aligned.

Imports nothing from the kit.
"""

from __future__ import annotations

import re
import textwrap

ROW = re.compile(r"^(?P<indent>\s*)(?P<label>\S.*?) \|(?P<bar>[█▓░▒· ]{4,})\| (?P<span>.*)$")
# When cells are merged, the one that says most wins: an error, a cancel, a call still running,
# a call that completed, then idle time.
WEIGHT = {"▓": 5, "░": 4, "▒": 3, "█": 2, " ": 1, "·": 0}
GOOD_CELLS = 20  # below this, a bar shows too little: the labels move instead
MIN_CELLS = 10
MIN_LABEL = 8


def fit(text: str, width: int) -> str:
    """text with every line at most width characters (where words and charts allow)."""
    out: list[str] = []
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        if ROW.match(lines[i]):
            j = i
            while j < len(lines) and ROW.match(lines[j]):
                j += 1
            out += _chart(lines[i:j], width)
            i = j
        else:
            out += _wrap(lines[i], width)
            i += 1
    return "\n".join(out)


def _wrap(line: str, width: int) -> list[str]:
    if len(line) <= width:
        return [line]
    indent = line[: len(line) - len(line.lstrip())]
    return textwrap.wrap(line.strip(), width=width, initial_indent=indent,
                         subsequent_indent=indent + "  ", break_long_words=False,
                         break_on_hyphens=False) or [line]


def _chart(rows: list[str], width: int) -> list[str]:
    """The rows of one timeline, narrowed together to fit width: first fewer cells per bar (down to
    GOOD_CELLS); if the labels still leave too little room, each label goes on a line of its own
    above its bar, and the bars take the whole width."""
    parts = [m.groupdict() for m in map(ROW.match, rows) if m]
    indent = max(len(p["indent"]) for p in parts)
    label_w = max(len(p["label"]) for p in parts)
    fixed = indent + 4 + max(len(p["span"]) for p in parts)  # " |" and "| " around the bar
    cells = max(len(p["bar"]) for p in parts)
    if fixed + label_w + cells <= width:
        return rows
    if fixed + label_w + GOOD_CELLS <= width:
        return [f"{p['indent']}{p['label']:<{label_w}} |{_resample(p['bar'], width - fixed - label_w)}| "
                f"{p['span']}" for p in parts]
    cells = max(MIN_CELLS, min(cells, width - fixed - 1))
    out = []
    for p in parts:
        out.append(p["indent"] + _shorten(p["label"], max(MIN_LABEL, width - len(p["indent"]))))
        out.append(f"{p['indent']} |{_resample(p['bar'], cells)}| {p['span']}")
    return out


def _shorten(label: str, width: int) -> str:
    label = label.rstrip()
    return label if len(label) <= width else label[: width - 1] + "…"


def _resample(bar: str, cells: int) -> str:
    """bar drawn in `cells` cells: each new cell shows the weightiest of the cells it covers."""
    if cells >= len(bar):
        return bar
    out = []
    for k in range(cells):
        start, stop = k * len(bar) // cells, max((k + 1) * len(bar) // cells, k * len(bar) // cells + 1)
        out.append(max(bar[start:stop], key=lambda c: WEIGHT.get(c, 2)))
    return "".join(out)
