"""The ledger, `.gen/manifest.json`: which files of a tree gen wrote, with their hashes, and from
which profile file. gen owns exactly the files it lists."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from pathlib import Path, PurePosixPath

from .guard import refuse

LEDGER = PurePosixPath(".gen/manifest.json")
FORMAT = 2


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


_CHUNK = 1 << 20


def file_bytes(path: str) -> bytes:
    """A file's bytes in two system calls when it is small (most are): on a tree of thousands of
    files, `open()` and its buffered reader cost more than the reading. Raises OSError."""
    descriptor = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    try:
        data = os.read(descriptor, _CHUNK)
        if len(data) < _CHUNK:  # a short read of a regular file is its end
            return data
        chunks = [data]
        while chunk := os.read(descriptor, _CHUNK):
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(descriptor)


def safe_name(path: str) -> str:
    """`path` itself, if it is a plain relative POSIX path that stays inside the output root
    (ledger entries are read from disk); refused otherwise."""
    if not path or path.startswith("/") or "\0" in path or any(part in ("..", "", ".") for part in path.split("/")):
        raise refuse(path, "refusing a path outside the output folder", "the ledger was edited by hand; remove it")
    return path


@dataclass(frozen=True)
class Inputs:
    """What the tree was rendered from (output/fingerprint.py), and the warnings that render gave,
    so that a no-change run can repeat them without rendering."""

    fingerprint: str
    files: tuple[str, ...]  # the files the profile names, relative to it
    warnings: tuple[Mapping[str, Any], ...] = ()


@dataclass(frozen=True)
class Ledger:
    profile: str
    source: str | None  # the profile file's name (None: a ledger of gen 0.1)
    files: Mapping[str, str]  # path -> sha256
    inputs: Inputs | None = None
    keys: Mapping[str, str] = field(default_factory=dict)  # path -> render cache key (output/cache.py)

    def body(self) -> dict[str, Any]:
        """The ledger as JSON data."""
        body: dict[str, Any] = {
            "format": FORMAT,
            "generator": "gen",
            "profile": self.profile,
            "source": self.source,
            "files": dict(self.files),
        }
        if self.keys:
            body["keys"] = dict(self.keys)
        if self.inputs is not None:
            body["inputs"] = {
                "fingerprint": self.inputs.fingerprint,
                "files": list(self.inputs.files),
                "warnings": [dict(warning) for warning in self.inputs.warnings],
            }
        return body

    def text(self) -> str:
        """`json.dumps(self.body(), indent=2, sort_keys=True)` and a newline, byte for byte; the two
        maps of a path each (`files`, `keys`) are written line by line with the C string encoder,
        since the indenting encoder is pure Python (tests/test_write.py compares the two)."""
        fields = {
            key: _flat(value) if key in ("files", "keys") else _nested(value) for key, value in self.body().items()
        }
        return "{\n" + ",\n".join(f"  {_string(key)}: {fields[key]}" for key in sorted(fields)) + "\n}\n"


_string = json.encoder.encode_basestring_ascii


def _flat(mapping: Mapping[str, str]) -> str:
    """A map of strings to strings as `json.dumps` indents it one level down."""
    if not mapping:
        return "{}"
    return "{\n" + ",\n".join(f"    {_string(k)}: {_string(v)}" for k, v in sorted(mapping.items())) + "\n  }"


def _nested(value: Any) -> str:
    """Any JSON value as `json.dumps` indents it one level down (JSON strings hold no line break)."""
    return json.dumps(value, indent=2, sort_keys=True).replace("\n", "\n  ")


def read_ledger(root: Path) -> Ledger | None:
    path = root / LEDGER
    if not path.is_file():
        return None
    try:
        body = json.loads(path.read_text("utf-8"))
        files = body["files"]
        if not isinstance(files, dict) or not all(isinstance(v, str) for v in files.values()):
            raise TypeError
        source = body.get("source")
        raw = body.get("inputs")
        inputs = (
            Inputs(str(raw["fingerprint"]), tuple(map(str, raw["files"])), tuple(raw.get("warnings", [])))
            if isinstance(raw, dict)
            else None
        )
        keys = body.get("keys")
        return Ledger(str(body.get("profile", "")), source if isinstance(source, str) else None,
                      {safe_name(name): digest for name, digest in files.items()}, inputs,
                      {str(k): str(v) for k, v in keys.items()} if isinstance(keys, dict) else {})
    except (ValueError, KeyError, TypeError, AttributeError):
        raise refuse(path, "is not a gen ledger", "remove it to render again") from None


def source_of(profile_file: Path) -> str:
    """How the ledger names the profile file: by its file name, so that the tree's bytes do not
    depend on where the repository or the output folder lie."""
    return profile_file.name
