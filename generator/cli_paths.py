"""The paths the command line names, checked before anything is read or written: an empty path (an
unset variable, `--out "$OUT"`) is a usage error, not the current folder; a file gen writes
(`gen schema -o`, `gen init -o`) must have an existing folder, must not be a folder, a symbolic
link or a special file, and must lie outside gen's own package and Python's installed packages.
Each refusal is exit 2 with one line that names the path; nothing is written through a link: a file
is written beside its target and renamed over it (or created exclusively)."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from .files import replace_file
from .output.guard import gen_owned

if TYPE_CHECKING:  # the checks serve `gen schemas export` and kubeconform too: typer only where it is used
    import typer


def path_argument(value: str | Path) -> Path:
    """A path argument of the command line (typer's `parser`): any text but the empty one."""
    import typer

    if isinstance(value, Path):  # a default
        return value
    if not value:
        raise typer.BadParameter("is an empty path (an unset variable?)")
    return Path(value)


def _kind(mode: int) -> str | None:
    if stat.S_ISLNK(mode):
        return "is a symbolic link: gen does not write through one"
    if stat.S_ISDIR(mode):
        return "is a folder: give a file name"
    if not stat.S_ISREG(mode):
        return "is not a regular file"
    return None


def output_file_problem(path: Path) -> str | None:
    """Why gen may not write the file `path` (None: it may)."""
    folder = path.parent
    try:
        if not os.path.isdir(folder):
            return f"its folder {folder} does not exist" if not os.path.lexists(folder) else f"{folder} is not a folder"
        found = _kind(os.lstat(path).st_mode)
        if found is not None:
            return found
    except FileNotFoundError:
        pass
    except OSError as error:
        return f"cannot be checked: {error.strerror}"
    return gen_owned(folder.resolve() / path.name)


def output_folder_problem(directory: Path) -> str | None:
    """Why gen may not write files under `directory` (None: it may; it is made if missing)."""
    try:
        mode = os.lstat(directory).st_mode
    except (FileNotFoundError, NotADirectoryError):  # the ancestors below say which
        mode = None
    except OSError as error:
        return f"cannot be checked: {error.strerror}"
    if mode is not None and stat.S_ISLNK(mode):
        return "is a symbolic link: gen does not write through one"
    if mode is not None and not stat.S_ISDIR(mode):
        return "is not a folder"
    for ancestor in directory.absolute().parents:
        if os.path.lexists(ancestor):
            if not os.path.isdir(ancestor):
                return f"{ancestor} is not a folder"
            break
    return gen_owned(directory.resolve())


def refuse_path(path: Path, problem: str) -> typer.Exit:
    """Say why `path` is refused; the exit to raise (2)."""
    import typer

    sys.stderr.write(f"gen: {path}: {problem}; nothing was written\n")
    return typer.Exit(2)


def write_output_file(path: Path, text: str, exclusive: bool = False) -> None:
    """Write `path` as checked by `output_file_problem`: replacing a file there (never writing
    through a link), or, `exclusive`, only if nothing is there. Exits 2 with the reason otherwise."""
    problem = output_file_problem(path)
    if problem is None and exclusive and os.path.lexists(path):
        problem = "exists; refusing to overwrite it"
    if problem is not None:
        raise refuse_path(path, problem)
    try:
        replace_file(path, text.encode("utf-8"), exclusive)
    except FileExistsError:
        raise refuse_path(path, "exists; refusing to overwrite it") from None
    except OSError as error:
        raise refuse_path(path, f"cannot be written: {error.strerror}") from None
