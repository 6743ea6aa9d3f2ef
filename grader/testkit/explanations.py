"""The explanation behind each diagnosis (explanations.toml beside this module), and the means to
run an explanation's example and compare what it prints with what the text says it prints.

Imports only the standard library and diagnoses; `grader explain` presents these, and the kit's
tests run every example.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
import time
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from grader.testkit.diagnoses import DIAGNOSES, Diagnosis

DATA = Path(__file__).with_name("explanations.toml")
FORMAT_VERSION = 1
KEYS = {"concept", "example", "output", "stderr", "challenges"}
TOLERANCE = 0.1  # seconds: a printed decimal may differ by one step of 0.1 (a busy machine)
_DECIMAL = re.compile(r"\d+\.\d+")


@dataclass(frozen=True)
class Explanation:
    diagnosis: Diagnosis
    concept: str
    example: str
    output: str
    stderr: tuple[str, ...]
    challenges: tuple[int, ...]

    @property
    def code(self) -> str:
        return self.diagnosis.code


@cache
def load() -> dict[str, Explanation]:
    """Every explanation, in the order of the file; a malformed entry is a bug in the kit: it raises."""
    data = tomllib.loads(DATA.read_text(encoding="utf-8"))
    if data.pop("format_version", None) != FORMAT_VERSION:
        raise ValueError(f"{DATA.name}: format_version must be {FORMAT_VERSION}")
    found = {}
    for code, entry in data.items():
        if code not in DIAGNOSES or set(entry) - KEYS or {"concept", "example", "output"} - set(entry):
            raise ValueError(f"{DATA.name}: [{code}] must name a diagnosis and have the keys "
                             f"concept, example, output (and optionally stderr, challenges)")
        found[code] = Explanation(DIAGNOSES[code], " ".join(entry["concept"].split()),
                                  entry["example"].strip("\n"), entry["output"].strip("\n"),
                                  tuple(entry.get("stderr", ())), tuple(entry.get("challenges", ())))
    return found


@dataclass(frozen=True)
class Run:
    stdout: str
    stderr: str
    returncode: int
    seconds: float


def run_example(explanation: Explanation, timeout: float = 20.0) -> Run:
    """Run the example as a script of its own, in a fresh interpreter and a temporary folder."""
    with tempfile.TemporaryDirectory(prefix="grader-explain-") as folder:
        script = Path(folder) / f"{explanation.code.replace('-', '_')}.py"
        script.write_text(explanation.example + "\n", encoding="utf-8")
        start = time.perf_counter()
        done = subprocess.run([sys.executable, str(script)], cwd=folder, capture_output=True,
                              text=True, timeout=timeout)
        return Run(done.stdout, done.stderr, done.returncode, time.perf_counter() - start)


def mismatch(explanation: Explanation, run: Run) -> str:
    """Why the run does not behave as the explanation says, or '' when it does."""
    if run.returncode != 0:
        return f"exit code {run.returncode}; stderr:\n{run.stderr}"
    expected, actual = explanation.output.splitlines(), run.stdout.rstrip("\n").splitlines()
    if len(expected) != len(actual):
        return f"printed {len(actual)} line(s), the text shows {len(expected)}:\n{run.stdout}"
    for want, got in zip(expected, actual, strict=True):
        if not line_matches(want, got):
            return f"printed {got!r} where the text shows {want!r}"
    missing = [line for line in explanation.stderr if line not in run.stderr]
    if missing:
        return f"stderr lacks {missing[0]!r}:\n{run.stderr}"
    return ""


def line_matches(want: str, got: str) -> bool:
    """Equal text, where `...` in want matches anything, `~12.5` any number (a typical value) and
    each other decimal number may differ by TOLERANCE (timings on a busy machine)."""
    pattern, numbers = "", []
    for part in re.split(r"(\.\.\.|~[\d,.]*\d|\d+\.\d+)", want):
        if part == "...":
            pattern += ".*?"
        elif part.startswith("~"):
            pattern += r"[\d,.]*\d"
        elif _DECIMAL.fullmatch(part):
            pattern += r"(\d+\.\d+)"
            numbers.append(float(part))
        else:
            pattern += re.escape(part)
    found = re.fullmatch(pattern, got)
    return found is not None and all(abs(float(value) - number) <= TOLERANCE + 1e-9
                                     for value, number in zip(found.groups(), numbers, strict=True))
