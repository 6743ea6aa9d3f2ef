"""The kit a Classroom workflow checks out: the instructor's repository and a ref that cannot drift.

actions/checkout treats a `ref` of 40 hex digits as a commit and anything else as a branch or tag
name; a short SHA ("0123abc") is therefore fetched as a branch that does not exist, and every
student push fails before grading. So `--kit-ref` accepts only:
- a full 40-hex commit SHA (the best pin: nobody can move it), or
- a tag that exists in the kit's git repository or in the template's (docs/instructors.md starts
  the assignment repository with its tag, writes the template into it, then moves the tag onto
  the commit that holds it; moving the tag is also how tests are updated during a course).
Anything else is refused with the command that gives the full SHA; when the kit's repository knows
the short SHA or branch given, the message shows its full SHA already.
Imports grader.errors only; asks the local git (never the network).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

REPO = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$")
FULL_SHA = re.compile(r"^[0-9a-fA-F]{40}$")
GIT_TIMEOUT = 10  # seconds; a local lookup


class BadPin(ValueError):
    """--kit-repo or --kit-ref cannot be used; the message says why and what to pass instead."""


@dataclass(frozen=True)
class Pin:
    repo: str
    ref: str

    def __post_init__(self) -> None:
        if not REPO.match(self.repo):
            raise BadPin(f"--kit-repo {self.repo!r} is not of the form owner/name")
        if not self.ref.strip() or self.ref.startswith("-") or any(c.isspace() for c in self.ref):
            raise BadPin(f"--kit-ref {self.ref!r} is not a commit SHA or tag name")

    @property
    def immutable(self) -> bool:
        return bool(FULL_SHA.match(self.ref))


def pin_for(repo: str, ref: str, places: list[Path]) -> Pin:
    """A Pin whose ref is a full commit SHA or a tag of one of these git folders; BadPin otherwise."""
    pin = Pin(repo, ref.lower() if FULL_SHA.match(ref) else ref)
    if pin.immutable or any(_git(place, "rev-parse", "--verify", "--quiet",
                                 f"refs/tags/{ref}^{{commit}}") for place in places):
        return pin
    full = next((sha for place in places
                 if (sha := _git(place, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"))), "")
    what = ("a short commit SHA" if re.fullmatch(r"[0-9a-fA-F]{4,39}", ref)
            else "not a tag of this kit's git repository nor of the template's")
    known = f" Here it is {full}." if full else ""
    raise BadPin(
        f"--kit-ref {ref} is {what}. The workflow's actions/checkout takes anything but a full "
        f"40-character commit SHA as a branch or tag name, so every student push would fail.{known}\n"
        f"Next step: pass the full SHA (`git rev-parse {ref}` or `git rev-parse HEAD` in the kit "
        f"prints it), or a tag that exists (`git tag v1`; docs/instructors.md, 'GitHub Classroom').")


def _git(kit: Path, *args: str) -> str:
    """git's answer in that folder, or "" when git is missing, fails or the folder is no repo."""
    git = shutil.which("git")
    if git is None or not kit.is_dir():
        return ""
    try:
        done = subprocess.run([git, "-C", str(kit), *args], capture_output=True, text=True,
                              timeout=GIT_TIMEOUT, check=False)
    except (OSError, subprocess.SubprocessError):
        return ""
    return done.stdout.strip() if done.returncode == 0 else ""
