"""What `gen render` does once its arguments are known, shared by the command (commands.py) and
the fast path of a plain render (cli.py): render or compare each profile's tree, print what each
says, and give the exit code.

Exit codes: 0 ok; 1 a tree differs from its profile (--check, --diff); 2 invalid profile, output
folder or usage; 3 internal error (a bug in gen: please report it).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from .progress import progress
from .report import ReportFormat, format_problems
from .tree import Mode, Outcome, Status, render_tree

EXIT_OK = 0
EXIT_DRIFT = 1
EXIT_INVALID = 2
EXIT_INTERNAL = 3


def mode_of(check: bool, diff: bool) -> Mode:
    return Mode.DIFF if diff else Mode.CHECK if check else Mode.WRITE


def report(outcome: Outcome, fmt: ReportFormat) -> int:
    """Print what a tree's render or plan says; its exit code."""
    if outcome.problems:
        sys.stderr.write(format_problems(outcome.problems, fmt, outcome.outcome))
    if outcome.diff:
        sys.stdout.write(outcome.diff)
    if outcome.summary:
        sys.stdout.write(outcome.summary + "\n")
        sys.stdout.flush()
    return {Status.OK: EXIT_OK, Status.DRIFT: EXIT_DRIFT, Status.INVALID: EXIT_INVALID}[outcome.status]


def _say(text: str) -> None:
    sys.stderr.write(text + "\n")
    sys.stderr.flush()


def waiting_note(fmt: ReportFormat) -> Callable[[str], None] | None:
    """Where to say that another gen holds a tree's lock: stderr, unless it carries JSON or annotations."""
    return _say if fmt is ReportFormat.TEXT else None


def render_profiles(
    profiles: list[Path], out: Path, fmt: ReportFormat, mode: Mode, force: bool, phase: str | None
) -> int:
    """Each profile's tree under `out`, written or compared; the worst exit code."""
    exit_code = EXIT_OK
    with progress(len(profiles)) as advance:
        for profile in profiles:
            outcome = render_tree(profile, out, mode, force, phase, waiting_note(fmt))
            advance(str(profile))
            exit_code = max(exit_code, report(outcome, fmt))
    return exit_code
