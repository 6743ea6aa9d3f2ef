"""The GitHub Classroom workflow of a student template (.github/workflows/classroom.yml).

It keeps what Classroom itself generates (name, triggers, permissions, job id, the bot guard: see
reference/result-protocols.md 1.5) and replaces the per-test grader steps with one step that runs
the kit's grader once and writes one output per challenge, mapped to one reporter runner each.

Pinned (kit_repo and kit_ref given): the kit is checked out from the instructor's repository at that
ref and installed from there; the student's repository contributes only its solution files, so
edited tests or an edited grader in it change nothing. Fallback (no pin): the student repository is
graded with its own tests and grader; .grader/pristine.json then catches edited tests (manifest.py).
Imports grader.report.classroom (the runner ids) and pin.py (what a pinned kit is).
"""

from __future__ import annotations

from grader.classroom.pin import Pin
from grader.report.classroom import runner_id

PYTHON = "3.11"
GRADE_STEP = "grade"

HEADER = """\
# GitHub Classroom autograding, written by `grader template`.
# One step grades every challenge once with the kit's grader; the stock reporter then shows each
# challenge's points and reasons and hands the total to GitHub Classroom. Regenerate rather than
# edit by hand: the outputs of the grading step and the reporter's runners must match.
name: Autograding Tests
'on':
- push
- repository_dispatch
- workflow_dispatch
permissions:
  checks: write
  actions: read
  contents: read
jobs:
  run-autograding-tests:
    runs-on: ubuntu-latest
    if: github.actor != 'github-classroom[bot]'
    timeout-minutes: 30
    steps:
    - name: Checkout code
      uses: actions/checkout@v4
      with:
        path: submission
"""

PINNED = """\
    - name: Check out the published kit (pristine tests and grader)
      uses: actions/checkout@v4
      with:
        repository: {repo}
        ref: {ref}
        path: kit
        persist-credentials: false
"""

SETUP = """\
    - name: Set up Python
      uses: actions/setup-python@v5
      with:
        python-version: '{python}'
    - name: Install the grader
      run: python -m pip install --disable-pip-version-check --quiet ./{kit}
    - name: Grade every challenge
      id: {step}
      # Exit 1 only means "some challenge failed": the reporter shows that. Anything else is a
      # problem with the grading itself and stops the job here.
      run: grader --kit {kit} grade submission --format classroom || [ $? -eq 1 ]
    - name: Autograding Reporter
      uses: classroom-resources/autograding-grading-reporter@v1
      env:
"""


def runners(challenge_ids: list[str]) -> list[str]:
    return [runner_id(cid) for cid in challenge_ids]


def render(challenge_ids: list[str], pin: Pin | None, python: str = PYTHON) -> str:
    """The workflow text for these challenges; YAML written by hand so it reads like Classroom's."""
    kit = "kit" if pin else "submission"
    text = HEADER + (PINNED.format(repo=pin.repo, ref=pin.ref) if pin else "")
    text += SETUP.format(python=python, kit=kit, step=GRADE_STEP)
    ids = runners(challenge_ids)
    text += "".join(f'        {rid.upper()}_RESULTS: "${{{{steps.{GRADE_STEP}.outputs.{rid}}}}}"\n'
                    for rid in ids)
    text += f"      with:\n        runners: {','.join(ids)}\n"
    return text
