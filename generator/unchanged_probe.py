"""The no-change path's walk and hashing, and the second core it puts them on.

Whether a tree still holds what its ledger says takes a walk (every entry a regular file in a real
folder, exactly the ledger's files) and a check of every file: its hash, or, where its status is
still the one recorded when it last matched (stat_cache.py), that status. On a large tree
(FORK_FROM files) a child is forked as soon as the ledger's bytes are read: while this process
reads the ledger, fingerprints the inputs and asks for the statuses of its share of the files
(`split`), the child walks the tree and checks the rest of the files it found. This process reads
nothing of the tree, and trusts no status it asked for, before the child has said what the walk
found and that it is exactly the ledger's files (so no name of a hostile ledger can lead a read
through a symbolic link, into a FIFO or a device: asking for a status reads nothing, blocks on
nothing, and a status proves a file's bytes only where it is the one recorded for that very file,
wherever it was reached); then it checks its share, and compares the child's findings for the
rest with the ledger's. Any doubt (a failed fork, a child that dies, a name that cannot be
encoded) answers "not unchanged": the full path then decides, as it would without the probe.
"""

from __future__ import annotations

import hashlib
import os
import signal
from array import array
from stat import S_ISREG

from .output.ledger import LEDGER, READ_FLAGS, file_bytes, read_descriptor
from .parallel import fork_piped
from .record import Record
from .stat_cache import FIELDS, TOP, Status, load, recordable, status_of

FORK_FROM = 2000  # files: from here on, a forked child walks the tree and checks a share of it
_READ = READ_FLAGS | os.O_NOFOLLOW
_FOLDER = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
_LEDGER = LEDGER.as_posix()
_WALKED, _REFUSED = b"W", b"X"


def regular_files(root: str) -> list[str] | None:
    """Every file of the tree but the ledger, sorted; None unless each entry is a regular file in a
    real folder (no symbolic link, FIFO or device anywhere: reading through one could leave the
    tree, block or never end) and the ledger is there. A nested tree with its own ledger (`gen
    plan`'s migration/) is its writer's business. One scandir per folder, whose entry types cost
    no system call."""
    names: list[str] = []
    ledger = False
    folders = [("", root)]
    try:
        while folders:
            prefix, folder = folders.pop()
            with os.scandir(folder) as entries:
                for entry in entries:
                    relative = prefix + entry.name
                    if entry.is_dir(follow_symlinks=False):
                        if not os.path.isfile(os.path.join(entry.path, _LEDGER)):
                            folders.append((relative + "/", entry.path))
                    elif not entry.is_file(follow_symlinks=False):
                        return None
                    elif relative == _LEDGER:
                        ledger = True
                    else:
                        names.append(relative)
    except OSError:  # a folder went away as it was read
        return None
    return sorted(names) if ledger else None


TRUSTED = "="  # in place of a hash: the file's status is still the one recorded (stat_cache.py)


class Checked(Record):
    """What one process found of its names: each file's hash (or TRUSTED), and the status to record
    for each (None where every file was trusted: the record holds them already)."""

    __slots__ = ("hashes", "statuses")

    def __init__(self, hashes: list[str], statuses: list[Status] | None) -> None:
        self.hashes = hashes
        self.statuses = statuses


def statuses_of(base: str, names: list[str]) -> list[Status | None]:
    """Each named file's status under `base` as check compares it (None where there is none). It
    reads nothing and follows no link: this process asks for them while the child walks the tree,
    each folder opened from its parent without following a link (a link where a folder should be
    leads nowhere, not out of the tree: to a mount that may hang, say), and check trusts a status
    only once the walk has found exactly the ledger's files."""
    found: list[Status | None] = []
    chain: list[tuple[str, int | None]] = []  # the folders open, from the root down: (name, descriptor)
    directory: str | None = None
    folder: int | None = None
    try:
        for name in names:
            within, _, file = name.rpartition("/")
            if within != directory:  # the names are sorted: most share the folder of the one before
                directory = within
                parts = within.split("/") if within else []
                folder = None if any(part in ("", ".", "..") for part in parts) else _opened(chain, parts, base)
            if folder is None:
                found.append(None)
                continue
            try:
                result = os.stat(file, dir_fd=folder, follow_symlinks=False)
            except (OSError, ValueError):
                found.append(None)
                continue
            status = (result.st_dev, result.st_ino, result.st_size, result.st_mtime_ns, result.st_ctime_ns)
            found.append(status_of(result) if status[0] >= TOP or status[1] >= TOP else status)
    finally:
        for _, descriptor in chain:
            if descriptor is not None:
                os.close(descriptor)
    return found


