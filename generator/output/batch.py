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
from dataclasses import dataclass, replace

from ..plan import Plan
from ..problems import Problem
from ..validation.embedded import shared_validator
from ..validation.trace import rendered_problems
from .cache import RenderCache, output_key
from .render import RenderedFile, render

PARALLEL_FROM = 1500  # outputs: below this, starting workers costs more than it saves

# The plan a forked worker renders from: set just before the workers fork, read only by them.
_forked: list[Plan] = []


def _slice(bounds: tuple[int, int]) -> tuple[list[tuple[str, str]], list[Problem]]:
    start, end = bounds
    plan = _forked[0]
    part = replace(plan, outputs=plan.outputs[start:end])
    files = render(part)
    problems = rendered_problems(part, files, shared_validator())
    return [(file.path, file.text) for file in files], problems


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
    validated otherwise."""
    keys = {output.path: output_key(plan.profile, output) for output in plan.outputs}
    reused = {}
    if cache is not None:
        for output in plan.outputs:
            found = cache.reuse(output.path, keys[output.path])
            if found is not None:
                reused[output.path] = found
    fresh = replace(plan, outputs=tuple(output for output in plan.outputs if output.path not in reused))
    files, problems = render_checked(fresh)
    by_path = {file.path: file for file in files}
    ordered = [reused.get(output.path) or by_path[output.path] for output in plan.outputs]
    return Rendered(ordered, problems, {path: key for path, key in keys.items() if key is not None}, len(reused))


def render_checked(plan: Plan) -> tuple[list[RenderedFile], list[Problem]]:
    """Every file of the plan, rendered and proven, and the schema findings on them."""
    workers = _workers(len(plan.outputs))
    if workers == 1:
        files = render(plan)
        return files, rendered_problems(plan, files, shared_validator())
    size = -(-len(plan.outputs) // workers)
    bounds = [(start, min(start + size, len(plan.outputs))) for start in range(0, len(plan.outputs), size)]
    _forked[:] = [plan]
    try:
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
            results = list(pool.map(_slice, bounds))
    finally:
        _forked.clear()
    files = [RenderedFile(path, text) for texts, _ in results for path, text in texts]
    return files, [problem for _, problems in results for problem in problems]
