"""One computed change set between what a profile renders and what its tree holds: it feeds
writing, `--check` and `--diff` alike.

A path gen renders is created, updated or unchanged; a path the ledger owns that gen no longer
renders is deleted. A gen file whose bytes are no longer the ledger's was edited by hand, and a file
where gen would write that gen never wrote belongs to someone else: both are conflicts, kept unless
`--force`. Files gen never wrote elsewhere in the tree are left alone.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from .guard import refuse
from .ledger import LEDGER, Ledger, digest, file_bytes, read_ledger, safe_name
from .packed import ascending, position

if TYPE_CHECKING:  # rendering is not loaded on the no-change path
    from .render import RenderedFile


class Conflict(StrEnum):
    EDITED = "edited"  # gen wrote it, someone changed it since
    FOREIGN = "foreign"  # gen never wrote it, and would write there now


class Encoded(Mapping[str, bytes]):
    """path -> a rendered file's bytes, made each time they are asked for (comparing, hashing,
    writing): holding every file's bytes, or every derived file's text (output/derived.py), would
    grow a large render's memory by a copy per file, and making them costs less than a copy.

    A render's files come in path order (the plan's): they are looked up among their paths, by
    bisection where the next one is not the one asked for (each pass over them asks in order), not
    through a dict of them all. A render's files held as columns (output/held.py) are read there,
    their paths made when asked for, not held as a list of strings. Files in another order, or a
    path given twice, are indexed by a dict, which keeps the last. The files are the caller's,
    handed over: nobody changes them once the change set is made."""

    def __init__(self, files: Sequence[RenderedFile]) -> None:
        columns = getattr(files, "paths", None)  # RenderedFiles (not imported on the no-change path)
        paths: Sequence[str] = columns if columns is not None else [file.path for file in files]
        ordered = getattr(files, "ordered", False) or ascending(paths)
        self._files: Sequence[RenderedFile] = files if ordered else []
        self._paths: Sequence[str] = paths if ordered else []
        self._held = files if ordered and columns is not None else None
        self._by_path = None if ordered else {file.path: file for file in files}
        self._at = -1  # the file last found

    def _index(self, path: object) -> int:
        paths, at = self._paths, self._at + 1
        if at < len(paths) and paths[at] == path:
            self._at = at
            return at
        index = position(paths, path)
        if index >= 0:
            self._at = index
        return index

    def _file(self, path: object) -> RenderedFile | None:
        if self._by_path is not None:
            return self._by_path.get(path) if isinstance(path, str) else None
        index = self._index(path)
        return self._files[index] if index >= 0 else None

    def __getitem__(self, path: str) -> bytes:
        if self._held is not None:
            return b"".join(self.pieces(path))
        file = self._file(path)
        if file is None:
            raise KeyError(path)
        return file.text.encode("utf-8")

    def pieces(self, path: str) -> Iterable[bytes]:
        """The file's bytes, a large one's made a piece at a time (output/held.py)."""
        if self._held is not None:
            index = self._index(path)
            if index < 0:
                raise KeyError(path)
            return self.pieces_at(index)
        return (self[path],)

    def pieces_at(self, index: int) -> Iterable[bytes]:
        """pieces of the file at `index` of `paths`."""
        if self._held is not None:
            found: Iterable[bytes] = self._held.pieces(index)  # type: ignore[attr-defined]
            return found
        return (self._files[index].text.encode("utf-8"),)

    def __contains__(self, path: object) -> bool:
        if self._by_path is None:
            return self._index(path) >= 0
        return self._file(path) is not None

    def __iter__(self) -> Iterator[str]:
        return iter(self._by_path if self._by_path is not None else self._paths)

    def __len__(self) -> int:
        return len(self._by_path) if self._by_path is not None else len(self._paths)

    @property
    def paths(self) -> Sequence[str] | None:
        """Every path, in order, where the files came in path order; else None."""
        return self._paths if self._by_path is None else None

    def read_back(self) -> Iterator[str]:
        """The paths of the files read back from the tree (output/cache.py)."""
        if self._held is not None:
            held = self._held
            return (held.path(index) for index in range(len(held)) if held.on_disk(index))  # type: ignore[attr-defined]
        files = self._by_path.values() if self._by_path is not None else self._files
        return (file.path for file in files if file.on_disk)


@dataclass(frozen=True)
class ChangeSet:
    root: Path
    profile: str
    desired: Encoded
    previous: Ledger | None
    create: Sequence[str] = ()  # a first render's: every path, made when asked for
    update: tuple[str, ...] = ()
    delete: tuple[str, ...] = ()
    unchanged: tuple[str, ...] = ()
    conflicts: dict[str, Conflict] = field(default_factory=dict)
    foreign: tuple[str, ...] = ()  # files gen never wrote, elsewhere in the tree: left alone
    # Files read back from the tree (output/cache.py), whose hash is proven to be the ledger's.
    proven: frozenset[str] = frozenset()

    @property
    def drift(self) -> bool:
        """Whether the tree is not what the profile renders."""
        return bool(self.create or self.update or self.delete or self.conflicts)

    def current(self, path: str) -> bytes:
        target = self.root / path
        return target.read_bytes() if target.is_file() else b""

    def diff(self) -> str:
        """A unified diff from the tree as it is to the tree as the profile renders it."""
        chunks: list[str] = []
        for path in sorted({*self.create, *self.update, *self.delete, *self.conflicts}):
            old = self.current(path).decode("utf-8", "replace").splitlines(keepends=True)
            new = self.desired.get(path, b"").decode("utf-8").splitlines(keepends=True)
            chunks.extend(
                difflib.unified_diff(
                    old, new, f"a/{path}" if old else "/dev/null", f"b/{path}" if path in self.desired else "/dev/null"
                )
            )
        return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in chunks)


class _Containment:
    """Refuses any path that a symbolic link would lead out of the root; each directory is
    resolved once, however many files it holds. Paths are plain strings: this runs per file."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.base = str(root)
        self.resolved_root = root.resolve()
        self.checked: dict[str, bool] = {}

    def inside(self, relative: str, opened: bool = False) -> str:
        """`relative`'s path on disk; `opened`: the file itself was just opened without following a
        link (output/cache.py), so only its folder is checked: one check per folder, not per file."""
        safe_name(relative)
        directory = relative.rpartition("/")[0]
        if directory not in self.checked:
            self.checked[directory] = (self.root / directory).resolve().is_relative_to(self.resolved_root)
        target = os.path.join(self.base, relative)
        if not self.checked[directory] or (
            not opened and os.path.islink(target) and not Path(target).resolve().is_relative_to(self.resolved_root)
        ):
            raise refuse(
                Path(target),
                f"refusing to write: a symbolic link leads it outside {self.root}",
                "replace the symbolic link with a real directory, or render into another --out",
            )
        return target


