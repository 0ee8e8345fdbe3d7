"""The no-change path: a profile whose inputs are those its tree was rendered from, on a tree
whose files still have the ledger's hashes, renders to exactly that tree (rendering is
deterministic), so nothing is loaded, rendered or written. Anything else takes the full path.

Imports stay light (the standard library, the ledger, the fingerprint): this path is what makes
`gen render --check` cheap on every pull request.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .output.fingerprint import inputs_fingerprint
from .output.guard import WriteError
from .output.ledger import LEDGER, Ledger, file_bytes, read_ledger, source_of
from .problems import Location, Problem, Severity


@dataclass(frozen=True)
class UnchangedTree:
    root: Path
    ledger: Ledger
    profile: Path

    @property
    def warnings(self) -> list[Problem]:
        records = self.ledger.inputs.warnings if self.ledger.inputs else ()
        return [warning_from_record(record, self.profile) for record in records]


def warning_record(problem: Problem, profile: Path) -> dict[str, Any]:
    """A warning as the ledger keeps it: its file relative to the profile's folder, so that the
    ledger's bytes do not depend on where the repository lies."""
    where = problem.location
    return {
        "message": problem.message,
        "rule": problem.rule,
        "path": list(problem.path),
        "hint": problem.hint,
        "at_key": problem.at_key,
        "location": [Path(os.path.relpath(where.file, profile.parent)).as_posix(), where.line, where.column]
        if where
        else None,
    }


def warning_from_record(record: Any, profile: Path) -> Problem:
    location = record.get("location")
    if location:
        location = [str(profile.parent / location[0]), *location[1:]]
    return Problem(
        str(record.get("message", "")),
        str(record.get("rule", "")),
        tuple(record.get("path", [])),
        str(record.get("hint", "")),
        Severity.WARNING,
        bool(record.get("at_key", False)),
        Location(str(location[0]), int(location[1]), int(location[2])) if location else None,
    )


def _files_match(root: Path, files: dict[str, str]) -> bool:
    """Every file still has the ledger's hash. (Threads were measured slower here: the GIL.)"""
    base = str(root)
    sha256 = hashlib.sha256
    for path, expected in files.items():
        try:
            if sha256(file_bytes(os.path.join(base, path))).hexdigest() != expected:
                return False
        except OSError:
            return False
    return True


def unchanged_tree(
    profile: Path, out: Path, phase: str | None = None, read: dict[Path, Ledger] | None = None
) -> UnchangedTree | None:
    """The tree under `out` that `profile` rendered (as of `phase`) and would render again as it
    is, if any. The ledgers read on the way are added to `read`, by root, for the full path."""
    name = source_of(profile)
    if not out.is_dir():
        return None
    for ledger_file in sorted(out.glob(f"*/{LEDGER}")):
        root = ledger_file.parents[1]
        try:
            ledger = read_ledger(root)
        except WriteError:
            continue
        if ledger is not None and read is not None:
            read[root] = ledger
        if ledger is None or ledger.source != name or ledger.inputs is None:
            continue
        if inputs_fingerprint(profile, ledger.inputs.files, phase) != ledger.inputs.fingerprint:
            return None
        files = dict(ledger.files)
        if not _files_match(root, files) or _anything_else(root, files):
            return None
        return UnchangedTree(root, ledger, profile)
    return None


def _anything_else(root: Path, files: dict[str, str]) -> bool:
    """Whether the tree holds a file the ledger does not list (the full path names such files);
    a nested tree with its own ledger (`gen plan`'s migration/) is its writer's business."""
    owned = set(files) | {LEDGER.as_posix()}
    for directory, folders, names in os.walk(root):
        here = Path(directory)
        folders[:] = [f for f in folders if not (here / f / LEDGER).is_file()]
        prefix = here.relative_to(root).as_posix()
        for name in names:
            if (name if prefix == "." else f"{prefix}/{name}") not in owned:
                return True
    return False
