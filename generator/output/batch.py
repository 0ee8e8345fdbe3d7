"""Rendering and validating a whole plan, on every core where it pays.

Cache keys, cache look-ups, rendering, the parse-back proof and schema validation are independent
per output, so a large plan is cut into one slice per core (generator/parallel.py); texts,
problems and keys come back. The result is the same either way: outputs keep their plan order.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from ..parallel import can_fork, in_parts, slices_of
from ..graph.deferred import Deferred
from ..plan import Block, Output, Plan
from ..problems import Problem
from ..kit.active import active_kit, active_templates
from ..kit.rules import rule_problems
from ..validation.embedded import active_validator
from ..validation.trace import output_problems
from .cache import KEY_BYTES, OutputKeys, RenderCache
from .held import RenderedFiles
from .packed import Packed, Picked
from .render import KitRenderFailure, RenderedFile, proven_instance, render_output
from .shapes import Shapes, ShapeKeys
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

    def __init__(self) -> None:
        self.raw = bytearray()
        self.none: set[int] = set()

    def append(self, key: bytes | None) -> None:
        if key is None:
            self.none.add(len(self.raw) // KEY_BYTES)
            key = bytes(KEY_BYTES)
        self.raw += key


# A part of the plan rendered: its files in path order (their parsed documents let go), the findings
# on what was rendered (each with its file's position in the part), every file's cache key, how
# many files were derived from their shape.
_Part = tuple[RenderedFiles, list[tuple[int, Problem]], Keys, int]
# Whether outputs of one shape are derived from it (output/shapes.py); the tests turn it off to
# compare both ways.
USE_SHAPES = True


def _outputs(segments: Sequence[Output | Block], part: Sequence[int],
             problems: list[tuple[int, Problem]], files: RenderedFiles) -> Iterator[Output]:
    """The outputs of the segments at `part`, each block's made as it is reached (and let go once
    rendered); a block's collisions go into `problems`, at the position of its first file."""
    for index in part:
        segment = segments[index]
        if isinstance(segment, Block):
            outputs, collisions = segment.made()
            problems += ((len(files), problem) for problem in collisions)
            yield from outputs
        else:
            yield segment


def _render_part(profile: str, segments: Sequence[Output | Block], cache: RenderCache | None, part: Sequence[int],
                 use_shapes: bool) -> _Part:
    """The outputs of the segments at `part`. Each file is validated as soon as it is rendered and
    its parsed document let go, so that a part never holds more than one; each block's outputs
    are made as the part reaches it. An output whose shape (output/shapes.py) an earlier one of the
    part filled is derived from it: a shape only one output fills is rendered as that output
    (building it costs more), and the first of each is rendered as it is, so building it waits for
    a second."""
    cache_key = OutputKeys(profile)
    shape_key = ShapeKeys()
    keys = Keys()
    templates = active_templates()
    validator = active_validator()
    kit = active_kit()
    shapes = Shapes(templates, profile) if use_shapes else None
    met: set[str] = set()  # the shapes an output has filled
    files = RenderedFiles()
    problems: list[tuple[int, Problem]] = []
    for output in _outputs(segments, part, problems, files):
        keyed = shape_key(output)
        key = cache_key(output, keyed)
        keys.append(key)
        derivable = False
        if shapes is not None and keyed is not None:
            derivable = keyed[0] in met
            met.add(keyed[0])
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
                problems.append((len(files), failure.problem))
                files.append(RenderedFile(output.path, ""))
                continue
            found_here = output_problems(output, rendered, validator)
            if kit is not None and kit.rules:  # the text joined only where a rule may need it
                found_here += rule_problems(kit, output, rendered.path, rendered.text, rendered.document)
            problems += ((len(files), problem) for problem in found_here)
            rendered.document = None  # validated: only the text is kept
            files.append(rendered)
        else:
            if kit is not None and kit.rules and output.identity is not None:  # files read back, too
                problems += ((len(files), problem) for problem in rule_problems(
                    kit, output, found.path, found.text, parse_back(found.path, output.template, found.text)))
            files.append(found)
    return files, problems, keys, shapes.derived if shapes is not None else 0


RENDER, DERIVE = 10, 2  # what rendering an output costs, and deriving one from its shape, about


def _weight(segment: Output | Block) -> int:
    """What a segment of the plan costs: an output, a render; a namespace folder, its outputs, most
    of them derived from the shapes of other folders'."""
    if isinstance(segment, Block):
        return DERIVE * segment.size + sum(RENDER * output.context.cost() for output in segment.extras)
    return RENDER * segment.context.cost()


@dataclass(frozen=True)
class Rendered:
    files: RenderedFiles  # in plan order
    problems: list[Problem]  # schema findings
    keys: Mapping[str, str]  # path -> cache key, for the ledger (Packed)
    derived: int = 0  # files derived from their shape rather than rendered on their own


