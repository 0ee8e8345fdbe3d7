"""What the plan produces: outputs, each a template with its typed context, and the checks over
the whole list (collisions, kustomizations).

Every template has exactly one context class: a frozen dataclass naming the template it fills and
the values it may print, so that mypy covers the contract between planners and templates.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, fields
from heapq import merge
from posixpath import dirname
from posixpath import join as join_path
from typing import Any, ClassVar, cast

from ..memo import remembered
from ..problems import Problem, ProfilePath, format_path
from ..profile.values import LoadedValues

TSB_GITOPS_API = "tsb.tetrate.io/v2"
TSB_TCTL_API = "api.tsb.tetrate.io/v2"
KUSTOMIZATION = "kustomization.yaml"


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def field_names(cls: type) -> tuple[str, ...]:
    names = _FIELD_NAMES.get(cls)
    if names is None:
        names = _FIELD_NAMES[cls] = tuple(item.name for item in fields(cls))
    return names


@dataclass(frozen=True, kw_only=True)
class TemplateContext:
    """The values one template prints; `template` names it (relative to generator/templates)."""

    template: ClassVar[str]
    # What the template writes: YAML (quoted with `q`, parsed back, validated), Markdown or a shell
    # script (each in its own environment with its own quoting, output/render.py).
    format: ClassVar[str] = "yaml"

    def variables(self) -> dict[str, Any]:
        """The fields, shallowly, as the template's variables."""
        return {name: getattr(self, name) for name in field_names(type(self))}

    def merge_base(self) -> LoadedValues | None:
        """Live values to merge the rendered text into (helm values overlays); None for the rest."""
        return None

    def cost(self) -> int:
        """What rendering it costs, in renders of one object: slices of a plan rendered on several
        cores are cut to equal cost (output/batch.py)."""
        return 1


@dataclass(frozen=True, kw_only=True)
class ObjectContext(TemplateContext):
    """A Kubernetes object: every object template prints its name and (if namespaced) namespace."""

    name: str
    namespace: str | None = None


@dataclass(frozen=True, kw_only=True)
class KustomizationContext(TemplateContext):
    template: ClassVar[str] = "k8s/kustomization.yaml.j2"
    resources: tuple[str, ...]


@dataclass(frozen=True, slots=True)  # one per output: no instance dictionary
class ObjectIdentity:
    """What a rendered Kubernetes object must turn out to be when its text is parsed back."""

    api_version: str
    kind: str
    name: str | None
    namespace: str | None = None
    # A `v1` List: the objects it holds, in order. Its objects are also written one per file, so a
    # List belongs in no kustomization (that would apply them twice).
    items: tuple[ObjectIdentity, ...] = ()


@dataclass(frozen=True, slots=True)  # an estate plans tens of thousands: no instance dictionary
class Output:
    path: str  # relative to out/<profile>/, POSIX separators
    context: TemplateContext
    source: ProfilePath  # the profile entry that asked for this file
    description: str
    identity: ObjectIdentity | None = None  # None for helm values overlays

    @property
    def template(self) -> str:
        return self.context.template


def _path(output: Output) -> str:
    return output.path


class Block:
    """The outputs of one namespace folder (`clusters/<cluster>/namespaces/<namespace>/`), made each
    time they are asked for: an estate's plan holds a block per folder, not its files, so that a
    render makes, renders and lets go of one folder's outputs at a time (output/batch.py). `make`
    gives the namespace's own outputs; `extras` are what other planners put in the folder (a
    waypoint, policies, kit outputs), planned with the rest. Its outputs come in path order, its
    kustomization among them; a path given twice is kept once (`collisions` says so). `size`: about
    how many outputs `make` gives (a render cuts its work by it)."""

    __slots__ = ("directory", "extras", "size", "_make")

    def __init__(self, directory: str, make: Callable[[], Iterable[Output]], extras: tuple[Output, ...] = (),
                 size: int = 1) -> None:
        self.directory = directory
        self.extras = extras
        self.size = size
        self._make = make

    @property
    def prefix(self) -> str:
        """What every path of the folder starts with (its order among the plan's paths)."""
        return self.directory + "/"

    def leaves(self) -> set[str]:
        """The folders of this block that get a kustomization: its own (a Namespace is an object), and
        those of its extras' objects."""
        return {self.directory, *(dirname(output.path) for output in self.extras
                                   if output.identity is not None and not output.identity.items)}

    def outputs(self) -> list[Output]:
        return self.made()[0]

    def collisions(self) -> list[Problem]:
        return self.made()[1]

    def made(self) -> tuple[list[Output], list[Problem]]:
        """The folder's outputs, in path order, and a problem for each path two of them write."""
        made = [*self._make(), *self.extras]
        made.extend(kustomizations(made))
        problems = _collisions(made)
        made.sort(key=_path)
        if problems:
            kept = made[:1]
            for output in made[1:]:
                if output.path != kept[-1].path:  # in path order: a path given twice, twice in a row
                    kept.append(output)
            made = kept
        return made, problems

    def with_extras(self, extras: tuple[Output, ...]) -> Block:
        return Block(self.directory, self._make, (*self.extras, *extras), self.size)

    def joined(self, other: Block) -> Block:
        """One block of this folder's outputs and `other`'s (two entries of the profile that name one
        folder: their outputs collide where they are the same object)."""
        first, second = self._make, other._make
        return Block(self.directory, lambda: [*first(), *second()], (*self.extras, *other.extras),
                     self.size + other.size)