def _read(target: str) -> bytes | None:
    """The file's bytes; None if nothing is there; b"" marks something that is not a file."""
    try:
        return file_bytes(target)
    except FileNotFoundError:
        return None if not os.path.islink(target) else b""
    except (IsADirectoryError, NotADirectoryError):
        return b"" if os.path.exists(target) else None


def _files_on_disk(root: Path) -> set[str]:
    found: set[str] = set()
    base = str(root)
    for directory, _, names in os.walk(root):
        prefix = os.path.relpath(directory, base).replace(os.sep, "/")
        found.update(names if prefix == "." else (f"{prefix}/{name}" for name in names))
    return found


def compute_changes(
    root: Path, profile: str, files: Iterable[RenderedFile], previous: Ledger | None | Literal["unread"] = "unread"
) -> ChangeSet:
    """`previous`: the tree's ledger, when the caller has read it already."""
    desired = Encoded(files if isinstance(files, Sequence) else list(files))
    proven = set(desired.read_back())  # read from this tree a moment ago
    if previous == "unread":
        previous = read_ledger(root)
    owned = previous.files if previous else {}
    create, update, unchanged, delete = [], [], [], []
    conflicts: dict[str, Conflict] = {}
    if not os.path.lexists(root):  # a first render: every file is new, and nothing can be in the way
        for path in desired:
            safe_name(path)
        return ChangeSet(root, profile, desired, previous, desired.paths or tuple(sorted(desired)))
    containment = _Containment(root)
    for path in desired:
        if path in proven:  # read from this tree a moment ago; carried over, never written through
            containment.inside(path, opened=True)
            unchanged.append(path)
            continue
        target = containment.inside(path)
        current = _read(target)
        if current is None:
            create.append(path)
        elif current == desired[path]:
            unchanged.append(path)
        elif path not in owned or (current == b"" and not os.path.isfile(target)):
            conflicts[path] = Conflict.FOREIGN
        elif digest(current) != owned[path]:
            conflicts[path] = Conflict.EDITED
        else:
            update.append(path)
    for path in sorted(set(owned) - set(desired)):
        target = containment.inside(path)
        if not os.path.isfile(target):
            continue
        if digest(file_bytes(target)) != owned[path]:
            conflicts[path] = Conflict.EDITED
        else:
            delete.append(path)
    on_disk = _files_on_disk(root) if root.is_dir() else set()
    foreign = sorted(on_disk - set(desired) - set(owned) - {str(LEDGER)})
    return ChangeSet(
        root, profile, desired, previous, tuple(sorted(create)), tuple(sorted(update)), tuple(delete),
        tuple(sorted(unchanged)), conflicts, tuple(foreign), frozenset(proven) if previous else frozenset(),
    )
