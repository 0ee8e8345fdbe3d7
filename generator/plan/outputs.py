"""What the plan produces: outputs, each a template with its typed context, and the checks over
the whole list (collisions, kustomizations).

Every template has exactly one context class: a frozen dataclass naming the template it fills and
the values it may print, so that mypy covers the contract between planners and templates.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, fields
from posixpath import dirname
from posixpath import join as join_path
from sys import intern
from typing import Any, ClassVar

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


@dataclass(frozen=True)
class Plan:
    profile: str
    outputs: tuple[Output, ...]
    sources: tuple[str, ...] = ()  # files the profile names (relative to it), read to make the plan


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
    """One Kubernetes object, written as `<directory>/<kind>-<name>.yaml`. Its description names
    no namespace: the namespaces that run an app alike share one (interned) string for each."""
    return Output(
        join_path(directory, object_file_name(kind, context.name)),
        context,
        source,
        intern(f"{kind} '{context.name}' of {owner}"),
        ObjectIdentity(api_version, kind, context.name, context.namespace),
    )


def kustomizations(outputs: Iterable[Output]) -> Iterator[Output]:
    """A kustomization.yaml in every directory that holds Kubernetes objects."""
    by_directory: dict[str, list[str]] = defaultdict(list)
    for output in outputs:
        if output.identity is not None and not output.identity.items:
            directory = dirname(output.path)
            by_directory[directory].append(intern(output.path[len(directory) + 1 :]))  # shared by every folder
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


def output_collisions(plan: Plan) -> list[Problem]:
    """Two entries of the profile that would write the same file (the same object)."""
    first: dict[str, Output] = {}
    problems = []
    for output in plan.outputs:
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
