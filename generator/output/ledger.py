"""The ledger, `.gen/manifest.json`: which files of a tree gen wrote, with their hashes, and from
which profile file. gen owns exactly the files it lists."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterator, Mapping
from itertools import islice
from pathlib import Path, PurePosixPath

from ..files import LEDGER_LIMIT, Unreadable, read_regular_status
from ..record import Record
from .guard import refuse
from .packed import sorted_items

# Not `typing.TYPE_CHECKING`: typing costs the no-change path milliseconds to import; mypy reads any
# TYPE_CHECKING as true.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

LEDGER = PurePosixPath(".gen/manifest.json")
Stamp = tuple[int, int, int, int]  # device, inode, size, mtime: a ledger file rewritten since has another
FORMAT = 2


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


_CHUNK = 1 << 20


def file_bytes(path: str, follow: bool = True) -> bytes:
    """A file's bytes in two system calls when it is small (most are): on a tree of thousands of
    files, `open()` and its buffered reader cost more than the reading. Opening never blocks (a
    FIFO reads as empty); `follow=False` refuses a symbolic link (ELOOP). Raises OSError."""
    descriptor = os.open(path, READ_FLAGS if follow else READ_FLAGS | os.O_NOFOLLOW)
    try:
        return read_descriptor(descriptor)
    finally:
        os.close(descriptor)


READ_FLAGS = os.O_RDONLY | os.O_CLOEXEC | os.O_NONBLOCK


def read_descriptor(descriptor: int) -> bytes:
    """What is left to read of an open regular file: one call when it is small (a short read of a
    regular file is its end)."""
    data = os.read(descriptor, _CHUNK)
    if len(data) < _CHUNK:
        return data
    chunks = [data]
    while chunk := os.read(descriptor, _CHUNK):
        chunks.append(chunk)
    return b"".join(chunks)


def is_safe_name(path: str) -> bool:
    """Whether `path` is a plain relative POSIX path that stays inside the output root."""
    return bool(path) and not path.startswith("/") and "\0" not in path and not any(
        part in ("..", "", ".") for part in path.split("/")
    )


def _first_unsafe(names: list[str]) -> str | None:
    """The first name is_safe_name refuses, if any. A ledger lists thousands, so all are looked at
    at once first: joined by `/` and wrapped in one, every name is safe when the whole holds no NUL
    and no empty part, `.` or `..` between two slashes (a name's leading or trailing `/` makes an
    empty part, as an empty name does); substring searches, far faster than a regular expression
    over a megabyte. Only otherwise is_safe_name says which."""
    joined = "/" + "/".join(names) + "/"
    if "\0" not in joined and "//" not in joined and "/./" not in joined and "/../" not in joined:
        return None
    return next((name for name in names if not is_safe_name(name)), None)


def safe_name(path: str) -> str:
    """`path` itself, if it is a plain relative POSIX path that stays inside the output root;
    refused otherwise."""
    if not is_safe_name(path):
        raise refuse(path, "refusing a path outside the output folder", "report a bug in gen: it planned this path")
    return path


class Inputs(Record):
    """What the tree was rendered from (output/fingerprint.py), and the warnings that render gave,
    so that a no-change run can repeat them without rendering."""

    __slots__ = ("fingerprint", "files", "warnings")

    def __init__(self, fingerprint: str, files: tuple[str, ...], warnings: tuple[Mapping[str, Any], ...] = ()) -> None:
        self.fingerprint = fingerprint
        self.files = files  # the files the profile names, relative to it
        self.warnings = warnings


class Ledger(Record):
    """A tree's ledger (a record, generator/record.py: the no-change path reads one)."""

    __slots__ = ("profile", "source", "files", "inputs", "keys", "stamp")
    _uncompared = ("stamp",)

    def __init__(
        self,
        profile: str,
        source: str | None,
        files: Mapping[str, str],
        inputs: Inputs | None = None,
        keys: Mapping[str, str] | None = None,
        stamp: Stamp | None = None,
    ) -> None:
        self.profile = profile
        self.source = source  # the profile file's name (None: a ledger of gen 0.1)
        self.files = files  # path -> sha256
        self.inputs = inputs
        self.keys: Mapping[str, str] = {} if keys is None else keys  # path -> render cache key (output/cache.py)
        self.stamp = stamp  # of the file it was read from

    def stamped(self, stamp: Stamp | None) -> Ledger:
        """The same ledger, read from a file of this stamp."""
        return Ledger(self.profile, self.source, self.files, self.inputs, self.keys, stamp)

    def body(self) -> dict[str, Any]:
        """The ledger as JSON data."""
        return {key: dict(value) if key in _FLAT else value for key, value in self._fields().items()}

    def _fields(self) -> dict[str, Any]:
        """body(), the two maps of a path each as they are (not copied)."""
        fields: dict[str, Any] = {
            "format": FORMAT,
            "generator": "gen",
            "profile": self.profile,
            "source": self.source,
            "files": self.files,
        }
        if self.keys:
            fields["keys"] = self.keys
        if self.inputs is not None:
            fields["inputs"] = {
                "fingerprint": self.inputs.fingerprint,
                "files": list(self.inputs.files),
                "warnings": [dict(warning) for warning in self.inputs.warnings],
            }
        return fields

    def text(self) -> str:
        """`json.dumps(self.body(), indent=2, sort_keys=True)` and a newline, byte for byte
        (tests/test_write.py compares the two); all ASCII."""
        return b"".join(self.chunks()).decode("ascii")

    def chunks(self, entries: int = 4096) -> Iterator[bytes]:
        """text(), encoded, in pieces of at most `entries` lines of a map: a large tree's ledger runs
        to tens of megabytes, which are written and compared piece by piece, never held at once.
        The two maps of a path each (`files`, `keys`) are written line by line with the C string
        encoder, since the indenting encoder is pure Python."""
        fields = self._fields()
        for index, key in enumerate(sorted(fields)):
            yield ("{\n" if index == 0 else ",\n").encode() + f"  {_string(key)}: ".encode()
            if key in _FLAT:
                yield from _flat(fields[key], entries)
            else:
                yield _nested(fields[key]).encode("ascii")
        yield b"\n}\n"


