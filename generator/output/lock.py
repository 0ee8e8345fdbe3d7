"""One writer per tree, and staging folders that name their owner.

A render that writes `out/<profile>/` (and `gen plan`, which writes `out/<profile>/migration/`
inside it) holds an exclusive `flock` on `out/.gen-lock-<profile>` from before it reads the tree
until the new tree is in place. The lock lives beside the tree, not in it: the tree itself is
swapped for a new directory. A second writer waits for it (saying for whom), and gives up after
WAIT_SECONDS. The holder removes the file when it is done; a writer that finds, once it holds the
lock, that the file at the path is no longer the one it locked starts again, so the removal never
lets two writers in. A killed holder's lock is released by the system; its file, if left, is
harmless and taken over by the next render.

Each staging folder is named `.gen-staging-<tree>.<pid>.<boot>-<start>.<host>.<random>`: the
process that builds it, identified across pid reuse (its start time since boot) and reboots. A
render holding the tree's lock removes another's staging folder only when its owner provably
no longer runs: same host, and that process is gone (another boot, no such pid, or a pid started
at another time). Anything else (another host, an older gen's `.gen-staging-<tree>-XXXXXXXX`) is
left alone and reported.
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import socket
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .guard import refuse

try:
    import fcntl
except ImportError:  # not a POSIX system: no locking (gen's directory swap is Linux's anyway)
    fcntl = None  # type: ignore[assignment]

LOCK = ".gen-lock-"  # prefix of the lock file beside each tree
STAGING = ".gen-staging-"  # prefix of the sibling folders a render builds in
WAIT_SECONDS = 300.0  # how long a writer waits for another to finish the same tree
_NO_LOCKS = (errno.ENOLCK, errno.EOPNOTSUPP, errno.ENOSYS)  # a file system without flock


@dataclass(frozen=True)
class Owner:
    pid: int
    start: str  # "<boot id prefix>-<start time in clock ticks since boot>"
    host: str

    def token(self) -> str:
        return f"{self.pid}.{self.start}.{self.host}"

    def describe(self) -> str:
        return f"pid {self.pid} on {self.host}"


def _first_line(path: str) -> str:
    try:
        with open(path, encoding="ascii", errors="replace") as file:
            return file.readline(200).strip()
    except OSError:
        return ""


def _start_ticks(pid: int) -> str | None:
    """When process `pid` started, in clock ticks since boot (None: no such process, or no /proc)."""
    text = _first_line(f"/proc/{pid}/stat")
    fields = text.rpartition(")")[2].split()  # the command name, in parentheses, may hold spaces
    return fields[19] if len(fields) > 19 else None


@cache
def this_owner() -> Owner:
    boot = re.sub(r"[^0-9a-f]", "", _first_line("/proc/sys/kernel/random/boot_id"))[:8] or "0"
    host = re.sub(r"[^A-Za-z0-9-]", "-", socket.gethostname())[:63] or "host"
    return Owner(os.getpid(), f"{boot}-{_start_ticks(os.getpid()) or 0}", host)


def staging_prefix(root: Path) -> str:
    """The name, but for its random end, of a staging folder this process builds for `root`."""
    return f"{STAGING}{root.name}.{this_owner().token()}."


def _owner_of(folder: str, tree: str) -> Owner | None:
    """The owner a staging folder's name gives (None: not a staging folder of this gen's form)."""
    parts = folder[len(f"{STAGING}{tree}."):].split(".")
    if len(parts) != 4 or not parts[0].isdigit():
        return None
    return Owner(int(parts[0]), parts[1], parts[2])


def _abandoned(owner: Owner) -> bool:
    """Whether the process that built a staging folder provably no longer runs."""
    me = this_owner()
    if owner.host != me.host or me.start.startswith("0-"):
        return False  # another machine, or no /proc to tell
    boot, _, ticks = owner.start.partition("-")
    if boot != me.start.partition("-")[0]:
        return True  # built before the last boot
    return owner != me and _start_ticks(owner.pid) != ticks


def clear_abandoned(root: Path) -> tuple[Path, ...]:
    """Remove the staging folders of `root` whose builders are gone (the caller holds the tree's
    lock); the ones left alone, because their builder may still run."""
    left = []
    try:
        names = os.listdir(root.parent)
    except OSError:
        return ()
    for name in sorted(names):
        if not name.startswith(f"{STAGING}{root.name}"):
            continue
        rest = name[len(f"{STAGING}{root.name}"):]
        owner = _owner_of(name, root.name) if rest.startswith(".") else None
        if owner is not None and _abandoned(owner):
            shutil.rmtree(root.parent / name, ignore_errors=True)
        elif owner is not None or re.fullmatch(r"-[a-z0-9_]{8}", rest):  # ours, or an older gen's
            left.append(root.parent / name)
    return tuple(left)


def _holder(path: Path) -> str:
    text = _first_line(str(path))
    return text if text else "another gen"


def _lock_error(path: Path, error: OSError) -> Exception:
    return refuse(path, f"cannot lock the tree: {error.strerror or error}",
                  "check that the output folder is a writable directory")


@contextmanager
def tree_lock(tree: Path, waiting: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold the exclusive lock of `tree` (out/<profile>); `waiting` is told once, if another holds it."""
    if fcntl is None:
        yield
        return
    path = tree.parent / f"{LOCK}{tree.name}"
    try:
        tree.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise _lock_error(path, error) from None
    deadline, pause, told = time.monotonic() + WAIT_SECONDS, 0.02, False
    while True:
        try:
            descriptor = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)
        except OSError as error:
            raise _lock_error(path, error) from None
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(descriptor)
            holder = _holder(path)
            if not told and waiting is not None:
                waiting(f"gen: waiting for {holder}, which is writing {tree}")
                told = True
            if time.monotonic() > deadline:
                raise refuse(tree, f"another gen ({holder}) has been writing this tree for over {WAIT_SECONDS:.0f} s; "
                             "nothing was written", "render again once it has finished") from None
            time.sleep(pause)
            pause = min(pause * 2, 0.5)
            continue
        except OSError as error:
            os.close(descriptor)
            if error.errno in _NO_LOCKS:  # the file system cannot lock: write as before locks
                yield
                return
            raise _lock_error(path, error) from None
        try:
            held = os.fstat(descriptor)
            current = os.lstat(path)
            same = (held.st_dev, held.st_ino) == (current.st_dev, current.st_ino)
        except FileNotFoundError:
            same = False
        if same:
            break
        os.close(descriptor)  # the last holder removed it as we opened it: lock the new one
    try:
        try:  # who holds it, for whoever waits
            os.ftruncate(descriptor, 0)
            since = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime())
            os.write(descriptor, f"{this_owner().describe()}, since {since}\n".encode())
        except OSError:
            pass
        yield
    finally:
        try:
            os.unlink(path)  # still held: nobody else can be between their lock and their check
        except OSError:
            pass
        os.close(descriptor)
