"""Gradescope, in one place: the autograder zip and what runs inside it.

    autograder_zip.py  `grader gradescope OUT.zip`: setup.sh, run_autograder and the published kit
    submission.py      which uploaded file stands for which challenge, and what to say when none does
    autograde.py       `python -m grader.gradescope.autograde`: grade, always write results.json
    files/             setup.sh, run_autograder and the zip's README

results.json itself is a report format like the others (grader/report/gradescope.py, pure functions
of the model); this package imports it, never the reverse.

Imports nothing from the kit: its modules are imported by name.
"""
