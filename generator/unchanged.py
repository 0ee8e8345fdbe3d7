"""The no-change path: a profile whose inputs are those its tree was rendered from, on a tree
whose files still have the ledger's hashes, renders to exactly that tree (rendering is
deterministic), so nothing is loaded, rendered or written. Anything else takes the full path.

Imports stay light (the standard library, the ledger, the fingerprint): this path is what makes
`gen render --check` cheap on every pull request.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Mapping
from pathlib import Path

from .output.fingerprint import inputs_fingerprint
from .output.guard import WriteError
from .output.ledger import LEDGER, Ledger, read_ledger, source_of, summarized, summary
from .record import Record
from .stat_cache import UNKNOWN, Status, holds, recall, recording, remember, save
from .parallel import can_fork
from .unchanged_probe import (FORK_FROM, TRUSTED, Probe, cached_statuses, check, names_digest, regular_files, split,
                              statuses_of)

# Not `typing.TYPE_CHECKING`: typing costs the no-change path milliseconds to import; mypy reads any
# TYPE_CHECKING as true.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from .problems import Problem


class UnchangedTree(Record):
    """A tree that is what its profile renders (a record, generator/record.py)."""

    __slots__ = ("root", "ledger", "profile")

    def __init__(self, root: Path, ledger: Ledger, profile: Path) -> None:
        self.root = root
        self.ledger = ledger
        self.profile = profile

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
    from .problems import Location, Problem, Severity  # only for a tree whose render warned

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


def unchanged_tree(
    profile: Path, out: Path, phase: str | None = None, read: dict[Path, Ledger] | None = None
) -> UnchangedTree | None:
    """The tree under `out` that `profile` rendered (as of `phase`) and would render again as it
    is, if any. The ledgers read on the way are added to `read`, by root, for the full path."""
    name = source_of(profile)
    if not out.is_dir():
        return None
    said = b'"source": ' + json.dumps(name).encode("ascii")  # how gen's ledger names this profile
    for ledger_file in sorted(out.glob(f"*/{LEDGER}")):
        root = ledger_file.parents[1]
        if root.name.startswith("."):  # a staging folder (a killed render's may hold a whole tree)
            continue
        seen: list[tuple[bytes, int | None]] = []  # the ledger's digest; when the run began, if recording

        def probe(data: bytes, root: Path = root) -> Ledger | None:
            """This profile's tree: its ledger's digest (whose recorded statuses apply), and for a
            large tree a child that walks and checks a share of it meanwhile; the ledger as recorded
            for that digest (stat_cache.recall), if it is."""
            if said not in data:
                return None
            seen.append((hashlib.sha256(data).digest(), time.time_ns() if recording() else None))
            # a line per file and per key; never a child walking where a link leads (nor does this process)
            if data.count(b"\n") // 2 >= FORK_FROM and can_fork() and not os.path.islink(root) and root.is_dir():
                started = Probe.start(str(root), *seen[0])
                probes.extend([started] if started is not None else [])
            kept = recall(str(root), seen[0][0]) if seen[0][1] is not None and holds(str(root), seen[0][0]) else None
            known = summarized(*kept, data) if kept is not None else None
            recalled.extend([known] if known is not None else [])
            return known

        probes: list[Probe] = []
        recalled: list[Ledger] = []  # the ledger as recorded, not parsed
        try:
            try:
                ledger = read_ledger(root, probe)
            except WriteError:
                continue
            if ledger is not None and read is not None:  # a recalled one is parsed there (ledger.parsed)
                read[root] = ledger
            if ledger is None or ledger.source != name or ledger.inputs is None:
                continue
            if os.path.islink(root) or inputs_fingerprint(profile, ledger.inputs.files, phase) != ledger.inputs.fingerprint:
                return None
            # `seen` empty: a ledger of this profile not in gen's own spelling; the full path rewrites it
            if not seen or not _tree_matches(str(root), ledger.files, probes[0] if probes else None, *seen[0]):
                return None
            if not recalled and seen[0][1] is not None and holds(str(root), seen[0][0]):  # for the next run:
                remember(str(root), seen[0][0], summary(ledger), sorted(ledger.files))  # no ledger to parse
            return UnchangedTree(root, ledger, profile)
        finally:
            for started in probes:
                started.close()
    return None


def _tree_matches(root: str, files: Mapping[str, str], probe: Probe | None, ledger: bytes, started: int | None) -> bool:
    """Whether the tree holds exactly the ledger's files (and the ledger), each a regular file with
    the ledger's hash; with a `probe`, its child has walked the tree and checks its share (split).
    A file whose status is the one recorded for this ledger is not read (stat_cache.py); when any
    was read, and all matched, the statuses are recorded for the next run."""
    names = sorted(files)
    digest = names_digest(names)
    if digest is None:
        return False
    cached = cached_statuses(root, ledger, digest, len(names)) if started is not None else None
    if probe is None:
        if regular_files(root) != names:
            return False
        parts = [check(root, names, 0, cached, started)]
    else:
        share = split(len(names))
        known = statuses_of(root, names[:share]) if cached is not None else None  # read nothing yet
        if probe.walked() != digest:  # nothing is read before the walk matched
            return False
        first = check(root, names[:share], 0, cached, started, known)
        if first is None or not _agree(first.hashes, names[:share], files):
            return False
        parts = [first, probe.hashed()]
    checked = [part for part in parts if part is not None]
    hashes = [found for part in checked for found in part.hashes]
    if len(checked) != len(parts) or not _agree(hashes, names, files):
        return False
    if started is not None and any(found != TRUSTED for found in hashes):  # some were read: record them
        statuses: list[Status] = []
        for part in checked:  # a part whose files were all trusted left their statuses to the record
            count = len(part.hashes)
            statuses += part.statuses if part.statuses is not None else (cached or [])[len(statuses):len(statuses) + count]
        if len(statuses) == len(names) and any(status != UNKNOWN for status in statuses):  # else nothing to keep
            save(root, ledger, digest, [number for status in statuses for number in status])
    return True


def _agree(hashes: list[str], names: list[str], files: Mapping[str, str]) -> bool:
    """Each file has the ledger's hash (or a recorded status that proves it)."""
    return len(hashes) == len(names) and all(
        found == TRUSTED or found == files.get(name) for found, name in zip(hashes, names))
