"""Reading a kit folder into memory, safely: regular UTF-8 files inside the folder only, within
bounds. Rendering never opens a kit file again, so what a template names can reach only what was
read here."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ..files import Unreadable, line_and_column, read_regular, size_text
from ..output.fingerprint import input_boundary
from ..problems import Location, Problem

RULE = "kit"
MAX_KIT_FILES = 2_000
MAX_KIT_FILE = 1 << 20  # bytes per file
MAX_KIT_BYTES = 16 << 20  # bytes per kit


@dataclass(frozen=True)
class KitFiles:
    shown: str  # the folder as the profile names it
    root: Path
    texts: dict[str, str]  # relative POSIX path -> text


def _problem(message: str, path: tuple[str | int, ...], file: str, line: int = 1, column: int = 1, hint: str = "") -> Problem:
    return Problem(message, RULE, path, hint, location=Location(file, line, column))


def read_kit(folder: str, profile_dir: Path, at: tuple[str | int, ...],
             shown_folder: str | None = None) -> tuple[KitFiles | None, list[Problem]]:
    """The files of the kit `folder` (as the profile at `at` names it, relative to `profile_dir`);
    `shown_folder`: the folder as messages name it."""
    shown_root = shown_folder or folder.rstrip("/") or folder
    try:
        os.fsencode(folder)
    except UnicodeEncodeError:  # a lone surrogate (`\ud834`): no file system names a folder so
        return None, [Problem(f"kit folder {folder!r} is not a name a file system can hold", RULE, at,
                              "write the kit's folder relative to the profile file, as `kit: [../templates]`")]
    if not folder or PurePosixPath(folder).is_absolute() or "\\" in folder or "\x00" in folder:
        return None, [Problem(f"kit folder {folder!r} must be a path relative to the profile", RULE, at,
                              "write the kit's folder relative to the profile file, as `kit: [../templates]`")]
    root = profile_dir / folder
    boundary = input_boundary(profile_dir)
    try:
        resolved = root.resolve(strict=True)
    except (OSError, RuntimeError):
        return None, [Problem(f"kit folder {folder!r} does not exist", RULE, at,
                              f"create it, or correct the path (it is read relative to {profile_dir})")]
    if not resolved.is_relative_to(boundary):
        return None, [Problem(f"kit folder {folder!r} lies outside {boundary}", RULE, at,
                              "a kit lives in the repository that holds the profile, so that a review sees it and "
                              "every clone renders the same bytes")]
    if not resolved.is_dir():
        return None, [Problem(f"kit {folder!r} is not a folder", RULE, at, "name the folder that holds the kit")]
    texts: dict[str, str] = {}
    problems: list[Problem] = []
    total = 0
    for directory, subfolders, names in os.walk(resolved, followlinks=False):
        subfolders.sort()
        for name in sorted([*names, *(sub for sub in subfolders if Path(directory, sub).is_symlink())]):
            file = Path(directory, name)
            relative = file.relative_to(resolved).as_posix()
            shown = f"{shown_root}/{relative}"
            if name.startswith(".") or "/." in f"/{relative}":
                continue  # .git, editor files
            if len(texts) + len(problems) >= MAX_KIT_FILES:
                return None, [*problems, Problem(f"kit {folder!r} holds more than {MAX_KIT_FILES} files", RULE, at,
                                                 "a kit holds templates, app entries, outputs, rules and schemas")]
            if file.is_symlink():
                target = file.resolve()
                if not target.is_relative_to(resolved):
                    problems.append(_problem(f"{shown} is a symbolic link to {target}, outside the kit", at, shown,
                                             hint="a kit's files live inside its folder: copy the file in"))
                    continue
                if target.is_dir():
                    problems.append(_problem(f"{shown} links to a folder", at, shown,
                                             hint="a kit's folders are real folders"))
                    continue
            text = _text(file, shown, at, problems)
            if text is not None:
                total += len(text)
                if total > MAX_KIT_BYTES:
                    return None, [*problems, Problem(f"kit {folder!r} holds more than {size_text(MAX_KIT_BYTES)}",
                                                     RULE, at)]
                texts[relative] = text
    return KitFiles(shown_root, resolved, texts), problems  # the files that could be read, and why others not


def _text(file: Path, shown: str, at: tuple[str | int, ...], problems: list[Problem]) -> str | None:
    try:
        data = read_regular(file, MAX_KIT_FILE)
    except Unreadable as error:
        problems.append(_problem(f"{shown} {error.strerror}", at, shown,
                                 hint=f"a kit holds regular text files of at most {size_text(MAX_KIT_FILE)}"))
        return None
    except OSError as error:
        problems.append(_problem(f"{shown}: cannot read: {error.strerror}", at, shown))
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        line, column = line_and_column(data, error.start)
        problems.append(_problem(f"{shown} is not UTF-8 text (byte {error.start})", at, shown, line, column,
                                 "kit files are UTF-8 text: save the file as UTF-8"))
        return None
