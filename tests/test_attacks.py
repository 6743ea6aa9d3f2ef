"""The red-team corpus: tests/attacks/<id>/<name>.py, each a solution written by a student who has
read every line of the kit, graded by the real grader beside its honest counterpart.

Each attack's docstring names, in `key: value` lines,
    honest: <kit-relative path>   the honest solution doing the same real work (stub, mistake, reference)
    attack: <class>               writing-evidence, reading-answers, lying-in-testimony, time,
                                  process-games or cancellation
    wins: <why>                   (optional) a known win, kept as strict xfail until the kit is fixed
For every attack: (1) it scores no more than its honest counterpart, (2) the result names what
happened (a diagnosis), (3) the grader did not crash, and it left no process running and no file of
the sandbox's uid behind. Honest runs are graded once per path and shared.

Run alone with `python -m pytest tests/test_attacks.py -m redteam`.
"""

from __future__ import annotations

import functools
import os
import pwd
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from grader import catalog, forkserver
from grader.model import ChallengeResult, Status
from grader.run import run_challenge
from grader.sandbox import files as sandbox_files
from grader.sandbox import linux

pytestmark = pytest.mark.redteam

KIT = Path(__file__).resolve().parent.parent
ATTACKS = KIT / "tests" / "attacks"
CLASSES = {"writing-evidence", "reading-answers", "lying-in-testimony", "time", "process-games",
           "cancellation"}
FIELD = re.compile(r"^(?P<key>honest|attack|wins):[ \t]*(?P<value>.+)$", re.MULTILINE)


@dataclass(frozen=True)
class Attack:
    path: Path
    challenge: catalog.Challenge
    honest: Path
    kind: str
    wins: str

    @property
    def id(self) -> str:
        return f"{self.challenge.id}/{self.path.stem}"


def _load(path: Path) -> Attack:
    doc = path.read_text(encoding="utf-8").split('"""')[1]
    fields = {m["key"]: m["value"].strip() for m in FIELD.finditer(doc)}
    if "honest" not in fields or "attack" not in fields:
        raise ValueError(f"{path}: the docstring needs `honest:` and `attack:` lines")
    return Attack(path, catalog.load(KIT / "challenges" / path.parent.name), KIT / fields["honest"],
                  fields["attack"], fields.get("wins", ""))


ALL = [_load(p) for p in sorted(ATTACKS.glob("*/*.py"))]


def _case(attack: Attack) -> object:
    marks = [pytest.mark.xfail(strict=True, reason=attack.wins)] if attack.wins else []
    return pytest.param(attack, id=attack.id, marks=marks)


@functools.cache
def _graded(challenge_dir: Path, path: Path) -> ChallengeResult:
    return run_challenge(catalog.load(challenge_dir), path)


def _explain(result: ChallengeResult) -> str:
    lines = [f"{result.id}: {result.status} {result.score}/{result.max_score} {result.diagnoses} "
             f"{result.reason}"]
    lines += [f"  {t.status} {t.score}/{t.max_score} {t.name} [{t.diagnosis}] {t.message[:300]}"
              for t in result.tests]
    return "\n".join(lines) + "\n" + result.output[-1500:]


def _sandbox_leftovers() -> list[str]:
    """Files in the shared temporary folders owned by a uid with no account: a sandbox's (the hostile
    corpus, which may run meanwhile, marks its own litter `grader-hostile-`)."""
    found = []
    for root in sandbox_files.TEMP_ROOTS:
        try:
            entries = list(os.scandir(root))
        except OSError:
            continue
        for entry in entries:
            if entry.name.startswith("grader-hostile"):
                continue
            try:
                uid = entry.stat(follow_symlinks=False).st_uid
                pwd.getpwuid(uid)
            except KeyError:
                found.append(entry.path)
            except OSError:
                continue
    return found


def test_the_corpus_covers_every_class_on_several_challenges() -> None:
    assert len(ALL) >= 30
    assert {a.kind for a in ALL} == CLASSES
    assert {a.challenge.id[:2] for a in ALL} >= {"02", "04", "06", "10", "12", "13", "14", "15"}
    for attack in ALL:
        assert attack.honest.is_file(), f"{attack.id}: no honest counterpart at {attack.honest}"


@pytest.mark.parametrize("attack", [_case(a) for a in ALL])
def test_attack_earns_nothing_its_honest_counterpart_would_not(attack: Attack) -> None:
    before = set(_sandbox_leftovers())
    result = run_challenge(attack.challenge, attack.path)
    honest = _graded(attack.challenge.path, attack.honest)
    print(f"{attack.id}: {result.status} {result.score}/{result.max_score} {result.diagnoses}; "
          f"honest {honest.score}/{honest.max_score} {honest.diagnoses}")

    # (3) the grader survived: a verdict, no error of the kit's own, nothing left behind
    assert result.status in set(Status), _explain(result)
    assert "kit-error" not in result.diagnoses, _explain(result)
    left = linux.descendants(os.getpid(), [p for p in linux.processes() if not p.zombie])
    assert [p for p in left if p.pid != forkserver.server_pid()] == [], "the run left processes"
    assert set(_sandbox_leftovers()) <= before, "the attack left files of its sandbox uid behind"
    # (1) no point its honest counterpart would not earn
    assert result.score <= honest.score, (
        f"attack {result.score} > honest {honest.score}\n" + _explain(result) + "\n" + _explain(honest))
    # (2) and it is named
    assert result.diagnoses, _explain(result)
