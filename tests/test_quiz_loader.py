"""quiz.toml: a valid file loads; each kind of mistake in one gets a clear error naming the place."""

from __future__ import annotations

from pathlib import Path

import pytest

from grader import catalog
from grader.errors import MetadataError
from grader.quiz import loader
from grader.quiz.model import ServiceSpec
from tests.test_catalog import GOOD as CHALLENGE_TOML

QUIZ = '''format_version = 1

[[questions]]
id = "two-at-once"
ask = "elapsed"
question = "How long does main() take?"
snippet = """
import asyncio

async def main():
    await asyncio.gather(fetch("a"), fetch("b"))
"""
choices = [0.3, 0.6]
answer = 0.3
explain = "They overlap."

[questions.services.fetch]
latency = { a = 0.3, b = 0.2 }
fails = { b = "ConnectionError" }
returns = "page {arg}"

[[questions]]
id = "how-many"
ask = "peak"
question = "How many at once?"
snippet = """
import asyncio

async def main():
    await asyncio.gather(fetch("a"), fetch("b"))
"""
answer = 2
explain = "Both."

[questions.services.fetch]
latency = 0.1
'''


@pytest.fixture
def demo(tmp_path: Path) -> catalog.Challenge:
    folder = tmp_path / "challenges" / "01_demo"
    folder.mkdir(parents=True)
    for name in ("README.md", "solution.py", "test_demo.py"):
        (folder / name).write_text("# TODO\n")
    (folder / "challenge.toml").write_text(CHALLENGE_TOML)
    (folder / "quiz.toml").write_text(QUIZ)
    return catalog.load(folder)


def test_a_valid_quiz_loads(demo: catalog.Challenge) -> None:
    first, second = loader.load(demo)
    assert (first.key, first.ask, first.answer, first.choices) == ("01_demo/two-at-once", "elapsed", 0.3,
                                                                   (0.3, 0.6))
    assert first.services == (ServiceSpec("fetch", {"a": 0.3, "b": 0.2}, {"b": "ConnectionError"},
                                          "page {arg}"),)
    assert first.snippet.startswith("import asyncio\n") and first.snippet.endswith("b\"))\n")
    assert second.typed and second.service == "fetch" and second.answer == 2
    assert "takes 0.3 s for 'a', 0.2 s for 'b', then returns f'page {x}'; but fetch('b') raises " \
           "ConnectionError." in first.services[0].describe()


def test_a_challenge_without_a_quiz_has_no_questions(demo: catalog.Challenge) -> None:
    (demo.path / "quiz.toml").unlink()
    assert loader.load(demo) == []


def _swap(old: str, new: str, count: int = 1):  # type: ignore[no-untyped-def]
    def edit(text: str) -> str:
        assert old in text, old
        return text.replace(old, new, count)
    return edit


@pytest.mark.parametrize(("edit", "complaint"), [
    (_swap("format_version = 1", "format_version = 2"), "format_version is 2; this grader reads 1"),
    (_swap("format_version = 1", "format_version = 1\ncolour = 1"), "unknown key colour"),
    (lambda t: "format_version = 1\n", "there are no [[questions]]"),
    (_swap('id = "two-at-once"', 'id = "Two At Once"'), "is not lower-case words joined by -"),
    (_swap('id = "how-many"', 'id = "two-at-once"'), "the id 'two-at-once' is used twice"),
    (_swap('ask = "elapsed"', 'ask = "speed"'), "question 1 (two-at-once): ask is 'speed'"),
    (_swap('answer = 0.3', 'answer = 0.4'), "the answer 0.4 is not one of the choices"),
    (_swap('choices = [0.3, 0.6]', 'choices = [0.3, 0.3]'), "two choices are the same"),
    (_swap('choices = [0.3, 0.6]', 'choices = [0.3]'), "choices must be a list of 2 to 6 answers"),
    (_swap('answer = 0.3', 'answer = "fast"'), "answer must be a number of seconds"),
    (_swap('answer = 2', 'answer = 2.5'), "question 2 (how-many): answer must be a whole number"),
    (_swap('explain = "Both."', 'explain = "  "'), "explain must be a non-empty string"),
    (_swap('explain = "Both."', 'explain = "Both."\nhint = "x"'), "unknown key hint"),
    (_swap("async def main():", "async def main(:"), "the snippet has a syntax error on its line 3"),
    (_swap("async def main():", "async def run():"), "no `async def main():` without parameters"),
    (_swap("async def main():", "async def main(x):"), "no `async def main():` without parameters"),
    (_swap('fetch("b"))\n"""', 'fetch("b"))\n\nasyncio.run(main())\n"""'),
     "the snippet runs code at the top level (its line 6)"),
    (_swap("    await asyncio.gather", "    try:\n        pass\n    except* ValueError:\n        return 1\n"
           "    await asyncio.gather"), "the snippet has a syntax error"),
    (_swap("latency = 0.1", "latency = 3"), "services.fetch.latency must be a number of seconds from 0 to 2"),
    (_swap('fails = { b = "ConnectionError" }', 'fails = { b = "Boom" }'), "built-in exception names"),
    (_swap('returns = "page {arg}"', 'returns = "page {url}"'), "at most {arg} in it"),
    (_swap("[questions.services.fetch]\nlatency = 0.1", "[questions.services.fetch]\nlatency = 0.1\n"
           "[questions.services.store]\nlatency = 0.1"), "counts the calls of one service; service is None"),
    (_swap('answer = 0.3', 'answer = 0.3\nservice = "fetch"'), 'service is only for ask = "peak"'),
    (lambda t: t.replace('ask = "elapsed"', 'ask = "raises"').replace(
        "choices = [0.3, 0.6]\nanswer = 0.3", 'answer = "a TypeError"'), "is not an exception name"),
    (lambda t: t.replace('ask = "peak"', 'ask = "output"').replace("answer = 2", 'answer = ["x", "y"]'),
     "a typed answer must be a single line"),
    (_swap("[[questions]]", "[[questions]"), "not valid TOML"),
])
def test_a_bad_quiz_is_a_clear_error(demo: catalog.Challenge, edit, complaint: str) -> None:  # type: ignore[no-untyped-def]
    quiz = demo.path / "quiz.toml"
    quiz.write_text(edit(QUIZ))
    with pytest.raises(MetadataError) as caught:
        loader.load(demo)
    message = str(caught.value.message)
    assert complaint in message
    assert message.startswith("challenges/01_demo/quiz.toml") and "Next step:" in message
