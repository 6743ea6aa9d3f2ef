"""The published stubs: found by fingerprint from the working copy, the grader's saved copy or the
git history; restored by `grader reset` with a backup; never a wrong file."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from grader import catalog, stubs
from tests.kit_cases import CHALLENGES, KIT, pristine_copy

ONE = "02_three_fetches"
SOLVED = "async def fetch_all(fetch, urls):\n    return await asyncio.gather(*map(fetch, urls))\n"


@pytest.fixture
def kit(tmp_path: Path) -> Path:
    pristine_copy(tmp_path)
    return tmp_path


def challenge(kit: Path, cid: str = ONE) -> catalog.Challenge:
    return catalog.load(kit / "challenges" / cid)


def git(kit: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(kit), "-c", "user.name=Learner", "-c", "user.email=l@example.org",
                    *args], check=True, capture_output=True)


# -- the kit's own stubs ---------------------------------------------------------------------

def test_the_manifest_fingerprints_every_challenge() -> None:
    assert set(stubs.manifest(KIT)) == {c.id for c in CHALLENGES}


@pytest.mark.parametrize("one", CHALLENGES, ids=lambda c: c.id)
def test_every_published_stub_can_be_found(one: catalog.Challenge) -> None:
    found = stubs.original(one)
    assert stubs.digest(found.read_bytes()) == stubs.manifest(KIT)[one.id]


@pytest.mark.skipif(not os.environ.get("CI"), reason="outside CI, a learner's solved stubs are "
                    "expected here (the test above still finds every published one)")
def test_in_the_kits_ci_every_stub_is_its_published_one() -> None:
    changed = [c.id for c in CHALLENGES if not stubs.is_original(c)]
    assert not changed, (f"{changed}: the stub differs from challenges/stubs.toml. A kit author who "
                         "changed a stub runs `python -m grader.stubs` to update its fingerprint.")


# -- where the original comes from -----------------------------------------------------------

def test_an_untouched_stub_is_its_own_original(kit: Path) -> None:
    assert stubs.original(challenge(kit)) == challenge(kit).stub


def test_the_saved_copy_serves_once_the_learner_has_edited(kit: Path) -> None:
    one = challenge(kit)
    published = one.stub.read_bytes()
    stubs.remember([one])
    one.stub.write_text(SOLVED)
    found = stubs.original(one)
    assert found != one.stub and found.read_bytes() == published


def test_a_tampered_saved_copy_is_not_trusted(kit: Path) -> None:
    one = challenge(kit)
    stubs.remember([one])
    one.stub.write_text(SOLVED)
    (kit / stubs.CACHE / f"{ONE}.py").write_text(SOLVED)
    with pytest.raises(stubs.StubUnavailable, match="could not be found"):
        stubs.original(one)


def test_git_history_serves_when_the_learner_committed_their_work(kit: Path) -> None:
    one = challenge(kit)
    published = one.stub.read_bytes()
    git(kit, "init", "-q")
    git(kit, "add", "challenges")
    git(kit, "commit", "-qm", "the kit")
    one.stub.write_text(SOLVED)
    git(kit, "commit", "-qam", "solved 02")
    assert not (kit / stubs.CACHE).exists()
    assert stubs.original(one).read_bytes() == published


def test_a_zip_without_a_saved_copy_says_where_to_get_it(kit: Path) -> None:
    one = challenge(kit)
    one.stub.write_text(SOLVED)
    with pytest.raises(stubs.StubUnavailable) as caught:
        stubs.original(one)
    assert "fresh download of the kit" in caught.value.message
    assert f"challenges/{ONE}/solution.py" in caught.value.message


# -- reset -----------------------------------------------------------------------------------

def test_reset_keeps_the_learners_version_and_restores_the_original(kit: Path) -> None:
    one = challenge(kit)
    published = one.stub.read_bytes()
    stubs.remember([one])
    one.stub.write_text(SOLVED)
    done = stubs.reset(one)
    assert done.changed and one.stub.read_bytes() == published
    assert done.backup is not None and done.backup.read_text() == SOLVED
    assert done.backup.parent == kit / stubs.BACKUPS
    one.stub.write_text(SOLVED + "# again\n")
    second = stubs.reset(one)  # within the same second: both versions kept
    assert second.backup != done.backup and second.backup is not None
    assert second.backup.read_text().endswith("# again\n")


def test_reset_of_a_deleted_file_needs_no_backup(kit: Path) -> None:
    one = challenge(kit)
    stubs.remember([one])
    one.stub.unlink()
    done = stubs.reset(one)
    assert done.changed and done.backup is None and stubs.is_original(one)


def test_the_template_ships_the_published_stub_not_the_owners_work(kit: Path) -> None:
    from grader.published import kit_files

    one = challenge(kit)
    published = one.stub.read_bytes()
    stubs.remember([one])
    one.stub.write_text(SOLVED)
    shipped = dict((dest.as_posix(), src) for src, dest in kit_files(kit, [one]))
    assert shipped[f"challenges/{ONE}/solution.py"].read_bytes() == published
    assert "challenges/stubs.toml" in shipped


def test_the_authors_tool_rewrites_only_what_changed(kit: Path) -> None:
    shutil.copyfile(kit / "challenges" / stubs.MANIFEST_NAME, kit / "before.toml")
    assert stubs.write_manifest(kit) == []
    challenge(kit).stub.write_text("# TODO: a new stub\n")
    assert stubs.write_manifest(kit) == [ONE]
    assert stubs.is_original(challenge(kit))
