"""The sandbox one run of untrusted code goes through: who it runs as, what it sees, what is cleaned.

The small public face run.py, batch.py and the CLI use; the modules below, from the bottom up (each
imports only modules above it in this list, and nothing outside the sandbox but grader.settings and
grader.testkit.clock):

    linux.py        /proc, prctl, signals and reaping (standard library only)
    namespaces.py   unshare, id maps, mounts, pivot_root, capabilities (standard library only)
    signing.py      the results file's HMAC (standard library only; the pytest plugin imports it)
    submission.py   reading a submitted file without following links (standard library only)
    relay.py        sockets made in the run's network namespace for the witness (standard library)
    files.py        scratch folders, deleting trees whatever their depth, disk use
    policy.py       the Plan a keeper is given, the limits, fresh uids, the three isolation levels
    rootfs.py       the allow-list file system a run sees
    inside.py       the run's init and the sandboxed process (privileges dropped, entry called)
    pytest_entry.py the default entry: the kit's tests with a signed results file
    ready.py        the isolation probe's entry: proves a run can start and load the executor
    keeper.py       the process between the grader and a run (`python -m grader.sandbox.keeper`)
    parent.py       the parent's side: watchdog, output, status, sweeps, the grader as subreaper
    mode.py         which isolation this machine allows, said once, and what it guarantees

docs/grading-a-class.md says what each isolation level stops.
"""

from __future__ import annotations

from grader.sandbox.files import make_scratch, prepare_home, remove_stale_scratch, remove_tree
from grader.sandbox.mode import SWITCH_VARIABLE, Isolation, describe, isolation, level_for, say_once, warning
from grader.sandbox.parent import CANCEL, CUT_NOTE, STOP_GRACE, distrust, launch, trust
from grader.sandbox.policy import FRESH_UID, NAMESPACES, TAG_VARIABLE, WEAK, Plan, fresh_identity
from grader.sandbox.signing import new_key, signed_by
from grader.sandbox.submission import Refused, read_submission

__all__ = ["CANCEL", "CUT_NOTE", "FRESH_UID", "NAMESPACES", "STOP_GRACE", "SWITCH_VARIABLE",
           "TAG_VARIABLE", "WEAK", "Isolation", "Plan", "Refused", "describe", "distrust",
           "fresh_identity", "isolation", "launch", "level_for", "make_scratch", "new_key",
           "prepare_home", "read_submission", "remove_stale_scratch", "remove_tree", "say_once",
           "signed_by", "trust", "warning"]
