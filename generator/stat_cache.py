"""The no-change path's memory of a tree, on this machine: each file's status (device, inode, size,
modification and change times in nanoseconds) when it was last read and found to hold the bytes
its ledger lists. A file whose status is still the recorded one has not been written since, so the
next no-change run asks for its status alone instead of reading and hashing it (Git's index does
the same). Reading a file costs about three system calls and a hash; its status, one.

Why a recorded status proves the bytes:
- a record belongs to one ledger (the sha256 of its bytes) and one list of names (the walk's):
  each entry was hashed and matched that ledger's hash, in a tree that was exactly its files;
- writing a file sets its change time to the clock's time, and nothing can set it back (setting a
  modification time sets the change time too). A status is recorded only if the file was last
  changed RACY_NS before the run began, so a write during or after the run (even one within the
  clock's granularity of the recorded change) gives a change time the record does not hold.
The record lies outside the repository (GEN_CACHE_DIR, else $XDG_CACHE_HOME/gen, else
~/.cache/gen; GEN_CACHE_DIR set empty keeps none), one small file per tree, replaced whole. One that
cannot be read, is of another ledger or names other files is ignored; one that cannot be written is
left unwritten: the files are then read and hashed, as on a fresh clone, where there is none.
"""

from __future__ import annotations

import hashlib
import json
import os
from array import array
from collections.abc import Callable
from stat import S_ISREG

from .files import LEDGER_LIMIT, read_regular

# Not `typing.TYPE_CHECKING`: typing costs the no-change path milliseconds to import; mypy reads any
# TYPE_CHECKING as true.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

RACY_NS = 3_000_000_000  # a status is recorded only for a file last changed this long before the run
FIELDS = 5  # device, inode, size, modification and change times (ns)
_MAGIC = b"gen-stat-1\0"
_HEADER = len(_MAGIC) + 32 + 32
Status = tuple[int, int, int, int, int]
UNKNOWN: Status = (0, 0, -1, 0, 0)  # no file has it: the entry is hashed


TOP = 1 << 63  # a record holds signed 64-bit numbers: a device or inode number from here is wrapped


def status_of(result: os.stat_result) -> Status:
    """A file's status as recorded: device and inode numbers of 2**63 and more (overlayfs, some
    NFS servers) wrapped below zero, one for one."""
    dev, ino = result.st_dev, result.st_ino
    return (dev - 2 * TOP if dev >= TOP else dev, ino - 2 * TOP if ino >= TOP else ino, result.st_size,
            result.st_mtime_ns, result.st_ctime_ns)


def recordable(status: Status, started_ns: int) -> Status:
    """The status to record for a file that matched, given when the run began: UNKNOWN for a file
    changed too recently to be told apart from a write now, or with a time no record can hold."""
    if max(status[3], status[4]) >= started_ns - RACY_NS or not all(-TOP <= number < TOP for number in status):
        return UNKNOWN
    return status


def _folder() -> str | None:
    chosen = os.environ.get("GEN_CACHE_DIR")
    if chosen is not None:
        return chosen or None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "gen") if os.path.isabs(base) else None


def recording() -> bool:
    """Whether statuses are recorded at all (GEN_CACHE_DIR set empty: none are)."""
    return _folder() is not None


def _file(root: str) -> str | None:
    folder = _folder()
    if folder is None:
        return None
    name = hashlib.sha256(os.fsencode(os.path.realpath(root))).hexdigest()[:32]
    return os.path.join(folder, "trees", name)


def load(root: str, ledger: bytes, names: bytes, count: int) -> array[int] | None:
    """The statuses recorded for the tree at `root` with this ledger digest and names digest, one
    FIELDS-long run per name in the walk's order; None if there is no such record."""
    path = _file(root)
    if path is None:
        return None
    try:  # a regular file only, never through a link (a FIFO there would block), of a bounded size
        data = read_regular(path, _HEADER + 8 * FIELDS * count, follow=False)
    except (OSError, ValueError):
        return None
    if len(data) != _HEADER + 8 * FIELDS * count or data[:_HEADER] != _MAGIC + ledger + names:
        return None
    found = array("q")
    found.frombytes(data[_HEADER:])
    return found


