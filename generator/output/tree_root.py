"""What stands at a tree's root (out/<profile>/) before gen reads or writes it: nothing, or a gen
tree. A symbolic link there would have gen write wherever it points (and swap the link itself
away), a file is not a folder, a `.gen` that is not a folder cannot hold the ledger, and a folder
of someone else's files without a ledger is not gen's to take (unless `--force`)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from ..problems import Problem
from .guard import write_problem
from .ledger import LEDGER

ANOTHER_OUT = "render into another --out"


def _foreign_file(root: Path) -> str | None:
    """A file below `root` that no tree's ledger can own (a folder with its own ledger is a nested
    gen tree, `gen plan`'s migration/, and is skipped); None if there is none. Stops at the first."""
    for directory, folders, names in os.walk(root):
        here = Path(directory)
        links = [f for f in folders if os.path.islink(here / f)]  # os.walk lists them, and stays out
        folders[:] = sorted(f for f in folders if f not in links and not os.path.lexists(here / f / LEDGER))
        for name in sorted([*names, *links]):
            return (here / name).relative_to(root).as_posix()
    return None


def tree_root_problems(root: Path, force: bool = False) -> list[Problem]:
    """Reasons not to treat `root` as a gen tree (none if it does not exist yet)."""
    try:
        mode = os.lstat(root).st_mode
    except FileNotFoundError:
        return []
    except OSError as error:
        return [write_problem(root, f"cannot read the output folder: {error.strerror}", "check its permissions")]
    if stat.S_ISLNK(mode):
        return [write_problem(root, f"is a symbolic link (to {os.readlink(root)}); gen writes a tree only into a "
                              "folder of its own", f"remove the link (gen would write where it points), or {ANOTHER_OUT}")]
    if not stat.S_ISDIR(mode):
        return [write_problem(root, "is not a folder, so the tree cannot be written there",
                              f"move it away, or {ANOTHER_OUT}")]
    folder = root / LEDGER.parent
    if os.path.lexists(folder) and not (os.path.isdir(folder) and not os.path.islink(folder)):
        return [write_problem(folder, "is not a folder: gen keeps the tree's ledger there",
                              f"remove it (gen writes this folder itself), or {ANOTHER_OUT}")]
    if force or os.path.lexists(root / LEDGER):
        return []
    foreign = _foreign_file(root)
    if foreign is None:
        return []
    return [write_problem(root, f"is not a gen tree: it has no ledger ({LEDGER}) and holds files not written by "
                          f"gen, such as {foreign}",
                          f"{ANOTHER_OUT}, move the folder away, or render with --force to let gen take it over "
                          "(files where gen writes are replaced, the others kept)")]