class Plan:
    """The files to render: `fixed` outputs, in path order, and the namespace folders as `blocks`
    (in the order of their paths), whose outputs are made when a render reaches them. `outputs`
    makes them all, in path order (a plan given outputs in another order, without blocks, keeps
    it). `sources`: the files the profile names (relative to it), read to make the plan."""

    __slots__ = ("profile", "fixed", "sources", "blocks")

    def __init__(self, profile: str, outputs: Iterable[Output] = (), sources: tuple[str, ...] = (),
                 blocks: tuple[Block, ...] = ()) -> None:
        self.profile = profile
        self.fixed = tuple(outputs)
        self.sources = sources
        self.blocks = blocks

    def segments(self) -> list[Output | Block]:
        """The fixed outputs and the blocks, in the order of their paths."""
        if not self.blocks:
            return list(self.fixed)
        segments: tuple[Output | Block, ...] = self.fixed
        folders: tuple[Output | Block, ...] = self.blocks
        return list(merge(segments, folders, key=_place))

    def ordered(self) -> bool:
        """Whether the outputs come in path order, each path once (a namespace folder's do: they
        are sorted and kept once when made), without making the blocks' outputs."""
        last: str | None = None
        block: Block | None = None
        for segment in self.segments():
            if isinstance(segment, Block):
                block = segment
                path = segment.prefix
            else:
                path = segment.path
                if block is not None and path.startswith(block.prefix):  # inside a folder a block makes
                    return False
            if last is not None and not last < path:
                return False
            last = path
        return True

    def stream(self) -> Iterator[Output]:
        """Every output in path order, each block's made as it is reached."""
        for segment in self.segments():
            if isinstance(segment, Block):
                yield from segment.outputs()
            else:
                yield segment

    @property
    def outputs(self) -> tuple[Output, ...]:
        return tuple(self.stream())

    def planned(self) -> Iterator[Output]:
        """The outputs planned with the plan (the fixed ones, and the blocks' extras): those of a
        block's own making are not among them."""
        yield from self.fixed
        for block in self.blocks:
            yield from block.extras

    def output_at(self, path: str) -> Output | None:
        """The output that writes `path` (a block's is made again to find it)."""
        for output in self.planned():
            if output.path == path:
                return output
        for block in self.blocks:
            if path.startswith(block.prefix):
                return next((output for output in block.outputs() if output.path == path), None)
        return None

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Plan):
            return NotImplemented
        return (self.profile, self.outputs, self.sources) == (other.profile, other.outputs, other.sources)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Plan(profile={self.profile!r}, fixed={len(self.fixed)}, blocks={len(self.blocks)})"


def _place(segment: object) -> str:
    return segment.prefix if isinstance(segment, Block) else cast(Output, segment).path


def object_file_name(kind: str, name: str) -> str:
    return f"{kind.lower()}-{name}.yaml"


def object_output(
    directory: str,
    api_version: str,
    kind: str,
    context: ObjectContext,
    source: ProfilePath,
    owner: str,
) -> Output:
    """One Kubernetes object, written as `<directory>/<kind>-<name>.yaml`. (Its description is made
    for it: a namespace folder's outputs live only while the render makes its files.)"""
    return Output(
        join_path(directory, object_file_name(kind, context.name)),
        context,
        source,
        f"{kind} '{context.name}' of {owner}",
        ObjectIdentity(api_version, kind, context.name, context.namespace),
    )


# One string for each file name the kustomizations of a render list: the folders that hold an app
# alike list its files alike, and a render's files keep the lists (output/held.py). Remembered, not
# interned: an estate's own names would stay for good.
_NAMES: dict[str, str] = {}


def _shared_name(name: str) -> str:
    return remembered(_NAMES, name, str)


def kustomizations(outputs: Iterable[Output]) -> Iterator[Output]:
    """A kustomization.yaml in every directory that holds Kubernetes objects."""
    by_directory: dict[str, list[str]] = defaultdict(list)
    for output in outputs:
        if output.identity is not None and not output.identity.items:
            directory = dirname(output.path)
            by_directory[directory].append(_shared_name(output.path[len(directory) + 1 :]))
    for directory, files in by_directory.items():
        yield Output(
            join_path(directory, KUSTOMIZATION),
            KustomizationContext(resources=tuple(sorted(set(files)))),
            (),
            f"kustomization of {directory}",
            ObjectIdentity("kustomize.config.k8s.io/v1beta1", "Kustomization", None),
        )


def _collision_hint(identity: ObjectIdentity | None) -> str:
    api_version = identity.api_version if identity else ""
    if api_version == TSB_TCTL_API:
        return (
            "gen writes each TSB object to <kind>-<name>.yaml, so objects of one kind need distinct names "
            "even under different tenants or workspaces; rename one"
        )
    hint = "objects of one kind need distinct names within a Kubernetes namespace; rename one"
    if identity and api_version == TSB_GITOPS_API:
        hint += f" (TSB objects all live in namespace '{identity.namespace}')"
    return hint


def output_collisions(plan: Plan, blocks: bool = True) -> list[Problem]:
    """Two entries of the profile that would write the same file (the same object). `blocks`: in
    the namespace folders too (a render finds those as it makes each folder's outputs)."""
    problems = _collisions(plan.fixed)
    for block in plan.blocks if blocks else ():
        problems += block.collisions()
    return problems


def _collisions(outputs: Iterable[Output]) -> list[Problem]:
    first: dict[str, Output] = {}
    problems = []
    for output in outputs:
        earlier = first.setdefault(output.path, output)
        if earlier is output:
            continue
        problems.append(
            Problem(
                f"{output.description} and {earlier.description} ({format_path(earlier.source)}) "
                f"are the same object: both render {output.path}",
                "object-collision",
                output.source,
                _collision_hint(output.identity),
            )
        )
    return problems