def holds(root: str, ledger: bytes) -> bool:
    """Whether the statuses recorded for the tree at `root` are of the ledger whose bytes have the
    digest `ledger` (only then can they spare reading its files, and its hashes parsing)."""
    path = _file(root)
    if path is None:
        return False
    try:  # its first bytes only, never through a link, never waiting on a FIFO
        descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError:
        return False
    try:
        head = os.read(descriptor, len(_MAGIC) + len(ledger)) if S_ISREG(os.fstat(descriptor).st_mode) else b""
    except OSError:
        return False
    finally:
        os.close(descriptor)
    return head == _MAGIC + ledger


def save(root: str, ledger: bytes, names: bytes, statuses: list[int]) -> None:
    """Record the statuses (FIELDS per name, in order), replacing the record whole; nothing if it
    cannot be written."""
    path = _file(root)
    if path is not None:
        _replace(path, lambda: _MAGIC + ledger + names + array("q", statuses).tobytes())


def _replace(path: str, data: Callable[[], bytes]) -> None:
    """Write `data()` to `path` whole (through a file beside it, renamed over it); nothing if it
    cannot be written."""
    temporary = f"{path}.{os.getpid()}"
    try:
        made = data()
        os.makedirs(os.path.dirname(path), exist_ok=True)
        try:  # a file made here, never one that stands there (a FIFO would block the open)
            os.unlink(temporary)
        except FileNotFoundError:
            pass
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC | os.O_NOFOLLOW, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(made)
        os.replace(temporary, path)
    except (OSError, OverflowError, ValueError):
        try:
            os.unlink(temporary)
        except OSError:
            pass


# What the record keeps of a tree's ledger besides: the fields a no-change run asks for (all but its
# two maps of a path each), and its files' names in order. A ledger runs to megabytes, and parsing it
# is the largest part of a no-change run; the record is of one ledger (the sha256 of its bytes),
# written from what gen parsed of exactly those bytes, so it stands for them parsed. It is kept, and
# used, where the statuses recorded are of that ledger (`holds`): the hashes are parsed only if a
# file's status is not the recorded one, and where no status is recorded every file is hashed.
_SUMMARY_MAGIC = b"gen-ledger-1\0"


def recall(root: str, ledger: bytes) -> tuple[dict[str, Any], list[str]] | None:
    """(the ledger's fields, its files' names in order) kept for the tree at `root` and the ledger
    whose bytes have the digest `ledger`; None if none is kept."""
    path = _file(root)
    if path is None:
        return None
    head = _SUMMARY_MAGIC + ledger
    try:  # as load: a regular file, never through a link, of a bounded size
        data = read_regular(path + _SUMMARY, LEDGER_LIMIT, follow=False)
        if not data.startswith(head) or len(data) < len(head) + 8:
            return None
        size = int.from_bytes(data[len(head):len(head) + 8], "big")
        start = len(head) + 8
        fields = json.loads(data[start:start + size])
        blob = data[start + size:]
        names = blob.decode("utf-8", "surrogatepass").split("\0") if blob else []
    except (OSError, ValueError, RecursionError):
        return None
    return (fields, names) if isinstance(fields, dict) else None


def remember(root: str, ledger: bytes, fields: dict[str, Any], names: list[str]) -> None:
    """Keep `fields` (JSON data) and `names` (in order; none holds a NUL) for the ledger whose bytes
    have the digest `ledger`, replacing what was kept for the tree at `root`."""
    path = _file(root)
    if path is None:
        return

    def data() -> bytes:
        head = json.dumps(fields, sort_keys=True).encode("utf-8")
        return (_SUMMARY_MAGIC + ledger + len(head).to_bytes(8, "big") + head
                + "\0".join(names).encode("utf-8", "surrogatepass"))

    _replace(path + _SUMMARY, data)


_SUMMARY = ".ledger"
