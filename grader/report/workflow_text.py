"""Text that is safe to print in a GitHub Actions log, however hostile the learner's values in it.

The runner reads every line of a step's output (stdout and stderr) as a possible workflow command
(actions/runner src/Runner.Worker/ActionCommandManager.cs, Runner.Common/ActionCommand.cs):
- `::name props::data` when the line, after its leading whitespace is trimmed, starts with `::`;
- the legacy `##[name props]data` anywhere in the line.
A failure message can carry the repr of a learner's value, so a solution returning
"\n::notice title=Autograding report::{...}" could forge the very annotation Classroom reads points
from. `neutralise` breaks both forms while keeping the text readable: a line that would start with
`::` gets a visible "> " in front, "##[" becomes "# #[", control and invisible formatting characters
(ANSI escapes, bidi overrides, zero-width spaces) are dropped, and every kind of line break (the
runner splits on \\r as well as \\n) becomes a plain newline.

We escape rather than wrap the output in `::stop-commands::<token>`: escaping needs no state, and a
stop-commands block whose closing line is never printed (a crash, a cut) would also silence the
reporter's own annotations.

Imports nothing from the kit.
"""

from __future__ import annotations

import re

# Everything str.splitlines treats as a line break, and more than .NET's ReadLine does.
_BREAKS = re.compile(r"\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]")
# C0/C1 controls (except tab), DEL, zero-width and bidi formatting characters, BOM, and lone
# surrogates (UTF-8 cannot carry them: the payload could not even be encoded).
_INVISIBLE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2064"
                        r"\u2066-\u2069\ufeff\ud800-\udfff]")
COMMAND_START = "::"
LEGACY_COMMAND = "##["


def neutralise(text: str) -> str:
    """The same text, except that no line of it can be read as a workflow command."""
    return "\n".join(_line(line) for line in _BREAKS.split(text))


def _line(line: str) -> str:
    line = _INVISIBLE.sub("", line)
    while LEGACY_COMMAND in line:
        line = line.replace(LEGACY_COMMAND, "# #[")
    if line.lstrip().startswith(COMMAND_START):
        line = "> " + line
    return line


def is_command(line: str) -> bool:
    """Whether the runner could take this one line as a workflow command (used by the tests too)."""
    return line.lstrip().startswith(COMMAND_START) or LEGACY_COMMAND in line
