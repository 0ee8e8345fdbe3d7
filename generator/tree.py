"""One profile into its tree: render, then write it, or compare it (`--check`, `--diff`).

Pure orchestration of the stages; the CLI prints what comes back and maps it to an exit code.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from contextlib import ExitStack
from enum import StrEnum
from pathlib import Path

from .output.fingerprint import inputs_fingerprint
from .output.guard import WriteError, check_output_root, write_warning
from .output.ledger import Inputs, Ledger, source_of
from .record import Record
from .report import NOTHING_WRITTEN, PARTIAL_WRITE
from .unchanged import unchanged_tree, warning_record

# Not `typing.TYPE_CHECKING`: typing costs the no-change path milliseconds to import; mypy reads any
# TYPE_CHECKING as true.
TYPE_CHECKING = False
if TYPE_CHECKING:  # rendering and writing are not loaded on the no-change path (settle imports them)
    from typing import Literal

    from .output.changes import ChangeSet
    from .output.render import RenderedFile
    from .problems import Problem


class Mode(StrEnum):
    WRITE = "write"
    CHECK = "check"  # compare, write nothing
    DIFF = "diff"  # compare and show a unified diff, write nothing


class Status(StrEnum):
    OK = "ok"
    DRIFT = "drift"  # --check found the tree differs (exit 1)
    INVALID = "invalid"  # the profile or the output folder is refused (exit 2)


class Outcome(Record):
    """What became of one profile's tree (a record, generator/record.py: the no-change path makes one)."""

    __slots__ = ("status", "problems", "summary", "diff", "outcome", "root")

    def __init__(
        self,
        status: Status,
        problems: list[Problem] | None = None,
        summary: str = "",
        diff: str = "",
        outcome: str = NOTHING_WRITTEN,
        root: Path | None = None,
    ) -> None:
        self.status = status
        self.problems: list[Problem] = [] if problems is None else problems
        self.summary = summary  # for stdout
        self.diff = diff
        self.outcome = outcome  # what happened to the tree, when there are errors
        self.root = root  # the profile's tree, once known


def _drift_lines(changes: ChangeSet) -> list[str]:
    rows = [
        *(("missing", path) for path in changes.create),
        *(("changed", path) for path in changes.update),
        *(("extra", path) for path in changes.delete),
        *((str(kind), path) for path, kind in sorted(changes.conflicts.items())),
    ]
    return [f"  {label:<8} {path}" for label, path in sorted(rows, key=lambda row: row[1])]


def _notes(changes: ChangeSet, kept: tuple[str, ...]) -> list[Problem]:
    from .output.nested import in_nested_trees
    from .output.write import conflict_message

    notes = [
        write_warning(changes.root / path, conflict_message(changes.conflicts[path]),
                      "render with --force to replace it with what the profile renders", "edited-file")
        for path in kept
    ]
    nested = in_nested_trees(changes.root, changes.foreign)  # another gen tree's (`gen plan`)
    notes += [
        write_warning(changes.root / path, "was not written by gen; left alone",
                      "gen never removes files it did not write", "foreign-file")
        for path in changes.foreign
        if path not in nested
    ]
    return notes


