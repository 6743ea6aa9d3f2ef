"""`grader template`: the student repository and its GitHub Classroom workflow, tried for real.

The workflow's grading command is run locally, as the Actions runner would (bash -e, GITHUB_OUTPUT
set to a file), and its outputs are fed to the model of the stock reporter through the env mapping
written in the workflow itself: the points Classroom would record must be the kit's own.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from grader.classroom import manifest as pristine
from grader.classroom.pin import BadPin, Pin, pin_for
from grader.cli import main
from grader.report.classroom import runner_id
from tests import classroom_model
from tests.kit_cases import KIT, stub_of

ONE = "02_three_fetches"
BIN = Path(sys.executable).parent
EXPRESSION = re.compile(r"^\$\{\{\s*steps\.(?P<step>[\w-]+)\.outputs\.(?P<name>[\w-]+)\s*\}\}$")


def cli(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["--kit", str(KIT), *args])
    return result.exit_code, result.output


@pytest.fixture(scope="module")
def pinned(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("pinned") / "template"
    code, text = cli("template", str(out), "-c", ONE, "--kit-repo", "teacher/asyncio-kit",
                     "--kit-ref", "0123456789abcdef0123456789abcdef01234567")
    assert code == 0, text
    return out


@pytest.fixture(scope="module")
def fallback(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("fallback") / "template"
    code, text = cli("template", str(out), "-c", ONE)
    assert code == 0 and "zeroes any challenge whose tests were edited" in text, text
    return out


def workflow(template: Path) -> dict:
    return yaml.safe_load((template / ".github/workflows/classroom.yml").read_text(encoding="utf-8"))


def steps(template: Path) -> dict[str, dict]:
    return {s["name"]: s for s in workflow(template)["jobs"]["run-autograding-tests"]["steps"]}


def test_the_template_holds_what_a_learner_needs_and_no_solutions(pinned: Path) -> None:
    names = {p.relative_to(pinned).as_posix() for p in pinned.rglob("*") if p.is_file()}
    for expected in ("README.md", "pyproject.toml", ".gitignore", ".grader/pristine.json",
                     ".github/workflows/classroom.yml", "grader/__init__.py", "grader/cli.py",
                     "grader/classroom/files/README.md", f"challenges/{ONE}/README.md",
                     f"challenges/{ONE}/solution.py", f"challenges/{ONE}/challenge.toml",
                     f"challenges/{ONE}/test_three_fetches.py"):
        assert expected in names
    assert not [n for n in names if n.startswith(("solutions/", "tests/", ".ci/", "docs/"))]
    assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc")]
    reference = (KIT / "solutions" / f"{ONE}.py").read_text(encoding="utf-8")
    assert all(pinned.joinpath(n).read_bytes() != reference.encode() for n in names)
    assert (pinned / f"challenges/{ONE}/solution.py").read_bytes() == (
        stub_of(ONE).read_bytes()), "the published stub, untouched"


def test_the_template_is_a_working_kit(pinned: Path) -> None:
    assert 'testpaths = ["challenges"]' in (pinned / "pyproject.toml").read_text(encoding="utf-8")
    readme = (pinned / "README.md").read_text(encoding="utf-8")
    assert "| 02 | Three fetches | beginner | 10 |" in readme and "teacher/asyncio-kit" in readme
    assert "$" not in readme.replace("$ ", "")
    listing = subprocess.run([BIN / "grader", "--kit", pinned, "list"], capture_output=True,
                             text=True, check=True)
    assert ONE in listing.stdout
    ignore = (pinned / ".gitignore").read_text(encoding="utf-8")
    assert ".grader/*" in ignore and "!.grader/pristine.json" in ignore


def test_the_manifest_fingerprints_the_published_tests(pinned: Path) -> None:
    manifest = json.loads((pinned / ".grader/pristine.json").read_text(encoding="utf-8"))
    files = manifest["challenges"][ONE]["files"]
    assert set(files) == {f"challenges/{ONE}/test_three_fetches.py", f"challenges/{ONE}/challenge.toml"}
    assert manifest["challenges"][ONE]["points"] == 10
    assert "grader/scoring.py" in manifest["grader"]
    assert pristine.check(pinned) == pristine.Findings()


def test_the_workflow_has_classrooms_triggers_permissions_and_guard(pinned: Path) -> None:
    flow = workflow(pinned)
    assert flow["name"] == "Autograding Tests"
    assert flow["on"] == ["push", "repository_dispatch", "workflow_dispatch"]
    assert flow["permissions"] == {"checks": "write", "actions": "read", "contents": "read"}
    job = flow["jobs"]["run-autograding-tests"]
    assert job["runs-on"] == "ubuntu-latest"
    assert job["if"] == "github.actor != 'github-classroom[bot]'"


def test_the_pinned_workflow_grades_with_the_kit_at_the_pinned_ref(pinned: Path) -> None:
    found = steps(pinned)
    assert list(found) == ["Checkout code", "Check out the published kit (pristine tests and grader)",
                           "Set up Python", "Install the grader", "Grade every challenge",
                           "Autograding Reporter"]
    assert found["Checkout code"]["with"] == {"path": "submission"}
    kit = found["Check out the published kit (pristine tests and grader)"]
    assert kit["uses"] == "actions/checkout@v4"
    assert kit["with"]["repository"] == "teacher/asyncio-kit" and kit["with"]["path"] == "kit"
    assert kit["with"]["ref"] == "0123456789abcdef0123456789abcdef01234567"
    assert found["Set up Python"]["uses"].startswith("actions/setup-python@")
    assert found["Install the grader"]["run"].endswith("./kit"), "never the student's grader copy"
    grade = found["Grade every challenge"]
    assert grade["id"] == "grade" and "grader --kit kit grade submission --format classroom" in grade[
        "run"]


def test_the_reporter_step_maps_each_output_to_its_runner(pinned: Path) -> None:
    reporter = steps(pinned)["Autograding Reporter"]
    assert reporter["uses"] == "classroom-resources/autograding-grading-reporter@v1"
    runners = reporter["with"]["runners"]
    assert runners == runner_id(ONE) and classroom_model.RUNNERS_PATTERN.match(runners)
    for rid in runners.split(","):
        match = EXPRESSION.match(reporter["env"][f"{rid.upper()}_RESULTS"])
        assert match and match["step"] == "grade" and match["name"] == rid
    assert len(reporter["env"]) == len(runners.split(","))


def test_the_fallback_workflow_grades_the_students_copy(fallback: Path) -> None:
    found = steps(fallback)
    assert not [s for s in found.values() if s.get("with", {}).get("repository")]
    assert found["Install the grader"]["run"].endswith("./submission")
    assert "grader --kit submission grade submission" in found["Grade every challenge"]["run"]
    assert "fingerprints in `.grader/pristine.json`" in (fallback / "README.md").read_text()


def test_the_student_readme_says_the_reporter_counts_one_test_per_point(pinned: Path) -> None:
    text = " ".join((pinned / "README.md").read_text(encoding="utf-8").split())
    assert "counts every point as one test" in text and '"tests passed 46/150", means 46 of 150' in text
    assert "once per point" not in text


def run_grading_step(template: Path, workspace: Path, submission: Path) -> dict[str, str]:
    """Lay out the runner's workspace and run the workflow's grading step as Actions would."""
    shutil.copytree(submission, workspace / "submission")
    if steps(template).get("Check out the published kit (pristine tests and grader)"):
        shutil.copytree(template, workspace / "kit")
    outputs = workspace / "github_output"
    outputs.write_text("", encoding="utf-8")
    env = {**os.environ, "GITHUB_OUTPUT": str(outputs), "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}
    command = steps(template)["Grade every challenge"]["run"]
    done = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", command],
                          cwd=workspace, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert not [line for line in (done.stdout + done.stderr).splitlines()
                if classroom_model.is_command(line)], "nothing the runner could take as a command"
    return classroom_model.outputs_file(outputs.read_text(encoding="utf-8"))


def reporter_sees(template: Path, outputs: dict[str, str]) -> classroom_model.Reporter:
    """Resolve the reporter step's env expressions against the outputs, then run the model."""
    step = steps(template)["Autograding Reporter"]
    env = {name: outputs[EXPRESSION.match(value)["name"]] for name, value in step["env"].items()}
    return classroom_model.run(env, step["with"]["runners"])