def _opened(chain: list[tuple[str, int | None]], parts: list[str], base: str) -> int | None:
    """The descriptor of the folder `parts` below `base` (None if it cannot be opened), `chain`
    made the open folders from the root down to it: those below where it parts from the folder
    before are closed, the rest opened, each from its parent without following a link."""
    depth = 1 if chain else 0  # the root is always open
    while depth < len(chain) and depth <= len(parts) and chain[depth][0] == parts[depth - 1]:
        depth += 1
    for _, descriptor in chain[depth:]:
        if descriptor is not None:
            os.close(descriptor)
    del chain[depth:]
    while len(chain) <= len(parts):
        parent = chain[-1][1] if chain else None
        step = parts[len(chain) - 1] if chain else base
        descriptor = None
        if parent is not None or not chain:
            try:
                descriptor = os.open(step, _FOLDER, dir_fd=parent)
            except (OSError, ValueError):
                pass
        chain.append((step, descriptor))
    return chain[-1][1]


def check(base: str, names: list[str], offset: int, cached: list[Status] | None, started: int | None,
          known: list[Status | None] | None = None) -> Checked | None:
    """Hash each named file under `base` (positions `offset`... of the walk), never through a
    symbolic link; where `cached` holds a file's status as it stands, trust it instead (`known`:
    the statuses, asked for already by statuses_of). `started`: when the run began, if statuses
    are to be recorded (None: they are not). None if a file cannot be read (or named: a name no
    file system can hold). Runs once per file: plain strings, no helper calls on the trusted path."""
    sha256 = hashlib.sha256
    lstat = os.lstat
    prefix = base + "/"
    hashes: list[str] = []
    statuses: list[Status] = []
    read = 0
    try:
        for index, name in enumerate(names, offset):
            path = prefix + name
            if cached is not None:
                status = known[index - offset] if known is not None else None
                if status is None:
                    found = lstat(path)
                    status = (found.st_dev, found.st_ino, found.st_size, found.st_mtime_ns, found.st_ctime_ns)
                    if status[0] >= TOP or status[1] >= TOP:
                        status = status_of(found)
                if status == cached[index]:
                    hashes.append(TRUSTED)
                    statuses.append(status)
                    continue
            read += 1
            if started is None:
                hashes.append(sha256(file_bytes(path, follow=False)).hexdigest())
                continue
            descriptor = os.open(path, _READ)
            try:  # the status before the bytes: a write in between gives a status no later run matches
                opened = os.fstat(descriptor)
                if not S_ISREG(opened.st_mode):  # swapped for a FIFO or device since the walk
                    return None
                data = read_descriptor(descriptor)
            finally:
                os.close(descriptor)
            hashes.append(sha256(data).hexdigest())
            statuses.append(recordable(status_of(opened), started))
    except (OSError, ValueError):
        return None
    return Checked(hashes, statuses if read and started is not None else None)


def split(count: int) -> int:
    """Where the child's share of `count` files begins: this process asks for its share's statuses
    while the child walks, so it takes more than half (measured: a walk of 15,000 files costs about
    what asking for 10,000 statuses does)."""
    return count * 3 // 5


def names_digest(names: list[str]) -> bytes | None:
    """One digest of a sorted list of names (no name holds a NUL); None for a name that is no file
    name (a lone surrogate a ledger may spell)."""
    try:
        return hashlib.sha256(os.fsencode("\0".join(names))).digest()  # the bytes the walk's names are
    except UnicodeError:
        return None