_FLAT = ("files", "keys")
_string = json.encoder.encode_basestring_ascii


def _flat(mapping: Mapping[str, str], entries: int) -> Iterator[bytes]:
    """A map of strings to strings as `json.dumps` indents it one level down, in pieces."""
    if not mapping:
        yield b"{}"
        return
    pairs = sorted_items(mapping)
    first = True
    while piece := list(islice(pairs, entries)):
        lines = ",\n".join(f"    {_string(name)}: {_string(value)}" for name, value in piece)
        yield ("{\n" if first else ",\n").encode() + lines.encode("ascii")
        first = False
    yield b"\n  }"


def _nested(value: Any) -> str:
    """Any JSON value as `json.dumps` indents it one level down (JSON strings hold no line break)."""
    return json.dumps(value, indent=2, sort_keys=True).replace("\n", "\n  ")


def _stamp(status: os.stat_result) -> Stamp:
    return (status.st_dev, status.st_ino, status.st_size, status.st_mtime_ns)


def ledger_stamp(root: Path) -> Stamp | None:
    """The stamp of the ledger at `root` as it stands (None: none there)."""
    try:
        return _stamp(os.lstat(root / LEDGER))
    except OSError:
        return None


class _Malformed(Exception):
    """What makes a ledger not one gen wrote."""


def _strings(value: Any, what: str) -> dict[str, str]:
    if not isinstance(value, dict) or not set(map(type, value.values())) <= {str}:  # JSON's strings are str
        raise _Malformed(f"`{what}` is not a map of strings")
    return value


def _warning(record: Any) -> Mapping[str, Any]:
    """A warning as the ledger keeps it (unchanged.warning_record), checked field by field."""
    if not isinstance(record, dict):
        raise _Malformed("a warning is not a JSON object")
    fields = {"message": str, "rule": str, "hint": str, "at_key": bool}
    if any(not isinstance(record.get(key, kind()), kind) for key, kind in fields.items()):
        raise _Malformed("a warning has a field of the wrong type")
    path, location = record.get("path", []), record.get("location")
    if not isinstance(path, list) or not all(isinstance(part, (str, int)) and part is not True and part is not False
                                             for part in path):
        raise _Malformed("a warning's `path` is not a list of keys and indexes")
    if location is not None and not (
        isinstance(location, list) and len(location) == 3 and isinstance(location[0], str)
        and all(isinstance(n, int) and not isinstance(n, bool) for n in location[1:])
    ):
        raise _Malformed("a warning's `location` is not [file, line, column]")
    return record


def _inputs(raw: Any) -> Inputs | None:
    if raw is None:
        return None
    if not isinstance(raw, dict) or not isinstance(raw.get("fingerprint"), str):
        raise _Malformed("`inputs` has no fingerprint")
    files, warnings = raw.get("files", []), raw.get("warnings", [])
    if not isinstance(files, list) or not all(isinstance(name, str) and name and "\0" not in name for name in files):
        raise _Malformed("`inputs.files` is not a list of file names")
    if not isinstance(warnings, list):
        raise _Malformed("`inputs.warnings` is not a list")
    return Inputs(raw["fingerprint"], tuple(files), tuple(_warning(record) for record in warnings))


