"""The catalog: every challenge in the kit is valid, and bad metadata gets a clear error."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from grader import catalog
from grader.errors import ChallengeNotFound, MetadataError
from tests.kit_cases import CHALLENGES, known_mistakes, reference, stub

GOOD = """format_version = 1
title = "Demo"
level = "beginner"
points = 3
summary = "A demo."
concepts = ["await"]
hints = ["one", "two"]

[timing]
min_wait = 0.5
timeout = 10

[stub]
diagnosis = "sequential"
"""


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    folder = tmp_path / "challenges" / "01_demo"
    folder.mkdir(parents=True)
    for name in ("README.md", "solution.py", "test_demo.py"):
        (folder / name).write_text("# TODO\n")
    (folder / "challenge.toml").write_text(GOOD)
    return folder


def test_a_valid_challenge_loads(demo: Path) -> None:
    (challenge,) = catalog.discover(demo.parent.parent)
    assert (challenge.id, challenge.number, challenge.slug) == ("01_demo", 1, "demo")
    assert challenge.hints == ("one", "two") and challenge.points == 3


@pytest.mark.parametrize(("edit", "complaint"), [
    (lambda t: "colour = 'red'\n" + t, "unknown key colour"),
    (lambda t: t.replace('hints = ["one", "two"]', 'hints = ["one", " "]'), "hints entry 2 is empty"),
    (lambda t: t.replace('hints = ["one", "two"]', "hints = []"), "hints must be a non-empty list"),
    (lambda t: t.replace("format_version = 1", "format_version = 2"), "upgrade the grader"),
    (lambda t: t.replace('level = "beginner"', 'level = "easy"'), "level is 'easy'"),
    (lambda t: t.replace("points = 3", "points = 0"), "points must be a positive whole number"),
    (lambda t: t.replace("timeout = 10", "timeout = 'long'"), "timing.timeout must be a number"),
    (lambda t: t.replace("[stub]", "[stub]\nsecret = 1"), "unknown key stub.secret"),
    (lambda t: t.replace('title = "Demo"', "title = ["), "not valid TOML"),
])
def test_bad_metadata_is_a_clear_error(demo: Path, edit, complaint: str) -> None:  # type: ignore[no-untyped-def]
    meta = demo / "challenge.toml"
    meta.write_text(edit(GOOD))
    with pytest.raises(MetadataError) as caught:
        catalog.discover(demo.parent.parent)
    assert complaint in str(caught.value.message)
    assert "Next step:" in caught.value.message


@pytest.mark.parametrize("missing", ["README.md", "test_demo.py", "challenge.toml"])
def test_a_missing_file_of_the_kit_is_named(demo: Path, missing: str) -> None:
    (demo / missing).unlink()
    with pytest.raises(MetadataError, match=missing.replace(".", r"\.")):
        catalog.discover(demo.parent.parent)


def test_a_missing_solution_is_the_learners_business_not_a_broken_kit(demo: Path) -> None:
    (demo / "solution.py").unlink()
    (challenge,) = catalog.discover(demo.parent.parent)
    assert not challenge.stub.exists()


def test_ids_resolve_by_folder_number_or_slug(demo: Path) -> None:
    shutil.copytree(demo, demo.parent / "02_other")
    (demo.parent / "02_other" / "test_demo.py").rename(demo.parent / "02_other" / "test_other.py")
    challenges = catalog.discover(demo.parent.parent)
    for name in ("2", "02", "other", "02_other", "challenges/02_other/"):
        assert catalog.resolve(challenges, [name])[0].id == "02_other"
    with pytest.raises(ChallengeNotFound, match="grader list"):
        catalog.resolve(challenges, ["nine"])


# -- the kit's own challenges: complete or absent ---------------------------------------------

@pytest.mark.parametrize("challenge", CHALLENGES, ids=lambda c: c.id)
def test_every_challenge_is_complete(challenge: catalog.Challenge) -> None:
    assert reference(challenge).is_file(), f"solutions/{challenge.id}.py is missing"
    assert "TODO" in stub(challenge).read_text(), "the stub must mark its edit points with TODO"
    mistakes = [m for m in known_mistakes() if m.challenge == challenge]
    assert len(mistakes) >= 2, "every challenge needs at least two known mistakes"
    assert 2 <= len(challenge.hints) <= 4
    assert challenge.stub_diagnosis in catalog_codes()
    assert all(m.diagnosis in catalog_codes() for m in mistakes)
    readme = challenge.readme.read_text()
    assert f"grader check {challenge.number}" in readme, "the README says how to check"


def test_challenges_are_numbered_without_gaps() -> None:
    assert [c.number for c in CHALLENGES] == list(range(1, len(CHALLENGES) + 1))


def catalog_codes() -> set[str]:
    from grader.testkit.diagnoses import DIAGNOSES

    return set(DIAGNOSES)
