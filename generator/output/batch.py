"""Rendering and validating a whole plan, on every core where it pays.

Rendering, the parse-back proof and schema validation are independent per output, so a large plan
is cut into one slice per core and each slice is done in a forked worker (which inherits the plan
and the compiled templates: nothing is pickled on the way in; texts and problems come back).
Small plans, and systems without `fork`, run in the calling process. The result is the same
either way: outputs keep their plan order.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

from ..plan import Plan
from ..problems import Problem
from ..validation.embedded import shared_validator
from ..validation.trace import output_problems
from .cache import RenderCache, output_key
from .render import RenderedFile, make_environment, render_output

PARALLEL_FROM = 1500  # outputs: below this, starting workers costs more than it saves

# What a forked worker renders from (the plan, the tree's cache): set just before the workers
# fork, read only by them.
_forked: list[tuple[Plan, RenderCache | None]] = []

_Slice = tuple[list[RenderedFile], list[Problem], list[str | None]]


def _render_slice(plan: Plan, cache: RenderCache | None, start: int, end: int) -> _Slice:
    """Outputs [start, end) of the plan: their files in plan order, the schema findings on what was
    rendered, and every output's cache key. Each file is validated as soon as it is rendered and
    its parsed document let go, so that a slice never holds more than one."""
    outputs = plan.outputs[start:end]
    keys = [output_key(plan.profile, output) for output in outputs]
    environment = make_environment()
    validator = shared_validator()
    files: list[RenderedFile] = []
    problems: list[Problem] = []
    for output, key in zip(outputs, keys):
        found = cache.reuse(output.path, key) if cache is not None else None
        if found is None:
            rendered = render_output(environment, output, plan.profile)
            problems += output_problems(output, rendered, validator)
            found = RenderedFile(rendered.path, rendered.text)
        files.append(found)
    return files, problems, keys


_Travelling = tuple[list[tuple[str, str, bool]], list[Problem], list[str | None]]


def _travelling(part: _Slice) -> _Travelling:
    """A slice as it travels back from a worker: the parsed documents stay behind (in this process
    too, so that a large plan does not hold half of them)."""
    files, problems, keys = part
    return [(file.path, file.text, file.on_disk) for file in files], problems, keys


def _forked_slice(bounds: tuple[int, int]) -> _Travelling:
    plan, cache = _forked[0]
    return _travelling(_render_slice(plan, cache, *bounds))


def _arrived(part: _Travelling) -> _Slice:
    texts, problems, keys = part
    return [RenderedFile(path, text, on_disk=on_disk) for path, text, on_disk in texts], problems, keys


def _workers(outputs: int) -> int:
    if outputs < PARALLEL_FROM or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return min(os.cpu_count() or 1, 8)


@dataclass(frozen=True)
class Rendered:
    files: list[RenderedFile]  # in plan order
    problems: list[Problem]  # schema findings
    keys: dict[str, str]  # path -> cache key, for the ledger
    reused: int  # files read back from the tree instead of rendered


def render_all(plan: Plan, cache: RenderCache | None = None) -> Rendered:
    """Every file of the plan: read back where the cache proves it unchanged, rendered, proven and
    validated otherwise. On several cores, this process takes the first slice and forked workers
    the others (keys, cache look-ups, rendering and validation all run in the slices)."""
    count = len(plan.outputs)
    workers = _workers(count)
    size = -(-count // workers) if count else 0
    bounds = [(start, min(start + size, count)) for start in range(0, count, size or 1)]
    if len(bounds) <= 1:
        slices = [_render_slice(plan, cache, 0, count)]
    else:
        _forked[:] = [(plan, cache)]
        try:
            with ProcessPoolExecutor(len(bounds) - 1, mp_context=multiprocessing.get_context("fork")) as pool:
                pending = [pool.submit(_forked_slice, part) for part in bounds[1:]]
                own = _render_slice(plan, cache, *bounds[0])
                slices = [_arrived(_travelling(own)), *(_arrived(future.result()) for future in pending)]
        finally:
            _forked.clear()
    files = [file for part, _, _ in slices for file in part]
    keys = {output.path: key for output, key in zip(plan.outputs, (key for _, _, part in slices for key in part))
            if key is not None}
    problems = [problem for _, found, _ in slices for problem in found]
    return Rendered(files, problems, keys, sum(file.on_disk for file in files))

