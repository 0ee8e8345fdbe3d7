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
import sysconfig
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ..problems import Location, Problem
from .render import RenderedFile

LEDGER = PurePosixPath(".gen/manifest.json")
FILE_MODE = 0o644
PACKAGE = Path(__file__).resolve().parents[1]  # generator/: its code and its templates


def write_problem(path: Path | str, message: str, hint: str) -> Problem:
    """A problem of the output tree: it names a path on disk, not a place in the profile."""
    return Problem(message, "write", hint=hint, location=Location(str(path), 0, 0))


class WriteError(Exception):
    """The tree could not be written. `partial`: some files were already replaced (the ledger was
    not, so the next render finishes the job)."""

    def __init__(self, problems: list[Problem], partial: bool = False) -> None:
        super().__init__("; ".join(f"{p.location.file if p.location else ''}: {p.message}" for p in problems))
        self.problems = problems
        self.partial = partial


def _refuse(path: Path | str, message: str, hint: str) -> WriteError:
    return WriteError([write_problem(path, message, hint)])


def _install_dirs() -> set[Path]:
    """Where Python keeps installed packages: never an output folder."""
    names = ("purelib", "platlib")
    return {Path(sysconfig.get_paths()[name]).resolve() for name in names}


def check_output_root(root: Path, profile_file: Path | None = None) -> list[Problem]:
    """Reasons not to write under `root` at all, found before anything is written: it would land in
    gen's own package (code or templates) or among installed packages, hold the profile itself
    (`profile_file`, given for the final out/<profile>/), or sit below a file."""
    problems = []
    resolved = root.resolve()
    if resolved.is_relative_to(PACKAGE) or (profile_file is not None and PACKAGE.is_relative_to(resolved)):
        problems.append(
            write_problem(
                root,
                f"refusing to write into gen's own package ({PACKAGE})",
                "choose an output folder outside the installed package and the source tree's generator/",
            )
        )
    elif any(resolved.is_relative_to(directory) for directory in _install_dirs()):
        problems.append(
            write_problem(
                root,
                "refusing to write among Python's installed packages",
                "choose an output folder in your GitOps repository, such as out/",
            )
        )
    if profile_file is not None and profile_file.resolve().is_relative_to(resolved):
        problems.append(
            write_problem(
                root,
                f"refusing to write over the profile: {profile_file} lies inside the output folder",
                "keep profiles outside out/<profile>/; choose another --out",
            )
        )
    for ancestor in (resolved, *resolved.parents):
        if ancestor.exists():
            if not ancestor.is_dir():
                problems.append(
                    write_problem(
                        ancestor,
                        "is not a directory, so the output folder cannot be made below it",
                        "give --out a directory (or a path that does not exist yet)",
                    )
                )
            break
    return problems


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
        raise _refuse(path, "refusing a path outside the output folder", "the ledger was edited by hand; remove it")
    return relative


def _inside(root: Path, relative: str) -> Path:
    """`root/relative`, refused if a symbolic link on the way leads out of `root`."""
    target = root / _safe_relative(relative)
    if not target.resolve().is_relative_to(root.resolve()):
        raise _refuse(
            target,
            f"refusing to write: a symbolic link leads it outside {root}",
            "replace the symbolic link with a real directory, or render into another --out",
        )
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
        raise _refuse(ledger, "is not a gen ledger", "remove it to render again") from None
    if not isinstance(files, dict):
        raise _refuse(ledger, "is not a gen ledger", "remove it to render again")
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


def _replace_all(changes: list[tuple[Path, bytes]], replaced: list[Path]) -> None:
    """Stage every file first, then rename them all into place (each one is added to `replaced`)."""
    staged: list[tuple[Path, Path]] = []
    try:
        for target, data in changes:
            staged.append((_stage(target, data), target))
        for index, (temporary, target) in enumerate(staged):
            try:
                os.replace(temporary, target)
                replaced.append(target)
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
    replaced: list[Path] = []  # renamed into place or removed: after the first, a failure is partial
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
                [
                    write_problem(
                        root / path,
                        "was not written by gen and would be replaced",
                        "move it away (or delete it) and render again",
                    )
                    for path in conflicts
                ]
            )
        stale = [_inside(root, path) for path in sorted(previous - {file.path for file in files})]
        _replace_all(changes, replaced)
        removed = []
        for target in stale:
            if target.is_file():
                target.unlink()
                replaced.append(target)
                _remove_empty_parents(target, root)
                removed.append(str(target.relative_to(root)))
        ledger = root / LEDGER
        ledger_data = ledger_text(profile, files).encode("utf-8")
        if not ledger.is_file() or ledger.read_bytes() != ledger_data:
            _replace_all([(ledger, ledger_data)], [])
    except OSError as error:
        where = error.filename or root
        detail = error.strerror or str(error)
        hint = (
            "render again once the cause is fixed: the ledger still describes the previous run, so the "
            "next render finishes this one"
            if replaced
            else "check that this path is a writable directory (or does not exist yet)"
        )
        raise WriteError([write_problem(where, f"cannot write: {detail}", hint)], partial=bool(replaced)) from None
    return WriteReport(root, tuple(written), tuple(unchanged), tuple(removed))
