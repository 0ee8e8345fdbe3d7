"""Work that is independent per item, on every core where it pays.

`in_slices(work, count)` cuts [0, count) into one slice per core; this process does the first
slice while forked workers do the others (`in_parts` does the same with parts the caller cuts). A
worker inherits everything `work` reads (the plan, the compiled templates and schemas): nothing is
pickled on the way in, and only each slice's result comes back. Small jobs, and systems without
`fork`, run in this process alone. The results come in slice order either way.
"""

from __future__ import annotations

import os
import signal
import sys
from bisect import bisect_left
from itertools import accumulate

# Not `typing.TYPE_CHECKING`: the no-change path asks can_fork, and typing costs it milliseconds to
# import; mypy reads any TYPE_CHECKING as true.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from typing import Any, TypeVar

    Result = TypeVar("Result")
    Part = TypeVar("Part", bound=Sequence[int])


def can_fork() -> bool:
    """A second core, `fork`, and no other thread (a progress bar's): a fork copies only the thread
    that calls it, and a lock another thread held stays held in the child for good."""
    threading = sys.modules.get("threading")
    return (hasattr(os, "fork") and (os.cpu_count() or 1) >= 2
            and (threading is None or threading.active_count() == 1))


def workers_for(count: int, parallel_from: int) -> int:
    if count < parallel_from or not can_fork():
        return 1
    return min(os.cpu_count() or 1, 8)


def _bounds(count: int, workers: int, weights: Sequence[int] | None) -> list[tuple[int, int]]:
    """`workers` slices of [0, count): of equal length, or of equal weight where items weigh
    differently (an item heavier than a slice's share is a slice of its own, at most)."""
    if weights is None:
        size = -(-count // workers) if count else 0
        return [(start, min(start + size, count)) for start in range(0, count, size or 1)] or [(0, 0)]
    prefix = list(accumulate(weights, initial=0))
    cuts = [0]
    for part in range(1, workers):
        target = prefix[-1] * part / workers
        # the cut whose weight before it comes nearest the target, after the previous cut
        above = bisect_left(prefix, target)
        near = [index for index in (above - 1, above) if cuts[-1] < index < count]
        if near:
            cuts.append(min(near, key=lambda index: abs(prefix[index] - target)))
    cuts.append(count)
    return [(start, end) for start, end in zip(cuts, cuts[1:]) if end > start] or [(0, 0)]


def slices_of(count: int, parallel_from: int, weights: Sequence[int] | None = None) -> list[range]:
    """[0, count) cut into one slice per core from `parallel_from` items on, else one slice
    (`weights`: what each item costs, relatively: slices of equal weight)."""
    return [range(start, end) for start, end in _bounds(count, workers_for(count, parallel_from), weights)]


def in_slices(work: Callable[[int, int], Result], count: int, parallel_from: int,
              weights: Sequence[int] | None = None) -> list[Result]:
    """[work(start, end) for each slice of [0, count)], in order; one slice per core from
    `parallel_from` items on, else one slice. `weights`: what each item costs, relatively (slices
    of equal weight, so that no core waits long for another)."""
    return in_parts(lambda part: work(part.start, part.stop), slices_of(count, parallel_from, weights))


def in_parts(work: Callable[[Part], Result], parts: list[Part]) -> list[Result]:
    """[work(part) for part in parts], in order: this process does the first, a forked worker each
    other. Where this process may not fork (can_fork), a part whose worker cannot be forked, or dies
    before it answers (killed for memory, say), this process does the part after its own; an
    exception a worker's `work` raises is raised here."""
    if len(parts) == 1 or not can_fork():
        return [work(part) for part in parts]
    workers = [_Worker.start(work, part) for part in parts[1:]]
    try:
        own = work(parts[0])
        return [own, *(worker.result() if worker is not None else work(part)
                       for worker, part in zip(workers, parts[1:]))]
    finally:
        for worker in workers:
            if worker is not None:
                worker.close()


class _Worker:
    """A forked process doing one part; it pickles what `work` gave (or raised) onto a pipe and leaves
    with os._exit, running no exit handler and flushing no buffer of this process's."""

    def __init__(self, pid: int, reader: int, work: Callable[[Any], Any], part: Sequence[int]) -> None:
        self.pid, self.reader, self.work, self.part = pid, reader, work, part
        self.reaped = False

    @classmethod
    def start(cls, work: Callable[[Any], Any], part: Sequence[int]) -> _Worker | None:
        try:
            reader, writer = os.pipe()
        except OSError:
            return None
        try:
            pid = os.fork()
        except OSError:  # a pids limit: this process does the part
            os.close(reader)
            os.close(writer)
            return None
        if pid == 0:  # the worker
            try:
                os.close(reader)
                _answer(writer, work, part)
            finally:
                os._exit(0)
        os.close(writer)
        return cls(pid, reader, work, part)

    def result(self) -> Any:
        chunks = []
        while chunk := os.read(self.reader, 1 << 20):
            chunks.append(chunk)
        self.close(leaving=True)
        if not chunks:  # it died before it answered
            return self.work(self.part)
        import pickle

        done, value = pickle.loads(b"".join(chunks))
        if not done:
            raise value
        return value

    def close(self, leaving: bool = False) -> None:
        """Reap the worker (`leaving`: it closed its end of the pipe, and is leaving); one that still
        runs (this process gave up on it) is killed first."""
        if self.reaped:
            return
        self.reaped = True
        os.close(self.reader)
        try:
            if not leaving and os.waitpid(self.pid, os.WNOHANG)[0] == 0:
                os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        except ChildProcessError:  # SIGCHLD ignored by whoever runs gen: it reaps itself (and, left
            pass  # running, it leaves when it writes to the closed pipe)


def _answer(writer: int, work: Callable[[Any], Any], part: Sequence[int]) -> None:
    import pickle

    try:
        answer: tuple[bool, Any] = (True, work(part))
    except BaseException as error:  # raised in the caller, as the caller's own part would raise it
        answer = (False, error)
    try:
        data = pickle.dumps(answer, pickle.HIGHEST_PROTOCOL)
    except Exception as error:  # an answer that does not pickle
        data = pickle.dumps((False, RuntimeError(f"a forked worker's answer does not pickle: {error!r}")))
    view = memoryview(data)
    while view:
        view = view[os.write(writer, view):]
