"""`grader quiz` as a learner drives it: through click's runner, a real pipe and a real terminal."""

from __future__ import annotations

import os
import pty
import select
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from grader import catalog
from grader.cli import main
from grader.progress import Progress
from grader.quiz import loader
from grader.quiz.model import Question
from tests.kit_cases import KIT

BIN = Path(sys.executable).parent
LETTERS = "abcdef"


@pytest.fixture
def kit_copy(tmp_path: Path) -> Path:
    """A learner's clone (challenges only), so the quiz record is written in tmp_path."""
    shutil.copytree(KIT / "challenges", tmp_path / "challenges")
    return tmp_path


def questions(kit: Path, challenge_id: str) -> list[Question]:
    (challenge,) = catalog.resolve(catalog.discover(kit), [challenge_id])
    return loader.load(challenge)


def right(q: Question) -> str:
    if q.choices:
        return LETTERS[q.choices.index(q.answer)]
    return q.answer[0] if q.ask == "output" else str(q.answer)  # type: ignore[index]


def wrong(q: Question) -> str:
    if q.choices:
        return LETTERS[next(i for i, c in enumerate(q.choices) if c != q.answer)]
    return {"elapsed": "5", "peak": "99", "raises": "KeyError", "result": "'no such value'"}.get(q.ask, "?")


def quiz(kit: Path, *args: str, answers: list[str]) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["--kit", str(kit), "quiz", *args],
                                input="".join(f"{a}\n" for a in answers))
    return result.exit_code, result.output


def test_a_round_of_right_answers_scores_them_all_and_shows_each_run(kit_copy: Path) -> None:
    asked = questions(kit_copy, "1")
    code, out = quiz(kit_copy, "1", "--count", str(len(asked)), answers=[right(q) for q in asked])
    assert code == 0, out
    assert out.count("✓ Right.") == len(asked) and out.count("Running it: main()") == len(asked)
    assert out.count("Why: ") == len(asked)
    assert f"Score: {len(asked)} of {len(asked)} right." in out
    assert "Python said: coroutine 'sleep' was never awaited." in out  # the evidence, in the run
    record = (kit_copy / ".grader" / "quiz.json").read_text()
    assert all(q.key in record for q in asked)


def test_a_wrong_answer_names_the_key_shows_the_timeline_and_what_to_review(kit_copy: Path) -> None:
    first = questions(kit_copy, "2")[0]
    assert first.id == "three-at-once" and first.answer == 0.3
    code, out = quiz(kit_copy, "2", "--count", "50", answers=["c"])  # all, in file order
    assert code == 1
    assert "✗ Not this time. You said about 0.9 s; the answer is a) about 0.3 s." in out
    assert "Timeline (0 to 0.3" in out and "At most 3 calls of fetch were in flight at once." in out
    assert "Score: 0 of 1 right." in out
    assert "To review: 02 Three fetches (challenges/02_three_fetches/README.md, 'Concept recap')." in out
    assert "Next step:" in out


def test_typed_answers_and_an_unreadable_one_that_is_asked_again(kit_copy: Path) -> None:
    asked = questions(kit_copy, "3")
    typed = next(q for q in asked if q.typed)
    replies = [right(q) if q.choices else "soon" for q in asked]
    replies.insert(asked.index(typed) + 1, "0.4 s")
    code, out = quiz(kit_copy, "3", "--count", "3", answers=replies)
    assert "Type a number of seconds (for example 0.5). (Ctrl-D ends the round.)" in out
    assert code == 0 and "Score: 3 of 3 right." in out


def test_the_end_of_input_ends_the_round_politely_with_the_score_so_far(kit_copy: Path) -> None:
    asked = questions(kit_copy, "1")
    code, out = quiz(kit_copy, "1", "--count", "4", answers=[right(asked[0])])
    assert code == 0
    assert "Round stopped (end of input) after 1 of 4 questions. Score: 1 of 1 right." in out
    assert "Traceback" not in out
    code, out = quiz(kit_copy, "1", answers=[])
    assert code == 0 and "Round stopped (end of input) before any answer." in out


def test_with_nothing_passed_the_quiz_says_so_and_asks_about_challenge_01(kit_copy: Path) -> None:
    code, out = quiz(kit_copy, "--count", "50", answers=[])
    assert "You have not passed a challenge yet" in out and "grader check 1" in out
    assert "about 01_first_coroutine." in out
    assert code == 0


