"""The no-change path: a profile whose inputs are those its tree was rendered from, on a tree
whose files still have the ledger's hashes, renders to exactly that tree (rendering is
deterministic), so nothing is loaded, rendered or written. Anything else takes the full path.

Imports stay light (the standard library, the ledger, the fingerprint): this path is what makes
`gen render --check` cheap on every pull request.
"""

from __future__ import annotations

import hashlib
import os
import sys
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


FORK_FROM = 2000  # files: from here on, a forked child hashes half of them


def _files_match(root: Path, files: dict[str, str]) -> bool:
    """Every file still has the ledger's hash (the walk has shown each is a regular file; reading
    refuses a symbolic link that took one's place since). A large tree is hashed by two processes:
    this one and a child forked for the second half, which costs little here (this path holds no
    plan, only the ledger); threads were measured slower (the GIL)."""
    base = str(root)
    items = list(files.items())
    threading = sys.modules.get("threading")  # a process with threads (a progress bar's) is not forked
    if (len(items) < FORK_FROM or not hasattr(os, "fork") or (os.cpu_count() or 1) < 2
            or (threading is not None and threading.active_count() > 1)):
        return _match(base, items)
    half = len(items) // 2
    try:
        read_end, write_end = os.pipe()
    except OSError:
        return _match(base, items)
    try:
        child = os.fork()
    except OSError:  # no process to spare (a pids limit): hash them all here
        os.close(read_end)
        os.close(write_end)
        return _match(base, items)
    if child == 0:  # the child: hash the second half, say whether it matched, and leave at once
        try:
            os.close(read_end)
            os.write(write_end, b"1" if _match(base, items[half:]) else b"0")
        finally:
            os._exit(0)
    os.close(write_end)
    answer = b""
    try:
        matched = _match(base, items[:half])
        answer = os.read(read_end, 1)  # b"" if the child failed: then the full path decides
    finally:
        os.close(read_end)
        try:
            os.waitpid(child, 0)
        except ChildProcessError:  # SIGCHLD ignored by whoever runs gen: reaped already
            pass
    return matched and answer == b"1"


def _match(base: str, items: list[tuple[str, str]]) -> bool:
    sha256 = hashlib.sha256
    for path, expected in items:
        try:
            if sha256(file_bytes(os.path.join(base, path), follow=False)).hexdigest() != expected:
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
        if root.name.startswith("."):  # a staging folder (a killed render's may hold a whole tree)
            continue
        try:
            ledger = read_ledger(root)
        except WriteError:
            continue
        if ledger is not None and read is not None:
            read[root] = ledger
        if ledger is None or ledger.source != name or ledger.inputs is None:
            continue
        if os.path.islink(root) or inputs_fingerprint(profile, ledger.inputs.files, phase) != ledger.inputs.fingerprint:
            return None
        files = dict(ledger.files)
        if not _only_regular_files(str(root), files) or not _files_match(root, files):
            return None
        return UnchangedTree(root, ledger, profile)
    return None


def _only_regular_files(root: str, files: dict[str, str]) -> bool:
    """Whether the tree holds exactly the files the ledger lists (and the ledger), each a regular
    file in a real folder: no symbolic link, FIFO or device anywhere (reading through one could
    leave the tree, block or never end), no file the full path would name. A nested tree with its
    own ledger (`gen plan`'s migration/) is its writer's business. One scandir per folder, whose
    entry types cost no system call."""
    ledger = LEDGER.as_posix()
    owned = set(files)
    owned.add(ledger)
    found = 0
    folders = [("", root)]
    try:
        while folders:
            prefix, folder = folders.pop()
            with os.scandir(folder) as entries:
                for entry in entries:
                    relative = prefix + entry.name
                    if entry.is_dir(follow_symlinks=False):
                        if not os.path.isfile(os.path.join(entry.path, ledger)):
                            folders.append((relative + "/", entry.path))
                    elif entry.is_file(follow_symlinks=False) and relative in owned:
                        found += 1
                    else:
                        return False
    except OSError:  # a folder went away as it was read
        return False
    return found == len(owned)
