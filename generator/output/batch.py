"""Rendering and validating a whole plan, on every core where it pays.

Cache keys, cache look-ups, rendering, the parse-back proof and schema validation are independent
per output, so a large plan is cut into one slice per core (generator/parallel.py); texts,
problems and keys come back. The result is the same either way: outputs keep their plan order.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast

from ..parallel import can_fork, in_parts, slices_of
from ..graph.deferred import Deferred
from ..plan import Output, Plan
from ..problems import Problem
from ..kit.active import active_kit, active_templates
from ..kit.rules import rule_problems
from ..validation.embedded import active_validator
from ..validation.trace import output_problems
from .cache import KEY_BYTES, OutputKeys, RenderCache
from .packed import Packed
from .render import KitRenderFailure, RenderedFile, proven_instance, render_output
from .shapes import Keyed, Shapes, ShapeKeys
from .templating import parse_back

# Outputs to render (or their cost in renders): below this, starting workers costs more than it
# saves. Forked workers copy each page they touch, the heap of a large plan's included: measured
# on two cores, one process rendered 1,000 namespaces in 0.4 s and 4,000 in 2.0 s, two in 0.5 s
# and 2.5 s (the plan is mostly derived from its shapes; rendering each output costs 5 to 7 times more).
PARALLEL_FROM = 30_000


class Keys:
    """The cache keys of a run of outputs, end to end in one block of KEY_BYTES each (a bytes object
    per output would cost 56 bytes and a pointer, and a large plan's keys are held until the
    ledger takes them); `none`: the positions of outputs that have none (always rendered)."""

    __slots__ = ("raw", "none")

    def __init__(self, count: int = 0) -> None:
        self.raw = bytearray(count * KEY_BYTES)
        self.none: set[int] = set()

    def append(self, key: bytes | None) -> None:
        if key is None:
            self.none.add(len(self.raw) // KEY_BYTES)
            key = bytes(KEY_BYTES)
        self.raw += key

    def put(self, position: int, keys: Keys, at: int) -> None:
        """Keys' key at `at` into this block at `position` (made with room for it)."""
        if at in keys.none:
            self.none.add(position)
        else:
            self.raw[position * KEY_BYTES:(position + 1) * KEY_BYTES] = keys.raw[at * KEY_BYTES:(at + 1) * KEY_BYTES]


# A part of the plan rendered: its files in the part's order (their parsed documents let go), the
# findings on what was rendered (each with its output's index in the plan), every output's cache
# key, how many files were derived from their shape.
_Part = tuple[list[RenderedFile], list[tuple[int, Problem]], Keys, int]
# Whether outputs of one shape are derived from it (output/shapes.py); the tests turn it off to
# compare both ways.
USE_SHAPES = True


class Shaped:
    """Every output's key_of, as two lists (a pair per output would cost a tuple each): the shape
    it fills (None: rendered on its own) and its slots' values."""

    def __init__(self, outputs: Sequence[Output]) -> None:
        key_of = ShapeKeys()
        self.shapes: list[str | None] = []
        self.values: list[tuple[str, ...]] = []
        for output in outputs:
            keyed = key_of(output)
            self.shapes.append(None if keyed is None else keyed[0])
            self.values.append(() if keyed is None else keyed[1])

    def __getitem__(self, index: int) -> Keyed | None:
        shape = self.shapes[index]
        return None if shape is None else (shape, self.values[index])

    def clear(self) -> None:
        self.shapes.clear()
        self.values.clear()


def _render_part(profile: str, outputs: Sequence[Output], cache: RenderCache | None, part: Sequence[int],
                 repeated: set[str], all_shaped: Shaped, consume: bool = False) -> _Part:
    """The outputs at the indices `part` (`all_shaped`: every output's key_of; `repeated`: the
    shapes to derive outputs from, those that more than one output fills). Each file is validated
    as soon as it is rendered and its parsed document let go, so that a part never holds more than
    one. `consume`: `outputs` is a list handed over, and each output is let go once rendered."""
    cache_key = OutputKeys(profile)
    keys = Keys()
    templates = active_templates()
    validator = active_validator()
    kit = active_kit()
    shapes = Shapes(templates, profile) if repeated else None
    files: list[RenderedFile] = []
    problems: list[tuple[int, Problem]] = []
    for index in part:
        output, keyed = outputs[index], all_shaped[index]
        key = cache_key(output, keyed)
        keys.append(key)
        if consume:
            cast(list[Any], outputs)[index] = None
        # A shape only one output fills is rendered as that output: building it costs more.
        derivable = shapes is not None and keyed is not None and keyed[0] in repeated
        found = cache.reuse(output.path, key) if cache is not None else None
        if found is not None and derivable and shapes is not None:  # held as its shape and values, not
            held = shapes.held(output, keyed, found.text)  # its text, where they give exactly its text
            found = RenderedFile(found.path, held, on_disk=True) if held is not None else found
        if found is None:
            derived = shapes.derive(output, keyed) if derivable and shapes is not None else None
            try:
                rendered = render_output(templates, output, profile) if derived is None else proven_instance(
                    output, *derived)
            except KitRenderFailure as failure:
                problems.append((index, failure.problem))
                files.append(RenderedFile(output.path, ""))
                continue
            found_here = output_problems(output, rendered, validator)
            if kit is not None and kit.rules:  # the text joined only where a rule may need it
                found_here += rule_problems(kit, output, rendered.path, rendered.text, rendered.document)
            problems += ((index, problem) for problem in found_here)
            rendered.document = None  # validated: only the text is kept
            files.append(rendered)
        else:
            if kit is not None and kit.rules and output.identity is not None:  # files read back, too
                problems += ((index, problem) for problem in rule_problems(
                    kit, output, found.path, found.text, parse_back(found.path, output.template, found.text)))
            files.append(found)
    return files, problems, keys, shapes.derived if shapes is not None else 0


