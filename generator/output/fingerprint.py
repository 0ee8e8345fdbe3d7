"""What a tree was rendered from, as one hash: gen's own code and templates, the versions of the
libraries that shape its output, the profile and every file it names. Equal fingerprints prove
that rendering again would give the same bytes (rendering is deterministic), so a render whose
fingerprint matches the ledger's, on a tree whose files still have the ledger's hashes, can skip
every stage and write nothing.

Only the standard library is imported here: the no-change path must start fast.
"""

from __future__ import annotations

import hashlib
import os
import re
import sys
from functools import cache
from itertools import islice
from pathlib import Path

from ..files import INPUT_LIMIT, MAX_INPUT_FILES, read_regular
from .ledger import file_bytes

PACKAGE = Path(__file__).resolve().parents[1]  # generator/: code and templates
# Libraries whose behaviour shapes the output bytes (templates, YAML dumping, validation).
SHAPING = ("jinja2", "ruamel.yaml", "pyyaml", "ryaml", "cerberus", "jsonschema-rs", "kubernetes-validate", "packaging",
           "detect-secrets")


@cache
def code_digest() -> str:
    """gen's package as it is installed: every file under generator/ (caches left out), in the
    order of their paths relative to it. Read with os.walk and raw reads: the no-change path runs
    this on every render, and pathlib's walk costs several times more."""
    sha = hashlib.sha256()
    base = str(PACKAGE)
    found: list[tuple[str, str]] = []
    for folder, folders, names in os.walk(base):
        folders[:] = [name for name in folders if name != "__pycache__"]
        relative = os.path.relpath(folder, base).replace(os.sep, "/")
        prefix = "" if relative == "." else relative + "/"
        found += [(prefix + name, os.path.join(folder, name)) for name in names if not name.endswith(".pyc")]
    for name, path in sorted(found):
        if os.path.isfile(path):
            sha.update(name.encode() + b"\0" + file_bytes(path) + b"\0")
    versions = installed_versions(SHAPING)
    for name in SHAPING:
        sha.update(f"{name}={versions.get(name, 'absent')}\0".encode())
    return sha.hexdigest()


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()  # PEP 503


def installed_versions(names: tuple[str, ...]) -> dict[str, str]:
    """The version of each distribution installed, where Python would import it from: the first
    folder along sys.path that holds its metadata, read from a `<name>-<version>.dist-info` folder
    name as pip installs one (reading folder names spares the no-change path importlib.metadata,
    which costs more to import than gen's check costs to run). Where the first metadata found is
    of another kind (an `.egg-info`), or sys.path holds an entry that is no folder (a zip), the
    distribution is asked of importlib.metadata, which reads them all."""
    found = dist_info_versions(names)
    missing = [name for name in names if name not in found]
    if missing:
        from importlib.metadata import PackageNotFoundError, version

        for name in missing:
            try:
                found[name] = version(name)
            except PackageNotFoundError:
                pass
    return found


def dist_info_versions(names: tuple[str, ...]) -> dict[str, str]:
    """The versions `installed_versions` reads from dist-info folder names alone: a distribution
    whose first metadata along sys.path is of another kind, or lies past a zip, is not in it."""
    wanted = {_normal(name): name for name in names}
    found: dict[str, str] = {}
    asked: set[str] = set()  # first found as something else than a dist-info folder
    for folder in sys.path:
        try:
            entries = os.listdir(folder or ".")
        except NotADirectoryError:  # a zip on the path: what it holds is importlib's business
            asked.update(name for name in names if name not in found)
            break
        except OSError:
            continue
        for entry in entries:
            if entry.endswith(".dist-info"):
                name, _, number = entry[: -len(".dist-info")].rpartition("-")
            elif entry.endswith(".egg-info"):
                name, number = entry.split("-")[0].removesuffix(".egg-info"), ""
            else:
                continue
            wanted_name = wanted.get(_normal(name))
            if wanted_name is None or wanted_name in found or wanted_name in asked:
                continue
            if number:
                found[wanted_name] = number
            else:
                asked.add(wanted_name)
    return found


@cache
def input_boundary(profile_folder: Path) -> Path:
    """Where the files a profile names may lie for a fingerprint to cover them: the Git repository
    that holds the profile (the nearest folder above it with a `.git`), else the profile's folder."""
    resolved = profile_folder.resolve()
    for folder in (resolved, *resolved.parents):
        if (folder / ".git").exists():
            return folder
    return resolved


def _named_files(path: Path, boundary: Path) -> list[tuple[str, Path]] | None:
    """(label suffix, file) of each file a name covers, as the loaders read them (a folder: every
    file below it, not through linked folders); None if any lies outside `boundary`."""
    resolved = path.resolve()
    if not resolved.is_relative_to(boundary):
        return None
    if not resolved.is_dir():
        return [("", resolved)]
    found = list(islice(resolved.rglob("*"), MAX_INPUT_FILES + 1))
    if len(found) > MAX_INPUT_FILES:
        return None
    files: list[tuple[str, Path]] = []
    for file in sorted(found):
        if file.is_file():
            real = file.resolve() if file.is_symlink() else file
            if not real.is_relative_to(boundary):
                return None
            files.append(("/" + file.relative_to(resolved).as_posix(), real))
    return files


def inputs_fingerprint(profile: Path, referenced: tuple[str, ...], phase: str | None = None) -> str | None:
    """The fingerprint of a render of `profile` (naming `referenced`, relative to it) as of
    migration `phase` (None: the final state); None if it cannot be proven: a file cannot be read,
    is not a regular file, is larger than INPUT_LIMIT, or lies outside the repository that holds
    the profile (`referenced` comes from the ledger, which anyone may edit). Then render."""
    sha = hashlib.sha256(code_digest().encode())
    sha.update(f"phase={'at' if phase is None else phase}\0".encode())
    try:
        sha.update(b"profile\0" + read_regular(profile, INPUT_LIMIT) + b"\0")
        boundary = input_boundary(profile.parent) if referenced else profile.parent
        for name in referenced:
            # A folder (of policies) counts with every file in it: one added is a change too.
            files = _named_files(profile.parent / name, boundary)
            if files is None:
                return None
            for suffix, file in files:
                sha.update(f"{name}{suffix}".encode() + b"\0" + read_regular(file, INPUT_LIMIT) + b"\0")
    except (OSError, ValueError):  # ValueError: a name the system cannot take (a NUL byte)
        return None
    return sha.hexdigest()
