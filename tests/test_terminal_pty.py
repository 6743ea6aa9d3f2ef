"""The grader in a real terminal (a pty, through pexpect): colour and NO_COLOR, the width from
COLUMNS or the terminal, Ctrl-C during check, grade and watch, and watch reacting to a save."""

from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path

import pexpect
import pytest

from grader import progress
from grader.sandbox import linux
from tests import mini_kit
from tests.kit_cases import pristine_copy

GRADER = str(Path(sys.executable).parent / "grader")
ESC = "\x1b["


def env(**extra: str) -> dict[str, str]:
    base = {k: v for k, v in os.environ.items()
            if k not in ("NO_COLOR", "COLUMNS", "LINES", "GRADER_KIT", "FORCE_COLOR")}
    return {**base, **extra}


def spawn(kit: Path, *args: str, columns: int = 200, **extra: str) -> pexpect.spawn:
    # Ctrl-C as a terminal's foreground job gets it, even when these tests run in the background
    # with SIGINT ignored (`cmd &` in a script), which the child would otherwise inherit.
    return pexpect.spawn(GRADER, list(args), cwd=str(kit), env=env(**extra), encoding="utf-8",
                         dimensions=(40, columns), timeout=120,
                         preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))


def finish(child: pexpect.spawn) -> tuple[int | None, str]:
    child.expect(pexpect.EOF)
    child.close()
    return child.exitstatus, child.before.replace("\r\n", "\n")


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    return mini_kit.make(tmp_path / "mini")


# -- 6. colour, NO_COLOR, width --------------------------------------------------------------

def test_colour_on_a_terminal_and_none_with_no_color(mini: Path) -> None:
    code, coloured = finish(spawn(mini, "check", "1"))
    assert code == 1 and ESC in coloured, "a terminal gets colour (else this test proves nothing)"
    code, plain = finish(spawn(mini, "check", "1", NO_COLOR="1"))
    assert code == 1 and ESC not in plain and "✗ 01_alpha" in plain


def test_columns_sets_the_width_of_text_and_timeline_bars(tmp_path: Path) -> None:
    pristine_copy(tmp_path)
    code, out = finish(spawn(tmp_path, "check", "2", columns=200, COLUMNS="60", NO_COLOR="1"))
    lines = out.splitlines()
    assert code == 1 and max(len(line) for line in lines) <= 60, out
    bars = [line for line in lines if "|" in line and "█" in line]
    assert len(bars) == 3 and "Timeline (" in out, "the chart is there, narrowed"
    assert out.count("Timeline (") == 1 and "Same cause as above" in out


def test_the_terminals_own_width_counts_without_columns(tmp_path: Path) -> None:
    pristine_copy(tmp_path)
    code, wide = finish(spawn(tmp_path, "hint", "2", "--all", columns=200, NO_COLOR="1"))
    assert code == 0 and max(len(line) for line in wide.splitlines()) > 60
    code, narrow = finish(spawn(tmp_path, "hint", "2", "--all", columns=60, NO_COLOR="1"))
    assert code == 0 and max(len(line) for line in narrow.splitlines()) <= 60, narrow


# -- 5. Ctrl-C -------------------------------------------------------------------------------

def _keeper(grader_pid: int, within: float = 30.0) -> int:
    """The test run's keeper process, once it has started: forked from the grader's warm server
    (a child of the grader), it bears the kernel name grader-keeper, beside the run's witness (the
    isolation probe's keeper, forked earlier while the grader still starts, has none)."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        parents = {p.pid: p.ppid for p in linux.processes()}
        names = {}
        for pid in parents:
            try:
                names[pid] = Path(f"/proc/{pid}/comm").read_text().strip()
            except OSError:
                continue
        ours = [pid for pid, ppid in parents.items() if parents.get(ppid) == grader_pid]
        if any(names.get(pid) == "grader-witness" for pid in ours):
            for pid in ours:
                if names.get(pid) == "grader-keeper":
                    return pid
        time.sleep(0.05)
    raise AssertionError("the test run never started")


def _gone(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(") ", 1)[1].startswith("Z")
    except OSError:
        return True


@pytest.mark.parametrize(("args", "sentence"), [
    (("check", "1"), "Stopped: the check of 01_alpha was interrupted, so nothing was recorded for it."),
    (("grade", "-c", "1"), "Stopped: grading was interrupted, so no report was written."),
    (("watch", "1"), "Stopped watching."),
])
def test_ctrl_c_stops_the_run_says_so_and_exits_130(mini: Path, args: tuple[str, ...],
                                                     sentence: str) -> None:
    mini_kit.solve(mini, 1, mini_kit.SLOW)  # a run that would take 30 s
    child = spawn(mini, *args)
    keeper = _keeper(child.pid)
    started = time.monotonic()
    child.sendintr()
    code, out = finish(child)
    assert code == 130, out
    assert out.rstrip().endswith(sentence) and "Aborted" not in out and "Traceback" not in out
    assert time.monotonic() - started < 15 and _gone(keeper), "the test run was stopped too"
    assert "01_alpha" not in progress.Progress.load(mini).checks, "an interrupted check counts for nothing"


# -- 7. watch --------------------------------------------------------------------------------

def test_watch_checks_again_on_save_and_says_save_it_again(mini: Path) -> None:
    child = spawn(mini, "watch", "1", NO_COLOR="1")
    child.expect("0 of 3 passed")
    mini_kit.solve(mini, 1)
    child.expect("Save solution.py again to check it")
    child.expect("1 of 3 passed; next: 02 beta")
    child.sendintr()
    code, out = finish(child)
    assert code == 130 and out.rstrip().endswith("Stopped watching.")
