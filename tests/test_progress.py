"""The learner's progress file: versioned, written atomically, and never a crash when unreadable."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from grader import progress
from grader.progress import Progress


def test_a_check_and_a_hint_survive_a_reload(tmp_path: Path) -> None:
    mine = Progress.load(tmp_path)
    mine.record_check("02_three_fetches", "passed", 10.0, 10.0)
    mine.record_check("03_who_greets_first", "failed", 4.0, 10.0)
    assert mine.next_hint("03_who_greets_first", 3) == 1
    mine.save()
    data = json.loads((tmp_path / ".grader" / "progress.json").read_text())
    assert data["version"] == progress.VERSION
    again = Progress.load(tmp_path)
    assert again.hints == {"03_who_greets_first": 1} and not again.notice
    assert progress.passed(tmp_path) == {"02_three_fetches"}
    assert [p.name for p in (tmp_path / ".grader").iterdir()] == ["progress.json"], "no temp left"


def test_a_file_from_before_versioning_is_read_as_it_is(tmp_path: Path) -> None:
    (tmp_path / ".grader").mkdir()
    (tmp_path / ".grader" / "progress.json").write_text(json.dumps(
        {"checks": {"01_first_coroutine": {"status": "passed", "score": 10, "max_score": 10}},
         "hints": {"01_first_coroutine": 2}}))
    loaded = Progress.load(tmp_path)
    assert loaded.passed_ids == {"01_first_coroutine"} and loaded.hints["01_first_coroutine"] == 2
    assert not loaded.notice


@pytest.mark.parametrize(("text", "said"), [
    ('{"checks": {"01_first', "not a JSON object"),  # cut off mid-write by something else
    ("[1, 2]", "not a JSON object"),
    ('{"version": 9, "checks": {}}', "version 9"),
    ('{"checks": {"01": "passed"}}', "'checks'"),
    ('{"hints": {"01": -1}}', "'hints'"),
    ("\udcff", "could not be read"),
])
def test_an_unreadable_file_is_named_kept_aside_and_replaced(tmp_path: Path, text: str,
                                                             said: str) -> None:
    folder = tmp_path / ".grader"
    folder.mkdir()
    bad = folder / "progress.json"
    bad.write_bytes(text.encode("utf-8", "surrogateescape"))
    loaded = Progress.load(tmp_path)
    assert loaded.checks == {} and loaded.hints == {}
    kept = [p for p in folder.iterdir() if p.name.startswith("progress.unreadable-")]
    assert len(kept) == 1 and kept[0].read_bytes() == text.encode("utf-8", "surrogateescape")
    assert str(bad) in loaded.notice and str(kept[0]) in loaded.notice
    if said != "not a JSON object":
        assert said in loaded.notice
    loaded.record_check("01_first_coroutine", "passed", 10, 10)
    loaded.save()
    assert Progress.load(tmp_path).passed_ids == {"01_first_coroutine"}


def test_a_read_only_folder_forgets_quietly(tmp_path: Path) -> None:
    (tmp_path / ".grader").write_text("a file where the folder should be")
    mine = Progress.load(tmp_path)
    mine.record_check("01_first_coroutine", "passed", 10, 10)
    mine.save()  # no exception: the learner's check still counts on screen