def render_tree(
    profile: Path,
    out: Path,
    mode: Mode = Mode.WRITE,
    force: bool = False,
    phase: str | None = None,
    waiting: Callable[[str], None] | None = None,
) -> Outcome:
    """Render `profile` into its tree under `out` (or compare, `mode`). A write holds the tree's lock
    (output/lock.py) from before the tree is read until it is written; `waiting` is told when
    another gen holds it."""
    ledgers: dict[Path, Ledger] = {}  # read by the no-change probe: the full path reads none twice
    unchanged = unchanged_tree(profile, out, phase, ledgers)
    if unchanged is not None:
        count = len(unchanged.ledger.files)
        summary = (
            f"{unchanged.root}: up to date ({count} files)"
            if mode is not Mode.WRITE
            else f"rendered profile '{unchanged.ledger.profile}' into {unchanged.root}: {count} files "
            f"(0 written, {count} unchanged, 0 removed; inputs unchanged)"
        )
        return Outcome(Status.OK, unchanged.warnings, summary, root=unchanged.root)
    from .output.lock import tree_lock
    from .pipeline import render_profile  # the full path: load everything only when it is needed
    from .problems import ProfileError, Severity

    unsafe = check_output_root(out)
    with ExitStack() as held:
        locked: list[Path] = []

        def lock(root: Path) -> None:
            if mode is Mode.WRITE and not locked:
                held.enter_context(tree_lock(root, waiting))
                locked.append(root)

        def claim(root: Path) -> bool:
            """The profile's tree is known: whether it may be read, locked first if it is to be
            written (with no output folder yet there is nothing to read, and nothing is made yet)."""
            if unsafe or not out.is_dir():
                return False
            lock(root)
            return True

        warnings: list[Problem] = []
        try:
            result = render_profile(profile, None, phase, out, ledgers, claim)
            warnings = list(result.warnings)
            root = out / result.profile
            unsafe = unsafe or check_output_root(root, profile)
            if unsafe:
                return Outcome(Status.INVALID, [*warnings, *unsafe])
            lock(root)
        except ProfileError as error:
            return Outcome(Status.INVALID, [*error.problems, *unsafe])
        except WriteError as error:  # the lock could not be taken
            return Outcome(Status.INVALID, [*warnings, *error.problems])

        def inputs() -> Inputs | None:
            fingerprint = inputs_fingerprint(profile, result.sources, phase)
            records = tuple(warning_record(w, profile) for w in warnings if w.severity is Severity.WARNING)
            return None if fingerprint is None else Inputs(fingerprint, result.sources, records)

        return settle(
            root, result.profile, result.files, source_of(profile), mode, force, warnings,
            differs=f"differs from what {profile} renders", done=f"rendered profile '{result.profile}'",
            inputs=inputs, keys=result.keys, previous=result.previous,
        )


def settle(
    root: Path,
    name: str,
    files: Sequence[RenderedFile],
    source: str,
    mode: Mode,
    force: bool,
    warnings: list[Problem],
    *,
    differs: str,
    done: str,
    inputs: Callable[[], Inputs | None] = lambda: None,
    keys: Mapping[str, str] | None = None,
    previous: Ledger | None | Literal["unread"] = "unread",
) -> Outcome:
    """Write `files` as the tree at `root` (a render's, or `gen plan`'s), or compare them with it; a
    write's caller holds the tree's lock."""
    from .output.changes import compute_changes
    from .output.tree_root import tree_root_problems
    from .output.write import apply_changes, check_source, refuse_foreign

    refused = tree_root_problems(root, force)
    if refused:
        return Outcome(Status.INVALID, [*warnings, *refused])
    try:
        changes = compute_changes(root, name, files, previous)
        check_source(changes, source, force)
        if mode is not Mode.WRITE:
            lines = _drift_lines(changes)
            if not changes.drift:
                return Outcome(Status.OK, warnings, f"{root}: up to date ({len(files)} files)", root=root)
            summary = f"{root}: {differs} ({len(lines)} files)\n" + "\n".join(lines)
            return Outcome(Status.DRIFT, warnings, summary, changes.diff() if mode is Mode.DIFF else "", root=root)
        refuse_foreign(changes, force)
        report = apply_changes(changes, source, force, inputs(), keys)
    except WriteError as error:
        return Outcome(Status.INVALID, [*warnings, *error.problems],
                       outcome=PARTIAL_WRITE if error.partial else NOTHING_WRITTEN)
    summary = (
        f"{done} into {root}: {len(files)} files "
        f"({len(report.written)} written, {len(report.unchanged)} unchanged, {len(report.removed)} removed"
        + (f", {len(report.kept)} kept" if report.kept else "")
        + ")"
    )
    return Outcome(Status.OK, [*warnings, *_notes(changes, report.kept), *map(_leftover, report.leftovers)], summary,
                   root=root)


def _leftover(folder: Path) -> Problem:
    return write_warning(folder, "is another render's staging folder, and the gen that builds it (named in the "
                         "folder's name: pid, boot and start, host) may still run; left alone",
                         "remove it once no gen is writing this tree", "staging-folder")
