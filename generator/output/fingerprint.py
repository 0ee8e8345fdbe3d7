"""What a tree was rendered from, as one hash: gen's own code and templates, the versions of the
libraries that shape its output, the profile and every file it names. Equal fingerprints prove
that rendering again would give the same bytes (rendering is deterministic), so a render whose
fingerprint matches the ledger's, on a tree whose files still have the ledger's hashes, can skip
every stage and write nothing.

Only the standard library is imported here: the no-change path must start fast.
"""

from __future__ import annotations

import hashlib
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1]  # generator/: code and templates
# Libraries whose behaviour shapes the output bytes (templates, YAML dumping, validation).
SHAPING = ("jinja2", "ruamel.yaml", "pyyaml", "ryaml", "cerberus", "jsonschema-rs", "kubernetes-validate", "packaging",
           "detect-secrets")


@cache
def code_digest() -> str:
    """gen's package as it is installed: every file under generator/ (caches left out)."""
    sha = hashlib.sha256()
    for path in sorted(PACKAGE.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
            sha.update(path.relative_to(PACKAGE).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    for name in SHAPING:
        try:
            sha.update(f"{name}={version(name)}\0".encode())
        except PackageNotFoundError:
            sha.update(f"{name}=absent\0".encode())
    return sha.hexdigest()


def inputs_fingerprint(profile: Path, referenced: tuple[str, ...], phase: str | None = None) -> str | None:
    """The fingerprint of a render of `profile` (naming `referenced`, relative to it) as of
    migration `phase` (None: the final state); None if a file cannot be read (then nothing can be
    proven: render)."""
    sha = hashlib.sha256(code_digest().encode())
    sha.update(f"phase={'at' if phase is None else phase}\0".encode())
    try:
        sha.update(b"profile\0" + profile.read_bytes() + b"\0")
        for name in referenced:
            path = profile.parent / name
            # A folder (of policies) counts with every file in it: one added is a change too.
            files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
            for file in files:
                label = f"{name}/{file.relative_to(path).as_posix()}" if path.is_dir() else name
                sha.update(label.encode() + b"\0" + file.read_bytes() + b"\0")
    except OSError:
        return None
    return sha.hexdigest()