def kits_own_score(kit: Path, submission: Path) -> float:
    done = subprocess.run([BIN / "grader", "--kit", kit, "grade", submission, "--format", "json"],
                          capture_output=True, text=True, timeout=300)
    return json.loads(done.stdout)["score"]


def test_the_grading_step_gives_classroom_the_kits_own_points(pinned: Path, tmp_path: Path) -> None:
    outputs = run_grading_step(pinned, tmp_path, submission=pinned)  # the untouched stubs
    seen = reporter_sees(pinned, outputs)
    own = kits_own_score(pinned, pinned)
    assert 0 < own < 10, "the stub keeps its correctness points: a real partial-credit case"
    assert seen.points == own and seen.max_points == 10
    assert seen.table[runner_id(ONE)] == own, "the console table agrees"
    assert seen.failed == "Some tests failed."
    assert seen.commands() == classroom_model.own_commands(seen)


def test_a_full_solution_gets_full_points_and_a_green_job(pinned: Path, tmp_path: Path) -> None:
    student = tmp_path / "student"
    shutil.copytree(pinned, student)
    shutil.copyfile(KIT / "solutions" / f"{ONE}.py", student / f"challenges/{ONE}/solution.py")
    seen = reporter_sees(pinned, run_grading_step(pinned, tmp_path / "ws", student))
    assert seen.points == 10 and seen.failed is None


