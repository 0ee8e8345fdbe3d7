"""Stage 7, write: a change set -> files under out/<profile>/, all at once or not at all.

gen owns the files its ledger lists, and only those. A write never shows a mix of two renders:
the new tree is built beside the old one (files that do not change are hard links to the old ones,
so they keep their bytes, inode and mtime; files gen does not own are linked over untouched), then
the two directories are swapped with one `renameat2(RENAME_EXCHANGE)` and the old one is removed.
A render killed at any instant leaves the old tree or the new one, plus at most a leftover staging
folder beside it that the next render clears. Where the system cannot swap directories, files are
renamed into place one by one and the ledger last (the next render finishes an interrupted one).
"""

from __future__ import annotations

import ctypes
import errno
import os
import shutil
import tempfile
from hashlib import sha256
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from ..parallel import in_slices
from .changes import ChangeSet, Conflict, Encoded, compute_changes
from .guard import WriteError, refuse, write_problem
from .ledger import LEDGER, Inputs, Ledger
from .lock import clear_abandoned, staging_prefix, tree_lock
from .packed import HASH_BYTES, Packed
from .tree_root import tree_root_problems

if TYPE_CHECKING:  # rendering is not loaded on the no-change path
    from .render import RenderedFile

FILE_MODE = 0o644
_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


@dataclass(frozen=True)
class WriteReport:
    root: Path
    written: Sequence[str]  # a first render's: every path, made when asked for
    unchanged: tuple[str, ...]
    removed: tuple[str, ...]
    kept: tuple[str, ...]  # conflicting files left as they are (no --force)
    leftovers: tuple[Path, ...] = ()  # staging folders beside the tree whose builder may still run


