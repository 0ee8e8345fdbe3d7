"""Work that is independent per item, on every core where it pays.

`in_slices(work, count)` cuts [0, count) into one slice per core; this process does the first
slice while forked workers do the others. A worker inherits everything `work` reads (the plan, the
compiled templates and schemas): nothing is pickled on the way in, and only each slice's result
comes back. Small jobs, and systems without `fork`, run in this process alone. The results come
in slice order either way.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any, TypeVar

Result = TypeVar("Result")

# The work a forked worker does: set just before the workers fork, read only by them.
_forked: list[Callable[[int, int], Any]] = []


def _forked_slice(bounds: tuple[int, int]) -> Any:
    return _forked[0](*bounds)


def workers_for(count: int, parallel_from: int) -> int:
    if count < parallel_from or not hasattr(os, "fork"):
        return 1
    return min(os.cpu_count() or 1, 8)


def in_slices(work: Callable[[int, int], Result], count: int, parallel_from: int) -> list[Result]:
    """[work(start, end) for each slice of [0, count)], in order; one slice per core from
    `parallel_from` items on, else one slice."""
    workers = workers_for(count, parallel_from)
    size = -(-count // workers) if count else 0
    bounds = [(start, min(start + size, count)) for start in range(0, count, size or 1)] or [(0, 0)]
    if len(bounds) == 1:
        return [work(*bounds[0])]
    import multiprocessing  # only where work is shared: the no-change path never needs it
    from concurrent.futures import ProcessPoolExecutor

    _forked[:] = [work]
    try:
        with ProcessPoolExecutor(len(bounds) - 1, mp_context=multiprocessing.get_context("fork")) as pool:
            pending = [pool.submit(_forked_slice, part) for part in bounds[1:]]
            own = work(*bounds[0])
            return [own, *(future.result() for future in pending)]
    finally:
        _forked.clear()