def test_the_questions_come_from_the_challenges_passed(kit_copy: Path) -> None:
    record = Progress.load(kit_copy)
    for passed in ("03_who_greets_first", "05_forgotten_await"):
        record.record_check(passed, "passed", 10, 10)
    record.record_check("04_dont_block_the_loop", "failed", 4, 10)
    record.save()
    asked = questions(kit_copy, "3") + questions(kit_copy, "5")
    code, out = quiz(kit_copy, "--count", "50", answers=[wrong(q) for q in asked])
    assert code == 1 and f"Score: 0 of {len(asked)} right." in out
    assert f"Quiz: {len(asked)} question(s) about 03_who_greets_first, 05_forgotten_await." in out
    assert "To review: 03 Who greets first?" in out and "To review: 05 The forgotten await" in out


def test_reveal_prints_every_question_with_its_answer_for_instructors(kit_copy: Path) -> None:
    asked = questions(kit_copy, "2") + questions(kit_copy, "12")
    code, out = quiz(kit_copy, "--reveal", "2", "12", answers=[])
    assert code == 0 and "Your answer" not in out
    assert out.count("Answer: ") == len(asked) and f"{len(asked)} question(s)." in out
    assert "Answer: a) about 0.3 s" in out and "Answer: TypeError" in out


def test_an_unknown_challenge_is_a_usage_error(kit_copy: Path) -> None:
    code, out = quiz(kit_copy, "99", answers=[])
    assert code == 2 and "grader list" in out


def test_a_round_through_a_real_pipe(kit_copy: Path) -> None:
    asked = questions(kit_copy, "7")
    replies = "".join(f"{right(q)}\n" for q in asked)
    done = subprocess.run([BIN / "grader", "--kit", kit_copy, "quiz", "7", "-n", str(len(asked))],
                          input=replies, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"Score: {len(asked)} of {len(asked)} right." in done.stdout
    assert "Your answer (a-c): b\n" in done.stdout, "a piped answer is shown in the transcript"
    assert "download('figures') |" in done.stdout and done.stderr == ""


@pytest.mark.parametrize("plain", [False, True], ids=["colour", "NO_COLOR and COLUMNS=60"])
def test_ctrl_c_in_a_real_terminal_ends_the_round_with_exit_130(kit_copy: Path, plain: bool) -> None:
    asked = questions(kit_copy, "1")
    pid, terminal = pty.fork()
    if pid == 0:  # the child: the grader, with the pty as its controlling terminal
        signal.signal(signal.SIGINT, signal.SIG_DFL)  # even if these tests run with it ignored
        os.environ.pop("NO_COLOR", None)
        if plain:
            os.environ.update(NO_COLOR="1", COLUMNS="60")
        os.execv(str(BIN / "grader"), ["grader", "--kit", str(kit_copy), "quiz", "1", "-n", "4"])
    screen = Screen(terminal)
    try:
        screen.wait_for("Your answer")
        os.write(terminal, f"{right(asked[0])}\n".encode())
        screen.wait_for("Your answer", times=2)
        os.write(terminal, b"\x03")  # Ctrl-C, as the terminal sends it
        screen.wait_for("Next step")
        _, status = os.waitpid(pid, 0)
    finally:
        with_child_gone(pid)
        os.close(terminal)
    assert os.waitstatus_to_exitcode(status) == 130, screen.text
    assert "✓ Right." in screen.text and "Round stopped (Ctrl-C) after 1 of 4 questions." in screen.text
    assert "Traceback" not in screen.text and "Aborted" not in screen.text
    assert ("\x1b[" in screen.text) is not plain, "colour on a terminal, unless NO_COLOR is set"
    why = screen.text[screen.text.index("Why: "):].split("\r\n\r\n")[0].split("\r\n")
    assert max(len(line) for line in why) <= (59 if plain else 88), why


class Screen:
    """What the program under test has written to its terminal so far."""

    def __init__(self, fd: int) -> None:
        self.fd, self.text = fd, ""

    def wait_for(self, text: str, times: int = 1, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while self.text.count(text) < times:
            ready, _, _ = select.select([self.fd], [], [], max(0.0, deadline - time.monotonic()))
            if not ready:
                raise AssertionError(f"no {text!r} (x{times}) within {timeout} s; the screen:\n{self.text}")
            try:
                chunk = os.read(self.fd, 4096)
            except OSError:  # the child has gone: a pty reports that as an error
                chunk = b""
            if not chunk:
                raise AssertionError(f"the program ended before {text!r}; the screen:\n{self.text}")
            self.text += chunk.decode(errors="replace")


def with_child_gone(pid: int) -> None:
    """Stop the child this test started, if it is still there (only ever this pid)."""
    try:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    except (ProcessLookupError, ChildProcessError):
        pass