def _exchange(first: Path, second: Path) -> bool:
    """Swap two directories atomically; False where the system cannot."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    if renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(second))


def _write_file(target: str, data: bytes | Iterable[bytes], made: set[str] | None = None) -> None:
    """Write a new file (mode 0644 whatever the umask, or a folder's default ACL, which overrides
    the umask: so each file's mode is checked) of `data`, or of its pieces in turn; `made`
    remembers directories made already. Paths are plain strings: this runs once per file."""
    parent = os.path.dirname(target)
    if made is None or parent not in made:
        os.makedirs(parent, exist_ok=True)
        if made is not None:
            made.add(parent)
    descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    try:
        if os.fstat(descriptor).st_mode & 0o777 != FILE_MODE:  # the umask or an ACL made it another
            os.fchmod(descriptor, FILE_MODE)
        for piece in (data,) if isinstance(data, bytes) else data:
            view = memoryview(piece)
            while view:
                view = view[os.write(descriptor, view):]
    finally:
        os.close(descriptor)


def _holds(path: Path, ledger: Ledger) -> bool:
    """Whether the file at `path` holds exactly the ledger's bytes, read piece by piece."""
    try:
        with open(path, "rb") as handle:
            return all(handle.read(len(piece)) == piece for piece in ledger.chunks()) and not handle.read(1)
    except OSError:
        return False


PARALLEL_FROM = 4000  # files to write: below this, a second process costs more than it saves


def _write_files(base: str, paths: Sequence[str], desired: Encoded) -> None:
    """Write new files under `base`, on both cores for many (the forked writer inherits the texts);
    each file's bytes are made as it is written, and let go."""

    every = paths is desired.paths  # a first render's: each file found by its place, not its path

    def work(start: int, end: int) -> None:
        made: set[str] = set()
        for index in range(start, end):
            path = paths[index]
            _write_file(os.path.join(base, path), desired.pieces_at(index) if every else desired.pieces(path), made)

    in_slices(work, len(paths), PARALLEL_FROM)


def _link_or_copy(source: str, target: str, made: set[str]) -> None:
    """Carry a file over into the new tree: a hard link (a symbolic link is linked as the link
    itself, never followed), or a copy where the file system has no hard links."""
    parent = os.path.dirname(target)
    if parent not in made:
        os.makedirs(parent, exist_ok=True)
        made.add(parent)
    try:
        os.link(source, target, follow_symlinks=False)
    except OSError:
        if os.path.islink(source):
            os.symlink(os.readlink(source), target)
        else:
            shutil.copy2(source, target)


def _plan_tree(changes: ChangeSet, force: bool) -> tuple[Sequence[str], set[str], Ledger, tuple[str, ...]]:
    """(files to write, sorted; files to carry over from the old tree; the new ledger; conflicts kept)."""
    kept = tuple(sorted(path for path in changes.conflicts if not force))
    more = [*changes.update, *(path for path in changes.conflicts if force and path in changes.desired)]
    # A first render's files to write are its paths, in order, made when asked for (output/held.py).
    write: Sequence[str] = sorted([*changes.create, *more]) if more else changes.create
    carry = {*changes.unchanged, *changes.foreign, *kept}
    previous = changes.previous.files if changes.previous else {}
    desired, proven = changes.desired, changes.proven  # a file read back has the ledger's hash, proven

    def hashed_as(path: str, pieces: Iterable[bytes]) -> bytes:
        if path in proven:
            return bytes.fromhex(previous[path])
        hashed = sha256()
        for piece in pieces:  # a large file's bytes, a piece at a time
            hashed.update(piece)
        return hashed.digest()

    paths = desired.paths
    if paths is not None:  # in path order: the ledger holds the render's paths
        digests = bytearray()
        for index, path in enumerate(paths):
            digests += hashed_as(path, desired.pieces_at(index))
        hashed = Packed(paths, digests, HASH_BYTES)
    else:
        hashed = Packed.of(((path, hashed_as(path, desired.pieces(path))) for path in desired), HASH_BYTES)
    # a kept edit stays an edit: the ledger keeps the hash gen wrote
    files = hashed.updated({path: previous[path] for path in kept if path in previous})
    return write, carry, Ledger(changes.profile, None, files), kept


def _without(keys: Mapping[str, str], paths: tuple[str, ...]) -> Mapping[str, str]:
    if not paths:
        return keys
    if isinstance(keys, Packed):
        return keys.without(paths)
    return {path: key for path, key in keys.items() if path not in paths}


def apply_changes(
    changes: ChangeSet,
    source: str | None,
    force: bool = False,
    inputs: Inputs | None = None,
    keys: Mapping[str, str] | None = None,
) -> WriteReport:
    """Make the tree what `changes` says (conflicts kept unless `force`); `source` names the
    profile file in the ledger, `inputs` what it was rendered from (none while a conflict is kept:
    such a tree is not what the profile renders)."""
    root = changes.root
    write, carry, ledger, kept = _plan_tree(changes, force)
    if source is None and changes.previous is not None:
        source = changes.previous.source
    # A kept conflict is not what the profile renders: no fingerprint, and no cache key for it.
    cache_keys = _without(keys or {}, kept)
    ledger = Ledger(ledger.profile, source, ledger.files, None if kept else inputs, cache_keys)
    removed = tuple(path for path in changes.delete if force or path not in kept)
    if force:
        removed = tuple(sorted({*removed, *(p for p in changes.conflicts if p not in changes.desired)}))
    current_ledger = root / LEDGER
    unchanged_ledger = current_ledger.is_file() and _holds(current_ledger, ledger)
    report = WriteReport(root, tuple(write) if isinstance(write, list) else write, changes.unchanged, removed, kept)
    if not write and not removed and unchanged_ledger:
        return report
    staging = root
    try:
        root.parent.mkdir(parents=True, exist_ok=True)
        report = replace(report, leftovers=clear_abandoned(root))  # the caller holds the tree's lock
        staging = Path(tempfile.mkdtemp(prefix=staging_prefix(root), dir=root.parent))
        try:
            made: set[str] = set()
            old, new = str(root), str(staging)
            for path in sorted(carry):
                _link_or_copy(os.path.join(old, path), os.path.join(new, path), made)
            _write_files(new, write, changes.desired)
            _write_file(str(staging / LEDGER), ledger.chunks())
            os.chmod(staging, 0o755)
            if not root.exists():
                os.rename(staging, root)
            elif _exchange(staging, root):
                shutil.rmtree(staging)  # the old tree, now at the staging path
            else:
                _replace_in_place(root, staging, write, removed)
        finally:
            if staging.exists():
                shutil.rmtree(staging, ignore_errors=True)
    except OSError as error:
        raise WriteError(
            [write_problem(_shown(error.filename, staging, root), f"cannot write: {error.strerror or error}",
                           "check that this path is a writable directory (or does not exist yet)")]
        ) from None
    return report


def _shown(filename: object, staging: Path, root: Path) -> str:
    """Where a failed write happened, named in the tree: the staging folder is gone by now."""
    if not isinstance(filename, str) or not filename:
        return str(root)
    if staging != root and Path(filename).is_relative_to(staging):
        return str(root / Path(filename).relative_to(staging))
    return filename


def _replace_in_place(root: Path, staging: Path, write: Sequence[str], removed: tuple[str, ...]) -> None:
    """Without a directory swap: rename each new file into place, remove the stale ones, then the
    ledger last, so an interrupted run is finished by the next one."""
    replaced = 0
    try:
        for path in write:
            (root / path).parent.mkdir(parents=True, exist_ok=True)
            os.replace(staging / path, root / path)
            replaced += 1
        for path in removed:
            (root / path).unlink(missing_ok=True)
            replaced += 1
            _remove_empty_parents(root / path, root)
        os.replace(staging / LEDGER, root / LEDGER)
    except OSError as error:
        if replaced:
            raise WriteError(
                [write_problem(error.filename or root, f"cannot write: {error.strerror}",
                               "render again once the cause is fixed: the ledger still describes the previous "
                               "run, so the next render finishes this one")],
                partial=True,
            ) from None
        raise


def _remove_empty_parents(path: Path, root: Path) -> None:
    parent = path.parent
    while parent != root and parent.is_dir() and not any(parent.iterdir()):
        parent.rmdir()
        parent = parent.parent


def check_source(changes: ChangeSet, source: str, force: bool) -> None:
    """A tree belongs to the profile file that first rendered it."""
    previous = changes.previous
    if previous is None or previous.source is None or previous.source == source or force:
        return
    raise refuse(
        changes.root,
        f"was rendered from {previous.source}, not from {source} (both name profile '{changes.profile}')",
        "give one of the profiles another `profile:` name, or --force to hand the tree to this profile",
    )


def refuse_foreign(changes: ChangeSet, force: bool) -> None:
    """gen never overwrites a file it did not write, unless told to."""
    foreign = [path for path, kind in changes.conflicts.items() if kind is Conflict.FOREIGN]
    if foreign and not force:
        raise WriteError(
            [
                write_problem(changes.root / path, "was not written by gen and would be replaced",
                              "move it away (or delete it) and render again, or render with --force")
                for path in sorted(foreign)
            ]
        )


def write_tree(
    root: Path, profile: str, files: list[RenderedFile], source: str | None = None, force: bool = False
) -> WriteReport:
    """Compute the changes and apply them, holding the tree's lock; refuses (WriteError) what gen
    may not do."""
    refused = tree_root_problems(root, force)
    if refused:
        raise WriteError(refused)
    with tree_lock(root):
        try:
            changes = compute_changes(root, profile, files)
        except OSError as error:
            raise refuse(error.filename or root, f"cannot read: {error.strerror}", "check the output folder") from None
        if source is not None:
            check_source(changes, source, force)
        refuse_foreign(changes, force)
        return apply_changes(changes, source, force)


def conflict_message(conflict: Conflict) -> str:
    return {
        Conflict.EDITED: "was edited by hand since gen wrote it; kept as it is",
        Conflict.FOREIGN: "was not written by gen and stands where gen would write; kept as it is",
    }[conflict]
