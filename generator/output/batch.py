"""Rendering and validating a whole plan, on every core where it pays.

Cache keys, cache look-ups, rendering, the parse-back proof and schema validation are independent
per output, so a large plan is cut into one slice per core (generator/parallel.py); texts,
problems and keys come back. The result is the same either way: outputs keep their plan order.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..parallel import in_slices
from ..plan import Plan
from ..problems import Problem
from ..kit.active import active_kit, active_templates
from ..kit.rules import rule_problems
from ..validation.embedded import active_validator
from ..validation.trace import output_problems
from .cache import OutputKeys, RenderCache
from .derived import Derived
from .render import KitRenderFailure, RenderedFile, proven_instance, render_output
from .shapes import Keyed, Shapes, ShapeKeys
from .templating import parse_back

# Outputs to render (or their cost in renders): below this, starting workers costs more than it
# saves. Forked workers copy each page they touch, the heap of a large plan's included: measured
# on two cores, one process rendered 1,000 namespaces in 0.4 s and 4,000 in 2.0 s, two in 0.5 s
# and 2.5 s (the plan is mostly derived from its shapes; rendering each output costs 5 to 7 times more).
PARALLEL_FROM = 30_000

# A slice of the plan rendered: (path, text or derived text, read back?) per output in plan order, the schema
# findings on what was rendered, every output's cache key, how many files were derived from their
# shape. Plain tuples: they pickle fastest.
_Slice = tuple[list[tuple[str, str | Derived, bool]], list[Problem], list[str | None], int]
# Whether outputs of one shape are derived from it (output/shapes.py); the tests turn it off to
# compare both ways.
USE_SHAPES = True


def _render_slice(plan: Plan, cache: RenderCache | None, start: int, end: int, repeated: set[str] | None,
                  all_shaped: list[Keyed | None]) -> _Slice:
    """Outputs [start, end) of the plan (`all_shaped`: every output's key_of; `repeated`: the shapes
    that more than one output fills, None: derive none). Each file is validated as soon as it is
    rendered and its parsed document let go, so that a slice never holds more than one."""
    outputs = plan.outputs[start:end]
    shaped = all_shaped[start:end]
    cache_key = OutputKeys(plan.profile)
    keys = [cache_key(output, keyed) for output, keyed in zip(outputs, shaped)]
    templates = active_templates()
    validator = active_validator()
    kit = active_kit()
    repeated = repeated or set()
    shapes = Shapes(templates, plan.profile) if repeated else None
    files: list[tuple[str, str | Derived, bool]] = []
    problems: list[Problem] = []
    for output, key, keyed in zip(outputs, keys, shaped):
        found = cache.reuse(output.path, key) if cache is not None else None
        if found is None:
            # A shape only one output fills is rendered as that output: building it costs more.
            derived = shapes.derive(output, keyed) if shapes is not None and keyed is not None and keyed[0] in repeated else None
            try:
                rendered = render_output(templates, output, plan.profile) if derived is None else proven_instance(
                    output, *derived)
            except KitRenderFailure as failure:
                problems.append(failure.problem)
                files.append((output.path, "", False))
                continue
            problems += output_problems(output, rendered, validator)
            if kit is not None and kit.rules:  # the text joined only where a rule may need it
                problems += rule_problems(kit, output, rendered.path, rendered.text, rendered.document)
            files.append((rendered.path, rendered.derived or rendered.text, False))
        else:
            if kit is not None and kit.rules and output.identity is not None:  # files read back, too
                problems += rule_problems(kit, output, found.path, found.text, parse_back(found.path, output.template,
                                                                                          found.text))
            files.append((found.path, found.text, True))
    return files, problems, keys, shapes.derived if shapes is not None else 0


RENDER, DERIVE = 10, 2  # what rendering an output costs, and deriving one from its shape, about


def _repeated(shaped: list[Keyed | None]) -> set[str]:
    """The shapes more than one output fills."""
    seen: set[str] = set()
    repeated: set[str] = set()
    for keyed in shaped:
        if keyed is not None:
            (repeated if keyed[0] in seen else seen).add(keyed[0])
    return repeated


def _weights(plan: Plan, shaped: list[Keyed | None], repeated: set[str] | None) -> list[int]:
    """What each output costs to render, or to derive where an earlier output has its shape."""
    seen: set[str] = set()
    weights = []
    for output, keyed in zip(plan.outputs, shaped):
        if repeated is not None and keyed is not None and keyed[0] in seen:
            weights.append(DERIVE)
        else:
            if keyed is not None:
                seen.add(keyed[0])
            weights.append(RENDER * output.context.cost())
    return weights


@dataclass(frozen=True)
class Rendered:
    files: list[RenderedFile]  # in plan order
    problems: list[Problem]  # schema findings
    keys: dict[str, str]  # path -> cache key, for the ledger
    derived: int = 0  # files derived from their shape rather than rendered on their own


def render_all(plan: Plan, cache: RenderCache | None = None, shapes: bool | None = None) -> Rendered:
    """Every file of the plan: read back where the cache proves it unchanged, rendered, proven and
    validated otherwise. On several cores, this process takes the first slice and forked workers
    the others (keys, cache look-ups, rendering and validation all run in the slices). `shapes`:
    derive outputs of one shape from it (output/shapes.py); False renders each (the tests compare);
    None: as USE_SHAPES says."""
    use = USE_SHAPES if shapes is None else shapes
    key_of = ShapeKeys()
    shaped = [key_of(output) for output in plan.outputs]
    repeated = _repeated(shaped) if use else None
    weights = _weights(plan, shaped, repeated)
    # Deriving costs a fifth of rendering: an estate of few shapes renders in this process alone.
    parallel_from = 0 if sum(weights) >= PARALLEL_FROM * RENDER else len(plan.outputs) + 1
    slices = in_slices(lambda start, end: _render_slice(plan, cache, start, end, repeated, shaped), len(plan.outputs),
                       parallel_from, weights)
    files = [RenderedFile(path, text, on_disk=on_disk) for part, _, _, _ in slices for path, text, on_disk in part]
    keys = {output.path: key for output, key in zip(plan.outputs, (key for _, _, part, _ in slices for key in part))
            if key is not None}
    problems = [problem for _, found, _, _ in slices for problem in found]
    return Rendered(files, problems, keys, sum(derived for _, _, _, derived in slices))
