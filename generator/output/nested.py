"""Trees inside a tree: a folder of a gen tree that holds its own ledger is another gen tree
(`gen plan` writes out/<profile>/migration/ inside the tree `gen render` writes). Its files belong
to its own ledger: the outer tree carries them over untouched, and does not report them as files
gen never wrote."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path, PurePosixPath

from .guard import WriteError
from .ledger import LEDGER, Ledger, read_ledger


def in_nested_trees(root: Path, paths: Iterable[str]) -> set[str]:
    """The `paths` (relative to `root`) that a ledger below `root` lists, or that are such a ledger."""
    ledgers: dict[str, Ledger | None] = {}
    found = set()
    for path in paths:
        parts = PurePosixPath(path).parts
        for end in range(1, len(parts)):
            folder = "/".join(parts[:end])
            if folder not in ledgers:
                try:
                    ledgers[folder] = read_ledger(root / folder)
                except WriteError:  # not a ledger gen can read: the files stay reported
                    ledgers[folder] = None
            ledger = ledgers[folder]
            inner = "/".join(parts[end:])
            if ledger is not None and (inner == str(LEDGER) or inner in ledger.files):
                found.add(path)
                break
    return found