def _parse(data: bytes) -> Ledger:
    try:
        body = json.loads(data)
    except (ValueError, RecursionError):  # not UTF-8 or not JSON, or nested past the parser's depth
        raise _Malformed("not JSON") from None
    if not isinstance(body, dict):
        raise _Malformed("not a JSON object")
    files = _strings(body.get("files"), "files")
    unsafe = _first_unsafe(list(files))
    if unsafe is not None:
        raise _Malformed(f"the entry {unsafe!r} names a path outside the output folder")
    profile, source = body.get("profile", ""), body.get("source")
    if not isinstance(profile, str) or not (source is None or isinstance(source, str)):
        raise _Malformed("`profile` or `source` is not a string")
    keys = _strings(body.get("keys", {}), "keys")
    return Ledger(profile, source, files, _inputs(body.get("inputs")), keys)


def read_ledger(root: Path, read: Callable[[bytes], Ledger | None] | None = None) -> Ledger | None:
    """The ledger of the tree at `root`; None where there is none. Anything at `.gen/manifest.json`
    that gen could not have written (a symbolic link, a FIFO, a device, a file past LEDGER_LIMIT,
    JSON of another shape) is refused, naming the ledger file. `read` is told the ledger's bytes
    before they are parsed (the no-change path starts its probe then); a ledger it gives stands
    for them parsed (summarized)."""
    path = root / LEDGER
    try:
        data, status = read_regular_status(path, LEDGER_LIMIT, follow=False)
    except (FileNotFoundError, NotADirectoryError):
        return None
    except Unreadable as error:
        raise refuse(path, f"is not a gen ledger: it {error.strerror}", _HINT) from None
    except OSError as error:
        raise refuse(path, f"cannot read the ledger: {error.strerror}", "check the permissions of the output folder") from None
    known = read(data) if read is not None else None
    try:
        ledger = known if known is not None else _parse(data)
    except _Malformed as error:
        raise refuse(path, f"is not a gen ledger: {error}", _HINT) from None
    return ledger.stamped(_stamp(status))


def summary(ledger: Ledger) -> dict[str, Any]:
    """A ledger's fields but its two maps of a path each, as JSON data (summarized reads them)."""
    return {key: value for key, value in ledger._fields().items() if key not in _FLAT}


def summarized(fields: dict[str, Any], names: list[str], data: bytes) -> Ledger | None:
    """The ledger whose bytes are `data`, from its `summary` and its files' names in order, as
    parsing them gives it; its maps are parsed from `data` only if a value is asked for. None if
    the fields are not a summary's, or name a fingerprint `data` does not spell (the fingerprint
    decides whether a tree is up to date: a summary is trusted as gen wrote it, and this one fact
    of it is checked against the bytes besides)."""
    try:
        profile, source = fields.get("profile"), fields.get("source")
        if not isinstance(profile, str) or not (source is None or isinstance(source, str)):
            return None
        inputs = _inputs(fields.get("inputs"))
    except _Malformed:
        return None
    if inputs is not None and b'"fingerprint": ' + _string(inputs.fingerprint).encode("ascii") not in data:
        return None
    parsed: list[Ledger | None] = []
    held = [data]  # until parsed: then the maps are held, not the bytes

    def parse() -> Ledger | None:
        if not parsed:
            try:
                parsed.append(_parse(held[0]))
            except _Malformed:
                parsed.append(None)
            held.clear()
        return parsed[0]

    return Ledger(profile, source, _Deferred(names, parse, "files"), inputs, _Deferred(None, parse, "keys"))


def parsed(ledger: Ledger) -> Ledger | None:
    """A summarized ledger parsed whole from its bytes (None if they do not parse); any other as it
    is. Only the no-change path asks a summarized one for its names and values: whatever goes on
    to render or write holds one parsed."""
    files = ledger.files
    if not isinstance(files, _Deferred):
        return ledger
    whole = files.whole()
    return None if whole is None else whole.stamped(ledger.stamp)


class _Deferred(Mapping[str, str]):
    """One of a ledger's two maps of a path each, parsed from the ledger's bytes when a value is
    asked for (or, where its names are not known, when it is walked); empty if they do not parse.
    Its names, where known, are the summary's: `parsed` gives the ledger as its bytes hold it."""

    def __init__(self, names: list[str] | None, parse: Callable[[], Ledger | None], which: str) -> None:
        self._names, self._parse, self._which = names, parse, which

    def whole(self) -> Ledger | None:
        return self._parse()

    def _parsed(self) -> Mapping[str, str]:
        ledger = self._parse()
        self._names = None  # the parsed map's, from now on
        return {} if ledger is None else ledger.files if self._which == "files" else ledger.keys

    def __getitem__(self, path: str) -> str:
        return self._parsed()[path]

    def __iter__(self) -> Iterator[str]:
        return iter(self._names if self._names is not None else self._parsed())

    def __len__(self) -> int:
        return len(self._names if self._names is not None else self._parsed())


_HINT = ("gen writes this file itself: restore it from Git (`git checkout -- <tree>`), or remove the whole tree "
         "and render again")


def source_of(profile_file: Path) -> str:
    """How the ledger names the profile file: by its file name, so that the tree's bytes do not
    depend on where the repository or the output folder lie."""
    return profile_file.name