class Probe:
    """A forked child walking a tree and checking its share of the files (split). It says, on a pipe,
    first the walk's outcome (a digest of the names found, or a refusal), then the hashes; `close`
    kills and reaps it whatever it was doing."""

    def __init__(self, child: int, reader: int) -> None:
        self.child, self.reader = child, reader
        self.ended = False  # the child closed the pipe: it is leaving
        try:  # a handle on this very process: with SIGCHLD ignored, its pid may soon name another
            self.handle: int | None = os.pidfd_open(child)
        except (AttributeError, OSError):  # no pidfd (before Linux 5.3), or gone already
            self.handle = None

    @classmethod
    def start(cls, root: str, ledger: bytes, started: int | None) -> Probe | None:
        """A child walking the tree at `root` (`ledger`: the digest of its ledger's bytes, whose
        statuses record applies; `started`: as `check` takes it). None where no process can be
        forked (a pids limit) or no pipe made."""
        made = fork_piped(lambda writer: _probe(root, writer, ledger, started))
        return cls(*made) if made is not None else None

    def _read(self, size: int | None) -> bytes:
        """`size` bytes (fewer if the child left), or all until the child leaves."""
        chunks: list[bytes] = []
        total = 0
        while size is None or total < size:
            chunk = os.read(self.reader, 1 << 16 if size is None else size - total)
            if not chunk:
                self.ended = True
                break
            chunks.append(chunk)
            total += len(chunk)
        return b"".join(chunks)

    def walked(self) -> bytes | None:
        """The digest of the names the walk found (names_digest); None if it found anything else."""
        said = self._read(33)
        return said[1:] if len(said) == 33 and said[:1] == _WALKED else None

    def hashed(self) -> Checked | None:
        """What the child found of its share of the files the walk found, in name order."""
        said = self._read(None)
        if said[:1] != _WALKED or len(said) < 9:
            return None
        size = int.from_bytes(said[1:9], "big")
        blob, rest = said[9:9 + size], said[9 + size:]
        if not rest:
            return Checked(blob.decode("ascii").split("\n") if blob else [], None)
        numbers = array("q")
        numbers.frombytes(rest[:len(rest) - len(rest) % 8])
        values = iter(numbers.tolist())
        return Checked(blob.decode("ascii").split("\n") if blob else [], list(zip(*[values] * FIELDS)))

    def close(self) -> None:
        try:
            if self.handle is not None:
                signal.pidfd_send_signal(self.handle, signal.SIGKILL)
            elif not self.ended:  # it holds the pipe open: still there
                os.kill(self.child, signal.SIGKILL)
        except ProcessLookupError:
            pass
        finally:
            if self.handle is not None:
                os.close(self.handle)
        os.close(self.reader)
        try:
            os.waitpid(self.child, 0)
        except ChildProcessError:  # SIGCHLD ignored by whoever runs gen: reaped already
            pass


def cached_statuses(root: str, ledger: bytes, names: bytes, count: int) -> list[Status] | None:
    """The statuses recorded for this tree, ledger and walk, one tuple per name."""
    found = load(root, ledger, names, count)
    if found is None:
        return None
    values = iter(found)
    return list(zip(*[values] * FIELDS))


def _probe(root: str, writer: int, ledger: bytes, started: int | None) -> None:
    """The child: walk, say what was found, check its share and say what it found."""
    names = regular_files(root)
    digest = names_digest(names) if names is not None else None
    if names is None or digest is None:
        _say(writer, _REFUSED)
        return
    _say(writer, _WALKED + digest)
    cached = cached_statuses(root, ledger, digest, len(names)) if started is not None else None
    share = split(len(names))
    found = check(root, names[share:], share, cached, started)
    if found is None:
        _say(writer, _REFUSED)
        return
    blob = "\n".join(found.hashes).encode("ascii")
    statuses = array("q", [number for status in found.statuses or () for number in status]).tobytes()
    _say(writer, _WALKED + len(blob).to_bytes(8, "big") + blob + statuses)


def _say(writer: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(writer, view):]