RENDER, DERIVE = 10, 2  # what rendering an output costs, and deriving one from its shape, about


def _repeated(shapes: Sequence[str | None]) -> set[str]:
    """The shapes more than one output fills."""
    seen: set[str] = set()
    repeated: set[str] = set()
    for shape in shapes:
        if shape is not None:
            (repeated if shape in seen else seen).add(shape)
    return repeated


def _weights(outputs: Sequence[Output], shapes: list[str | None], repeated: set[str]) -> list[int]:
    """What each output costs to render, or to derive where an earlier output has its shape."""
    seen: set[str] = set()
    weights = []
    for output, shape in zip(outputs, shapes):
        if shape is not None and shape in seen and shape in repeated:
            weights.append(DERIVE)
        else:
            if shape is not None:
                seen.add(shape)
            weights.append(RENDER * output.context.cost())
    return weights


@dataclass(frozen=True)
class Rendered:
    files: list[RenderedFile]  # in plan order
    problems: list[Problem]  # schema findings
    keys: Mapping[str, str]  # path -> cache key, for the ledger (Packed)
    derived: int = 0  # files derived from their shape rather than rendered on their own


def render_all(plan: Plan, cache: RenderCache | None = None, shapes: bool | None = None) -> Rendered:
    """Every file of the plan: read back where the cache proves it unchanged, rendered, proven and
    validated otherwise. On several cores, this process takes the first slice and forked workers
    the others (keys, cache look-ups, rendering and validation all run in the slices). `shapes`:
    derive outputs of one shape from it (output/shapes.py); False renders each (the tests compare);
    None: as USE_SHAPES says."""
    return render_outputs(plan.profile, plan.outputs, cache, shapes)


def render_outputs(profile: str, outputs: Sequence[Output], cache: RenderCache | None = None,
                   shapes: bool | None = None, let_go: Callable[[], None] | None = None) -> Rendered:
    """render_all of a plan's outputs. `let_go`: `outputs` is a list handed over (nobody else holds
    the plan): each output is let go once rendered, and `let_go` is called where this process
    renders none of the documents of the whole estate (to let go of what only they read), so that
    a large plan shrinks as its files grow."""
    use = USE_SHAPES if shapes is None else shapes
    shaped = Shaped(outputs)
    repeated = _repeated(shaped.shapes) if use else set()
    weights = _weights(outputs, shaped.shapes, repeated)
    # Deriving costs a fifth of rendering: an estate of few shapes renders in this process alone.
    big = sum(weights) >= PARALLEL_FROM * RENDER
    count = len(outputs)
    parts: list[Sequence[int]] = [*slices_of(count, 0, weights)] if big else _aside(weights)
    consume = let_go is not None
    # This process renders the first part; where no document of the whole estate is in it, what
    # only those documents read can go once the workers are forked (they keep their own copy).
    letting_go = consume and len(parts) > 1 and not any(
        isinstance(outputs[index].context, Deferred) for index in parts[0])

    def work(part: Sequence[int]) -> _Part:
        if let_go is not None and letting_go and part is parts[0]:
            let_go()
        return _render_part(profile, outputs, cache, part, repeated, shaped, consume)

    done = in_parts(work, parts)
    shaped.clear()  # the shapes' keys are let go before the files are gathered
    made: list[RenderedFile | None] = [None] * count
    all_keys = Keys(count)
    for part, (files, _, part_keys, _) in zip(parts, done):
        for position, (index, file) in enumerate(zip(part, files)):
            made[index] = file
            all_keys.put(index, part_keys, position)
        files.clear()
        part_keys.raw.clear()
    # Packed (output/packed.py): a large plan's map of keys is the render's largest table.
    raw = memoryview(all_keys.raw)
    keys = Packed.of(((file.path, raw[index * KEY_BYTES:(index + 1) * KEY_BYTES])
                      for index, file in enumerate(cast(list[RenderedFile], made)) if index not in all_keys.none),
                     KEY_BYTES)
    raw.release()
    del all_keys
    problems = sorted((found for _, part_problems, _, _ in done for found in part_problems), key=lambda found: found[0])
    return Rendered(cast(list[RenderedFile], made), [problem for _, problem in problems], keys,
                    sum(derived for _, _, _, derived in done))


# An output that costs this many renders on its own describes the whole estate (its README, a
# cluster's verify script: graph/deferred.py); where such documents cost ASIDE_FROM renders in all,
# a forked worker renders them while this process renders the rest.
WHOLE_ESTATE, ASIDE_FROM = 100 * RENDER, 1000 * RENDER


def _aside(weights: list[int]) -> list[Sequence[int]]:
    """The plan in one part, or two: the documents of the whole estate apart, where they cost enough
    (and there is a second core) to be worth a worker; every output in one part or the other."""
    aside = [index for index, weight in enumerate(weights) if weight >= WHOLE_ESTATE]
    if sum(weights[index] for index in aside) < ASIDE_FROM or not can_fork():
        return [range(len(weights))]
    # The rest is nearly every output: held as 4-byte indices (a list would hold an int object each).
    rest = array("I", (index for index, weight in enumerate(weights) if weight < WHOLE_ESTATE))
    return [rest, aside]
