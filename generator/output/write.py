"""Stage 7, write: rendered texts -> files under out/<profile>/.

gen owns the files it wrote, and only those. A ledger, `.gen/manifest.json`, lists them with their
hashes. On each run:
- only files whose bytes change are written: all are staged as temporary files first, then
  renamed into place, so a failure while writing leaves the previous tree as it was;
- files that the ledger lists and the profile no longer renders are removed;
- a file gen did not write is never overwritten or removed: if one stands where gen would write,
  nothing is written and the conflict is reported;
- no path, even through a symbolic link, may lead outside the output folder;
- the ledger is written last, so an interrupted run is finished by the next one.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .render import RenderedFile

LEDGER = PurePosixPath(".gen/manifest.json")
FILE_MODE = 0o644


class WriteError(Exception):
    pass


@dataclass(frozen=True)
class WriteReport:
    root: Path
    written: tuple[str, ...]
    unchanged: tuple[str, ...]
    removed: tuple[str, ...]


def _safe_relative(path: str) -> PurePosixPath:
    """A path that stays inside the output root (ledger entries are read from disk)."""
    relative = PurePosixPath(path)
    if relative.is_absolute() or not relative.parts or any(part in ("..", "") for part in relative.parts):
        raise WriteError(f"refusing a path outside the output folder: {path!r}")
    return relative


def _inside(root: Path, relative: str) -> Path:
    """`root/relative`, refused if a symbolic link on the way leads out of `root`."""
    target = root / _safe_relative(relative)
    if not target.resolve().is_relative_to(root.resolve()):
        raise WriteError(f"refusing {target}: a symbolic link leads it outside {root}")
    return target


def ledger_text(profile: str, files: Iterable[RenderedFile]) -> str:
    entries = {file.path: hashlib.sha256(file.text.encode("utf-8")).hexdigest() for file in files}
    body = {"generator": "gen", "profile": profile, "files": dict(sorted(entries.items()))}
    return json.dumps(body, indent=2, sort_keys=True) + "\n"


def read_ledger(root: Path) -> set[str]:
    ledger = root / LEDGER
    if not ledger.is_file():
        return set()
    try:
        files = json.loads(ledger.read_text("utf-8")).get("files", {})
    except (ValueError, AttributeError):
        raise WriteError(f"{ledger} is not a gen ledger; remove it to render again") from None
    if not isinstance(files, dict):
        raise WriteError(f"{ledger} is not a gen ledger; remove it to render again")
    return {str(_safe_relative(path)) for path in files}


def _stage(target: Path, data: bytes) -> Path:
    """Write `data` beside `target` under a temporary name; the caller renames it into place."""
    target.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
        os.chmod(temporary, FILE_MODE)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return Path(temporary)


def _replace_all(changes: list[tuple[Path, bytes]]) -> None:
    """Stage every file first, then rename them all into place."""
    staged: list[tuple[Path, Path]] = []
    try:
        for target, data in changes:
            staged.append((_stage(target, data), target))
        for index, (temporary, target) in enumerate(staged):
            try:
                os.replace(temporary, target)
            except OSError as error:
                error.filename = str(target)
                staged = staged[index:]
                raise
        staged = []
    finally:
        for temporary, _ in staged:
            temporary.unlink(missing_ok=True)


def _remove_empty_parents(path: Path, root: Path) -> None:
    parent = path.parent
    while parent != root and parent.is_dir() and not any(parent.iterdir()):
        parent.rmdir()
        parent = parent.parent


def write_tree(root: Path, profile: str, files: list[RenderedFile]) -> WriteReport:
    try:
        previous = read_ledger(root)
        changes: list[tuple[Path, bytes]] = []
        written, unchanged, conflicts = [], [], []
        for file in files:
            target = _inside(root, file.path)
            data = file.text.encode("utf-8")
            if target.is_file() and target.read_bytes() == data:
                unchanged.append(file.path)
                continue
            if target.exists() and (not target.is_file() or file.path not in previous):
                conflicts.append(file.path)
            changes.append((target, data))
            written.append(file.path)
        if conflicts:
            raise WriteError(
                f"{len(conflicts)} file(s) in {root} were not written by gen and would be replaced: "
                + ", ".join(conflicts)
                + "; move them away (or delete them) and render again"
            )
        stale = [_inside(root, path) for path in sorted(previous - {file.path for file in files})]
        _replace_all(changes)
        removed = []
        for target in stale:
            if target.is_file():
                target.unlink()
                _remove_empty_parents(target, root)
                removed.append(str(target.relative_to(root)))
        ledger = root / LEDGER
        ledger_data = ledger_text(profile, files).encode("utf-8")
        if not ledger.is_file() or ledger.read_bytes() != ledger_data:
            _replace_all([(ledger, ledger_data)])
    except OSError as error:
        raise WriteError(f"cannot write {error.filename or root}: {error.strerror}") from None
    return WriteReport(root, tuple(written), tuple(unchanged), tuple(removed))
