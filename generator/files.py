"""Reading a file gen did not write, within bounds, and writing one file without following a link.

Reading: within bounds: a regular file only (a FIFO waits for a writer
that may never come, a device such as /dev/zero never ends, a folder is not text), and at most a
given size. Each refusal is an `OSError` (its `strerror` says why in words), so every caller that
already copes with an unreadable file copes with these too.

Only the standard library is imported here: the no-change path reads the ledger with it.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

MiB = 1 << 20
INPUT_LIMIT = 16 * MiB  # a profile, a file it names, a manifest for `gen validate`
MAX_INPUT_FILES = 10_000  # entries under one folder the profile names (a policy folder)
LEDGER_LIMIT = 64 * MiB  # .gen/manifest.json: about 200 bytes per file of the tree
_CHUNK = MiB


class Unreadable(OSError):
    """A file gen refuses to read: not a regular file, a symbolic link where none may be, too large."""


def size_text(limit: int) -> str:
    return f"{limit // MiB} MiB" if limit >= MiB and limit % MiB == 0 else f"{limit} bytes"


def _kind(mode: int) -> str:
    for test, name in ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a FIFO"), (stat.S_ISCHR, "a character device"),
                       (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket")):
        if test(mode):
            return name
    return "not a regular file"


def read_regular(path: str | Path, limit: int, *, follow: bool = True) -> bytes:
    """The bytes of the regular file at `path`, at most `limit` of them; `follow=False` refuses a
    symbolic link at `path` itself. Opening never blocks (O_NONBLOCK: a FIFO is refused, not
    waited on). Raises `Unreadable`, or the `OSError` of a missing or forbidden file."""
    return read_regular_status(path, limit, follow=follow)[0]


def read_regular_status(path: str | Path, limit: int, *, follow: bool = True) -> tuple[bytes, os.stat_result]:
    """`read_regular`, and the file's status as it was opened."""
    flags = os.O_RDONLY | os.O_CLOEXEC | os.O_NONBLOCK | (0 if follow else os.O_NOFOLLOW)
    try:
        descriptor = os.open(path, flags)
    except OSError as error:
        if error.errno == errno.ELOOP and not follow:
            raise Unreadable(errno.ELOOP, "is a symbolic link", str(path)) from None
        raise
    except ValueError:  # a NUL character: no file system holds such a name
        raise Unreadable(errno.EINVAL, "holds a NUL character, which no file name can", str(path)) from None
    try:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode):
            raise Unreadable(errno.EINVAL, f"is {_kind(status.st_mode)}, not a regular file", str(path))
        too_large = Unreadable(errno.EFBIG, f"is larger than {size_text(limit)}", str(path))
        if status.st_size > limit:
            raise too_large
        chunks: list[bytes] = []
        total = 0
        size = status.st_size + 1  # one read of the whole file, as its size says (it may grow)
        while chunk := os.read(descriptor, min(max(size, _CHUNK), limit + 1 - total)):
            size = 0
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:  # it grew while being read
                raise too_large
        return b"".join(chunks), status
    finally:
        os.close(descriptor)


def read_text(path: str | Path, limit: int = INPUT_LIMIT) -> str:
    """`read_regular` decoded as UTF-8 (a `UnicodeDecodeError` where it is not): for a file a profile
    names, read as text, where a name such as `/dev/zero` must be refused, not read forever."""
    return read_regular(path, limit).decode("utf-8")


def line_and_column(data: bytes, offset: int) -> tuple[int, int]:
    """1-based line and column (in characters of the text before it) of byte `offset`."""
    start = data.rfind(b"\n", 0, offset) + 1
    column = len(data[start:offset].decode("utf-8", "replace")) + 1
    return data.count(b"\n", 0, offset) + 1, column


def replace_file(path: Path, data: bytes, exclusive: bool = False) -> None:
    """Write `path` (mode 0644) as a new file beside it, then renamed over whatever is at `path`
    (a link there is replaced, never written through), or, `exclusive`, linked in only if nothing is
    there (FileExistsError otherwise). Raises OSError; a failed write leaves `path` as it was."""
    import tempfile  # only here: the no-change path reads files, and starts fast

    descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(data)
        os.chmod(temporary, 0o644)
        if exclusive:
            os.link(temporary, path, follow_symlinks=False)
        else:
            os.replace(temporary, path)
    finally:
        if os.path.lexists(temporary):
            os.unlink(temporary)