def render_all(plan: Plan, cache: RenderCache | None = None, shapes: bool | None = None,
               let_go: Callable[[], None] | None = None) -> Rendered:
    """Every file of the plan, in path order: read back where the cache proves it unchanged,
    rendered, proven and validated otherwise; each namespace folder's outputs are made as the render
    reaches them, and let go once rendered. On several cores, this process takes the first slice
    and forked workers the others (keys, cache look-ups, rendering and validation all run in the
    slices). `shapes`: derive outputs of one shape from it (output/shapes.py); False renders each
    (the tests compare); None: as USE_SHAPES says. `let_go` is called where this process renders
    none of the documents of the whole estate (to let go of what only they read)."""
    use = USE_SHAPES if shapes is None else shapes
    segments = plan.segments()
    weights = [_weight(segment) for segment in segments]
    # Deriving costs a fifth of rendering: an estate of few shapes renders in this process alone.
    big = sum(weights) >= PARALLEL_FROM * RENDER
    parts: list[Sequence[int]] = [*slices_of(len(segments), 0, weights)] if big else _aside(
        weights, [isinstance(segment, Block) for segment in segments])
    del weights
    # This process renders the first part; where no document of the whole estate is in it, what
    # only those documents read can go once the workers are forked (they keep their own copy).
    letting_go = let_go is not None and len(parts) > 1 and not any(
        isinstance(segment, Output) and isinstance(segment.context, Deferred)
        for segment in map(segments.__getitem__, parts[0]))

    def work(part: Sequence[int]) -> _Part:
        if let_go is not None and letting_go and part is parts[0]:
            let_go()
        return _render_part(plan.profile, segments, cache, part, use)

    done = in_parts(work, parts)
    made, problems, keys = _gathered(done, parts if not big and len(done) > 1 else None, plan)
    return Rendered(made, problems, keys, sum(count for _, _, _, count in done))


def _gathered(done: list[_Part], interleaved: list[Sequence[int]] | None,
              plan: Plan) -> tuple[RenderedFiles, list[Problem], Packed]:
    """Each part's files come in plan order: slices follow each other; the documents put aside
    (`interleaved`: the parts, the later ones a few outputs) go in among the first part's, each
    where its path sorts (or, in a plan of outputs only, where it stands in the plan)."""
    files, problems, keys = done[0][0], list(done[0][1]), done[0][2]
    ordered = plan.ordered()
    if interleaved is not None:
        # Where each file put aside goes: after the first part's files that come before it, and
        # after the files put aside before it. Without blocks, an output is a file: its place in the
        # plan tells.
        by_path = bool(plan.blocks) or ordered
        first: Sequence[str] | Sequence[int] = files.paths if by_path else interleaved[0]
        aside = sorted((done[part][0].path(at) if by_path else interleaved[part][at], part, at)
                       for part in range(1, len(done)) for at in range(len(done[part][0])))
        before = [bisect_left(first, place) for place, _, _ in aside]
        moved = [position + count for count, position in enumerate(before)]  # where each goes, in the end

        def placed(at: int) -> int:  # where the first part's file at `at` goes, in the end
            return at + bisect_right(before, at)

        problems = [(placed(at), problem) for at, problem in problems]
        none = {placed(at) for at in keys.none}
        for (_, part, at), position in zip(aside, moved):
            files.insert(position, (done[part][0], at))
            key = done[part][2]
            keys.raw[position * KEY_BYTES:position * KEY_BYTES] = key.raw[at * KEY_BYTES:(at + 1) * KEY_BYTES]
            if at in key.none:
                none.add(position)
            problems += ((position, problem) for found, problem in done[part][1] if found == at)
        keys.none = none
        problems.sort(key=lambda found: found[0])
    else:
        for more, found, more_keys, _ in done[1:]:
            offset = len(files)
            files.extend(more)
            keys.raw += more_keys.raw
            keys.none.update(offset + at for at in more_keys.none)
            problems += ((offset + at, problem) for at, problem in found)
    # Packed (output/packed.py): a large plan's map of keys is the render's largest table; its
    # paths are the files' own, made when asked for.
    files.ordered = ordered  # in path order, as the plan's outputs: the change set trusts it
    kept = array("I", (index for index in range(len(files)) if index not in keys.none)) if keys.none else None
    keyed: Sequence[str] = Picked(files.paths, kept) if kept is not None else files.paths
    raw = keys.raw
    if kept is not None:  # the keys of the files that have one, end to end (a piece at a time: no list of them)
        raw, view = bytearray(), memoryview(keys.raw)
        for index in kept:
            raw += view[index * KEY_BYTES:(index + 1) * KEY_BYTES]
        view.release()
    packed = Packed(keyed, raw, KEY_BYTES) if files.ordered else Packed.of(
        zip(keyed, (raw[index * KEY_BYTES:(index + 1) * KEY_BYTES] for index in range(len(keyed)))), KEY_BYTES)
    return files.settled(), [problem for _, problem in problems], packed


# An output that costs this many renders on its own describes the whole estate (its README, a
# cluster's verify script: graph/deferred.py); where such documents cost ASIDE_FROM renders in all,
# a forked worker renders them while this process renders the rest.
WHOLE_ESTATE, ASIDE_FROM = 100 * RENDER, 1000 * RENDER


def _aside(weights: list[int], folders: Sequence[bool] = ()) -> list[Sequence[int]]:
    """The plan in one part, or two: the documents of the whole estate apart, where they cost enough
    (and there is a second core) to be worth a worker; every segment in one part or the other.
    `folders`: which segments are namespace folders (never aside, however many outputs they hold)."""
    aside = [index for index, weight in enumerate(weights)
             if weight >= WHOLE_ESTATE and not (folders and folders[index])]
    if sum(weights[index] for index in aside) < ASIDE_FROM or not can_fork():
        return [range(len(weights))]
    # The rest is nearly every segment: held as 4-byte indices (a list would hold an int object each).
    put = set(aside)
    rest = array("I", (index for index in range(len(weights)) if index not in put))
    return [rest, aside]