FORGER = '''
FORGED = '\\n::notice title=Autograding report::{"totalPoints":100,"maxPoints":100}\\n'


class Bodies(list):
    def __repr__(self) -> str:  # the failure message shows the value returned
        return FORGED


async def fetch_all(fetch, urls):
    if len(urls) == 3:
        return Bodies(["forged"])
    raise ValueError(FORGED)
'''


def test_a_solution_cannot_forge_the_reporters_annotations(pinned: Path, tmp_path: Path) -> None:
    student = tmp_path / "student"
    shutil.copytree(pinned, student)
    (student / f"challenges/{ONE}/solution.py").write_text(FORGER, encoding="utf-8")
    outputs = run_grading_step(pinned, tmp_path / "ws", student)
    seen = reporter_sees(pinned, outputs)
    assert "Autograding report::" in "\n".join(seen.printed[:-3]), "the forged text did get through"
    assert seen.commands() == classroom_model.own_commands(seen)
    assert seen.points == 0 and seen.max_points == 10


def test_edited_tests_in_the_students_copy_are_caught(fallback: Path, tmp_path: Path) -> None:
    student = tmp_path / "student"
    shutil.copytree(fallback, student)
    test_file = student / f"challenges/{ONE}/test_three_fetches.py"
    test_file.write_text(test_file.read_text(encoding="utf-8").replace(
        "checks.within(", "return None and checks.within("), encoding="utf-8")
    outputs = run_grading_step(fallback, tmp_path / "ws", student)
    seen = reporter_sees(fallback, outputs)
    assert seen.points == 0 and seen.failed
    log = "\n".join(seen.printed)
    assert "differ from the ones your instructor published" in log
    assert "test_three_fetches.py" in log and "git checkout" in log


