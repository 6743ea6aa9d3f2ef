"""The published stubs: recognising, finding and restoring each challenge's original solution.py.

The learner edits challenges/<id>/solution.py in place, so the kit needs another way to know the
original: `grader reset` restores it and the kit's own tests grade it. The repository keeps one copy
of each stub (the one the learner edits) and challenges/stubs.toml, the SHA-256 of each (line ends
read as LF, so a Windows checkout is not an edit). The bytes come from the first of:

1. the working copy, while it still matches its fingerprint;
2. .grader/stubs/<id>.py, a copy taken (and checked against the fingerprint) whenever the grader
   sees an untouched stub: every command takes one, so a kit unpacked from a zip is covered once
   the set-up command has run;
3. the git history, any version of the file whose content matches (a learner commits their work,
   but the kit's commits still hold the original).

Nothing is trusted without its fingerprint, so a wrong file is never restored. After changing a
stub, its author runs `python -m grader.stubs` to write the new fingerprints (the kit's CI checks).

Imports grader.catalog and grader.errors.
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
import tempfile
import time
import tomllib
from dataclasses import dataclass
from pathlib import Path

from grader import catalog
from grader.catalog import Challenge
from grader.errors import GraderError

MANIFEST_NAME = "stubs.toml"
CACHE = Path(".grader") / "stubs"
BACKUPS = Path(".grader") / "backups"
HEADER = """\
# The SHA-256 of each challenge's published stub (solution.py, line ends read as LF).
# `grader reset` and the kit's own tests recognise the original stub by it once a learner has
# edited theirs. After changing a stub, run `python -m grader.stubs` to rewrite this file.
format_version = 1

[sha256]
"""


class StubUnavailable(GraderError):
    def __init__(self, challenge: Challenge, why: str) -> None:
        rel = relative(challenge)
        super().__init__(
            f"The original {rel} could not be found: {why}.\nNext step: copy {rel} from a fresh "
            f"download of the kit, or from git: `git log -- {rel}` lists its versions.")


@dataclass(frozen=True)
class Reset:
    backup: Path | None   # where the learner's own version was kept
    changed: bool         # False when solution.py already was the original


def digest(data: bytes) -> str:
    return hashlib.sha256(data.replace(b"\r\n", b"\n")).hexdigest()


def kit_of(challenge: Challenge) -> Path:
    return challenge.path.parent.parent


def relative(challenge: Challenge) -> str:
    return f"challenges/{challenge.id}/{catalog.STUB_NAME}"


def manifest(kit: Path) -> dict[str, str]:
    """Challenge id -> fingerprint of its published stub ({} when the kit has no manifest)."""
    path = catalog.challenges_dir(kit) / MANIFEST_NAME
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise GraderError(f"{path} cannot be read ({exc}).\nNext step: restore it from the kit "
                          "(`git checkout -- challenges/stubs.toml`).") from None
    table = data.get("sha256", {})
    return {str(k): str(v) for k, v in table.items()} if isinstance(table, dict) else {}


def is_original(challenge: Challenge, expected: str | None = None) -> bool:
    """True when solution.py is there and is the published stub."""
    try:
        expected = expected or manifest(kit_of(challenge)).get(challenge.id)
        return expected is not None and digest(challenge.stub.read_bytes()) == expected
    except (OSError, GraderError):
        return False


def original(challenge: Challenge) -> Path:
    """A file holding the published stub of this challenge (see the module's docstring)."""
    kit = kit_of(challenge)
    expected = manifest(kit).get(challenge.id)
    if expected is None:
        raise StubUnavailable(challenge, f"challenges/{MANIFEST_NAME} has no fingerprint for it")
    if is_original(challenge, expected):
        return challenge.stub
    cached = kit / CACHE / f"{challenge.id}.py"
    if cached.is_file() and digest(cached.read_bytes()) == expected:
        return cached
    found = _from_git(kit, relative(challenge), expected)
    if found is None:
        raise StubUnavailable(challenge, "your copy has changed, and neither the grader's saved copy "
                              "(.grader/stubs) nor the git history holds the original")
    _write(cached, found)
    return cached


def remember(challenges: list[Challenge]) -> None:
    """Keep a copy of every stub that is still the original, for `grader reset` to restore later."""
    if not challenges:
        return
    kit = kit_of(challenges[0])
    try:
        published = manifest(kit)
    except GraderError:
        return  # said by the commands that need the manifest (reset); the others go on
    for challenge in challenges:
        cached = kit / CACHE / f"{challenge.id}.py"
        if not cached.is_file() and is_original(challenge, published.get(challenge.id)):
            try:
                _write(cached, challenge.stub.read_bytes())
            except OSError:
                return  # a read-only checkout: nothing to keep, and nothing lost


def reset(challenge: Challenge) -> Reset:
    """Put the original stub back; the learner's own version goes to .grader/backups first."""
    source = original(challenge)
    if source == challenge.stub:
        return Reset(backup=None, changed=False)
    backup = None
    if challenge.stub.is_file():
        stamp = time.strftime("%Y%m%d-%H%M%S")
        backup = kit_of(challenge) / BACKUPS / f"{challenge.id}-{stamp}.py"
        n = 1
        while backup.exists():  # two resets within a second keep both versions
            n += 1
            backup = backup.with_name(f"{challenge.id}-{stamp}-{n}.py")
        _write(backup, challenge.stub.read_bytes())
    _write(challenge.stub, source.read_bytes())
    return Reset(backup=backup, changed=True)


def _from_git(kit: Path, rel: str, expected: str) -> bytes | None:
    """Any version of rel in the kit's git history whose content has the expected fingerprint."""
    if not (kit / ".git").exists():
        return None
    try:
        log = subprocess.run(["git", "-C", str(kit), "log", "--all", "--format=", "--raw",
                              "--no-abbrev", "--", rel], capture_output=True, text=True, timeout=30)
        blobs = dict.fromkeys(re.findall(r"^:\d+ \d+ [0-9a-f]+ ([0-9a-f]+) ", log.stdout, re.M))
        for blob in blobs:
            shown = subprocess.run(["git", "-C", str(kit), "cat-file", "blob", blob],
                                   capture_output=True, timeout=30)
            if shown.returncode == 0 and digest(shown.stdout) == expected:
                return shown.stdout
    except (OSError, subprocess.SubprocessError):
        return None  # no git here: the other sources are all there is
    return None


def _write(path: Path, data: bytes) -> None:
    """Write through a temporary file and a rename, so no reader sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}-", suffix=".tmp")
    with os.fdopen(fd, "wb") as out:
        out.write(data)
    os.replace(tmp, path)


def write_manifest(kit: Path) -> list[str]:
    """Fingerprint every challenge's current solution.py as its published stub (for the kit's
    authors); returns the ids whose fingerprint changed."""
    before = manifest(kit)
    after = {c.id: digest(c.stub.read_bytes()) for c in catalog.discover(kit)}
    lines = "".join(f'{cid} = "{value}"\n' for cid, value in after.items())
    _write(catalog.challenges_dir(kit) / MANIFEST_NAME, (HEADER + lines).encode("utf-8"))
    return [cid for cid in after if before.get(cid) != after[cid]]


if __name__ == "__main__":
    top = Path(sys.argv[1]) if len(sys.argv) > 1 else Path.cwd()
    changed = write_manifest(top)
    print(f"challenges/{MANIFEST_NAME}: {len(changed)} fingerprint(s) changed "
          f"{', '.join(changed) if changed else ''}".rstrip())
