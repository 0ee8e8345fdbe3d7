"""Work that is independent per item, on every core where it pays.

`in_slices(work, count)` cuts [0, count) into one slice per core; this process does the first
slice while forked workers do the others (`in_parts` does the same with parts the caller cuts). A
worker inherits everything `work` reads (the plan, the compiled templates and schemas): nothing is
pickled on the way in, and only each slice's result comes back. Small jobs, and systems without
`fork`, run in this process alone. The results come in slice order either way.
"""

from __future__ import annotations

import os
from bisect import bisect_left
from itertools import accumulate
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

Result = TypeVar("Result")

# The work a forked worker does: set just before the workers fork, read only by them.
_forked: list[Callable[[Any], Any]] = []


def _forked_part(part: Sequence[int]) -> Any:
    return _forked[0](part)


def workers_for(count: int, parallel_from: int) -> int:
    if count < parallel_from or not hasattr(os, "fork"):
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


Part = TypeVar("Part", bound=Sequence[int])


def in_parts(work: Callable[[Part], Result], parts: list[Part]) -> list[Result]:
    """[work(part) for part in parts], in order: this process does the first, a forked worker each
    other (where the system can fork; else this process does them all, in turn)."""
    if len(parts) == 1 or not hasattr(os, "fork"):
        return [work(part) for part in parts]
    import multiprocessing  # only where work is shared: the no-change path never needs it
    from concurrent.futures import ProcessPoolExecutor

    _forked[:] = [work]
    try:
        with ProcessPoolExecutor(len(parts) - 1, mp_context=multiprocessing.get_context("fork")) as pool:
            pending = [pool.submit(_forked_part, part) for part in parts[1:]]
            own = work(parts[0])
            return [own, *(future.result() for future in pending)]
    finally:
        _forked.clear()
