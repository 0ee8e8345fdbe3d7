"""Stage 7, write: rendered texts -> files under out/<profile>/.

Only files whose bytes change are written: all of them are staged as temporary files first, then
renamed into place, so a failure while writing leaves the previous tree as it was. A ledger,
`.gen/manifest.json`, lists every file gen wrote with its hash; on the next run, files listed there
that the profile no longer renders are removed. Files gen never wrote are never touched.
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
    """Stage every file first, then rename them all: a failure while writing (a full disk, a
    permission) leaves the previous tree as it was."""
    staged: list[tuple[Path, Path]] = []
    try:
        for target, data in changes:
            staged.append((_stage(target, data), target))
    except BaseException:
        for temporary, _ in staged:
            temporary.unlink(missing_ok=True)
        raise
    for temporary, target in staged:
        os.replace(temporary, target)


def _remove_empty_parents(path: Path, root: Path) -> None:
    parent = path.parent
    while parent != root and parent.is_dir() and not any(parent.iterdir()):
        parent.rmdir()
        parent = parent.parent


def write_tree(root: Path, profile: str, files: list[RenderedFile]) -> WriteReport:
    try:
        previous = read_ledger(root)
        changes: list[tuple[Path, bytes]] = []
        written, unchanged = [], []
        for file in files:
            target = root / _safe_relative(file.path)
            data = file.text.encode("utf-8")
            if target.is_file() and target.read_bytes() == data:
                unchanged.append(file.path)
            else:
                changes.append((target, data))
                written.append(file.path)
        ledger = root / LEDGER
        ledger_data = ledger_text(profile, files).encode("utf-8")
        if written or not ledger.is_file() or ledger.read_bytes() != ledger_data:
            changes.append((ledger, ledger_data))
        _replace_all(changes)
        removed = []
        for stale in sorted(previous - {file.path for file in files}):
            target = root / stale
            if target.is_file():
                target.unlink()
                _remove_empty_parents(target, root)
                removed.append(stale)
    except OSError as error:
        raise WriteError(f"cannot write {error.filename or root}: {error.strerror}") from None
    return WriteReport(root, tuple(written), tuple(unchanged), tuple(removed))
