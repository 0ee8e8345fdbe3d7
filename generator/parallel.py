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
    other. Where this process may not fork (can_fork), it does every part itself; a part whose
    worker cannot be forked, or dies before it has answered in full (killed for memory, say), it
    does after its own. An exception a worker's `work` raises is raised here."""
    if len(parts) == 1 or not can_fork():
        return [work(part) for part in parts]
    _flush()  # else a worker could print again what this process has yet to print
    workers: list[_Worker | None] = []
    try:
        for part in parts[1:]:
            held = _hold_interrupts()  # a Ctrl-C between the fork and this list would lose the worker
            try:
                workers.append(_Worker.start(work, part, held))
            finally:
                _release(held)
        own = work(parts[0])
        return [own, *(worker.result() if worker is not None else work(part)
                       for worker, part in zip(workers, parts[1:]))]
    finally:
        for worker in workers:
            if worker is not None:
                worker.close()


def _flush() -> None:
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (AttributeError, OSError, ValueError):  # none, closed, or gone
            pass


def _hold_interrupts() -> object:
    """Block SIGINT for a moment (it waits, and comes once released); what to release."""
    if not hasattr(signal, "pthread_sigmask"):
        return None
    return signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})


def _release(held: object) -> None:
    if held is not None:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)  # type: ignore[arg-type]  # what SIG_BLOCK gave


class _Worker:
    """A forked process doing one part; it pickles what `work` gave (or raised) onto a pipe, behind
    its length, and leaves with os._exit, running no exit handler of this process's."""

    def __init__(self, pid: int, reader: int, work: Callable[[Any], Any], part: Sequence[int]) -> None:
        self.pid, self.reader, self.work, self.part = pid, reader, work, part
        self.reaped = False

    @classmethod
    def start(cls, work: Callable[[Any], Any], part: Sequence[int], held: object = None) -> _Worker | None:
        """A worker doing `part`; None where no pipe or process can be made (a pids limit). `held`:
        the signal mask to restore in the worker."""
        made = fork_piped(lambda writer: _answer(writer, work, part), held)
        return cls(*made, work, part) if made is not None else None

    def result(self) -> Any:
        data = _read_framed(self.reader)
        self.close(leaving=True)
        if data is None:  # it died before the end
            return self.work(self.part)
        import pickle

        done, value = pickle.loads(data)
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


def _read_framed(reader: int) -> bytearray | None:
    """The answer behind its 8-byte length, read into one buffer of that length (a large answer is
    never held twice); None if the pipe ends early, or holds more."""
    head = bytearray()
    while len(head) < 8 and (chunk := os.read(reader, 8 - len(head))):
        head += chunk
    if len(head) < 8:
        return None
    data = bytearray(int.from_bytes(head, "big"))
    view, got = memoryview(data), 0
    while got < len(data) and (count := os.readv(reader, [view[got:]])):
        got += count
    return data if got == len(data) and not os.read(reader, 1) else None


def fork_piped(child: Callable[[int], object], held: object = None) -> tuple[int, int] | None:
    """(pid, reading end) of a forked process that runs `child(writing end)` and leaves with
    os._exit (1 if `child` raised), running no exit handler of this process's; None where no pipe or
    process can be made. `held`: the signal mask to restore in it (_hold_interrupts)."""
    try:
        reader, writer = os.pipe()
    except OSError:
        return None
    try:
        pid = os.fork()
    except OSError:
        os.close(reader)
        os.close(writer)
        return None
    if pid == 0:
        code = 1
        try:
            _release(held)
            os.close(reader)
            child(writer)
            code = 0
        finally:
            os._exit(code)
    os.close(writer)
    return pid, reader


def _answer(writer: int, work: Callable[[Any], Any], part: Sequence[int]) -> None:
    """The worker: do the part, and write its answer, (True, value) or (False, exception)."""
    import pickle

    try:
        answer: tuple[bool, Any] = (True, work(part))
    except BaseException as error:  # raised in the caller, as the caller's own part would raise it
        answer = (False, error)
    _flush()  # what `work` printed, before this process leaves without flushing
    try:
        data = pickle.dumps(answer, pickle.HIGHEST_PROTOCOL)
        if not answer[0]:
            pickle.loads(data)  # an exception may pickle and not unpickle (its __init__ takes arguments)
    except Exception as error:
        what = f" (it raised {answer[1]!r:.500})" if not answer[0] else ""
        data = pickle.dumps((False, RuntimeError(f"a forked worker's answer does not pickle: {error!r}{what}")))
    for piece in (len(data).to_bytes(8, "big"), data):
        view = memoryview(piece)
        while view:
            view = view[os.write(writer, view):]