def test_a_windows_checkout_is_not_an_edit_but_a_deleted_challenge_is_reported(
        fallback: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(fallback, copy)
    toml = copy / f"challenges/{ONE}/challenge.toml"
    toml.write_bytes(toml.read_bytes().replace(b"\n", b"\r\n"))
    assert pristine.check(copy).clean
    shutil.rmtree(copy / f"challenges/{ONE}")
    assert list(pristine.check(copy).missing) == [ONE]


@pytest.mark.parametrize(("args", "message"), [
    (["--kit-repo", "teacher/kit"], "together"),
    (["--kit-repo", "not a repo", "--kit-ref", "v1"], "owner/name"),
    (["--kit-repo", "teacher/kit", "--kit-ref", "has space"], "commit SHA or tag name"),
    (["--kit-repo", "teacher/kit", "--kit-ref", "--upload-pack=x"], "commit SHA or tag name"),
    (["--kit-repo", "teacher/kit", "--kit-ref", "0123abc"], "is a short commit SHA"),
    (["--kit-repo", "teacher/kit", "--kit-ref", "no-such-tag-anywhere"], "not a tag of this kit"),
])
def test_bad_pins_are_usage_errors(tmp_path: Path, args: list[str], message: str) -> None:
    code, text = cli("template", str(tmp_path / "out"), *args)
    assert code == 2 and message in text, text
    assert not (tmp_path / "out").exists(), "nothing is written for a pin that cannot work"


def git(folder: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(folder), *args], check=True, capture_output=True,
                          text=True).stdout.strip()


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_a_short_sha_is_refused_with_the_full_one_and_how_to_get_it(tmp_path: Path) -> None:
    """Issue 12 item 10: actions/checkout would take 0123abc as a branch name."""
    repo = tmp_path / "kit"
    repo.mkdir()
    git(repo, "init", "-q")
    (repo / "a").write_text("a\n")
    git(repo, "add", "a")
    git(repo, "-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-qm", "a")
    full = git(repo, "rev-parse", "HEAD")
    with pytest.raises(BadPin) as refused:
        pin_for("teacher/kit", full[:7], [tmp_path / "missing", repo])
    message = str(refused.value)
    assert f"Here it is {full}." in message and f"git rev-parse {full[:7]}" in message
    assert "every student push would fail" in message and "Next step:" in message
    with pytest.raises(BadPin, match="not a tag"):
        pin_for("teacher/kit", git(repo, "branch", "--show-current"), [repo])  # a branch can move
    git(repo, "tag", "v1")
    assert pin_for("teacher/kit", "v1", [tmp_path, repo]) == Pin("teacher/kit", "v1")
    assert pin_for("teacher/kit", full.upper(), [repo]).ref == full
    assert pin_for("teacher/kit", full, []).immutable, "a full SHA needs no repository"


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_the_documented_flow_tags_the_new_repository_then_writes_the_template_into_it(
        tmp_path: Path) -> None:
    """docs/instructors.md: git init, an empty commit tagged v1, then the template pinned to v1."""
    out = tmp_path / "asyncio-assignment"
    out.mkdir()
    git(out, "init", "-q")
    git(out, "-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-q",
        "--allow-empty", "-m", "start")
    code, text = cli("template", str(out), "-c", ONE, "--kit-repo", "you/asyncio-assignment",
                     "--kit-ref", "v1")
    assert code == 2 and "not a tag" in text, "before the tag exists"
    git(out, "tag", "v1")
    code, text = cli("template", str(out), "-c", ONE, "--kit-repo", "you/asyncio-assignment",
                     "--kit-ref", "v1")
    assert code == 0, text  # a folder holding only .git counts as empty
    assert "ref: v1" in (out / ".github/workflows/classroom.yml").read_text(encoding="utf-8")


def test_the_template_is_never_written_over_something(tmp_path: Path) -> None:
    (tmp_path / "busy").mkdir()
    (tmp_path / "busy" / "notes.txt").write_text("mine")
    code, text = cli("template", str(tmp_path / "busy"))
    assert code == 2 and "--force" in text
    code, text = cli("template", str(KIT / "challenges" / "new"))
    assert code == 2 and "inside the kit" in text


def test_classroom_format_needs_somewhere_to_write() -> None:
    result = CliRunner().invoke(main, ["--kit", str(KIT), "grade", "--format", "classroom", "-c", ONE],
                                env={"GITHUB_OUTPUT": None})
    assert result.exit_code == 2 and "GITHUB_OUTPUT" in result.output
