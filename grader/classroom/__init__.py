"""GitHub Classroom, in one place: the student template, its workflow and the pristine manifest.

    template.py   `grader template OUT`: the student repository (no solutions), written to disk
    workflow.py   .github/workflows/classroom.yml
    pin.py        the kit the workflow checks out: owner/name and a full commit SHA or existing tag
    manifest.py   .grader/pristine.json: fingerprints of the published tests, checked at grading
    files/        the student README and .gitignore the template starts from

The payload the workflow's grading step writes is a report format like the others, so it lives in
grader/report/classroom.py (pure functions of the model); this package imports it, never the reverse.

Imports nothing from the kit: its modules are imported by name.
"""
