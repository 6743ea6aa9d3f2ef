"""What run_autograder runs inside Gradescope: find the submitted files, grade, write results.json.

    python -m grader.gradescope.autograde --kit /autograder/source --submission DIR --out FILE

Which file stands for which challenge is submission.py's job. Results are always written: whatever
goes wrong, the student gets a zero with the reason, never Gradescope's "the autograder failed to
execute correctly"; files that match no challenge are named in the output, with the names expected.
Imports grader.catalog, grader.grade, grader.report (gradescope, terminal, workflow_text) and this
package's submission module.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import traceback
from pathlib import Path

from grader import catalog
from grader.grade import grade
from grader.gradescope.submission import explain_missing, layout_note, solution_finder
from grader.report import gradescope, terminal
from grader.report.workflow_text import neutralise


def run(kit: Path, submission: Path) -> str:
    """The results.json text for this submission; never raises."""
    try:
        challenges = catalog.discover(kit)
        report = grade(challenges, solution_finder(submission, challenges), submission="submission",
                       on_result=lambda r: print(neutralise(terminal.headline(r)), flush=True))
        report = explain_missing(submission, challenges, report)
        print(terminal.table(report), flush=True)
        results = gradescope.results(report)
        results["output"] = layout_note(submission, challenges, report) + results["output"]
        return json.dumps(results, indent=2, ensure_ascii=False) + "\n"
    except BaseException as exc:  # the one place that must turn anything into a result
        traceback.print_exc()  # instructors see the autograder's stdout; students see the summary
        return json.dumps(gradescope.crashed(f"{type(exc).__name__}: {exc}"), indent=2) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m grader.gradescope.autograde")
    parser.add_argument("--kit", type=Path, required=True)
    parser.add_argument("--submission", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True, help="where results.json goes")
    args = parser.parse_args(argv)
    text = run(args.kit, args.submission)
    tmp = args.out.with_suffix(".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, args.out)  # whole or not at all: run_autograder checks it parses
    return 0


if __name__ == "__main__":
    sys.exit(main())
