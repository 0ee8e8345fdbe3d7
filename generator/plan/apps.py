"""A catalog app placed in a namespace, with the profile's parameters applied to its objects.

What each parameter changes (None or empty: the catalog's value stays):
- replicas: every Deployment's replica count;
- resources: each quantity the profile names replaces that quantity in every container;
- env: per container name, a variable the catalog sets keeps its place with the new value, others
  follow in the profile's order;
- registry: every container image, pulled from the mirror (see generator/images.py);
- labels, annotations: added to every object and pod template (an annotation replaces the
  catalog's of the same key; labels the catalog sets are refused by validation);
- the dataplane label of the pods, which the namespaces planner decides (`pod_labels`).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import replace
from functools import lru_cache

from ..images import with_registry
from ..kit.active import active_kit
from ..kit.model import Kit
from ..profile.model import AppParameters, AppResources, Pairs
from .app_contexts import AppObjectContext, Container, DeploymentContext, EnvVar, Resources
from .catalog import catalog, quantities
from .outputs import Output, object_output


def _with(base: Mapping[str, str], extra: Pairs) -> dict[str, str]:
    merged = dict(base)
    merged.update(extra)
    return merged


def resources_with(resources: Resources, changes: AppResources) -> Resources:
    """The catalog's resources with the profile's quantities in place of theirs."""
    limits: dict[str, str | int] = {**dict(resources.limits), **dict(changes.limits)}
    requests: dict[str, str | int] = {**dict(resources.requests), **dict(changes.requests)}
    return Resources(limits=quantities(limits), requests=quantities(requests))


def _env_with(env: tuple[EnvVar, ...], changes: Pairs) -> tuple[EnvVar, ...]:
    values = dict(changes)
    kept = tuple(EnvVar(variable.name, values.pop(variable.name, variable.value)) for variable in env)
    return kept + tuple(EnvVar(name, value) for name, value in values.items())


def container_with(container: Container, parameters: AppParameters) -> Container:
    return _container_with(container, parameters.registry, dict(parameters.env).get(container.name, ()),
                           parameters.resources)


@lru_cache(maxsize=4096)
def _container_with(container: Container, registry: str | None, env: Pairs, resources: AppResources) -> Container:
    """One object for each container an estate runs: namespaces that set the same parameters share
    it (it is frozen), so that it is built, held and described (cache keys) once, not once each."""
    return replace(
        container,
        image=with_registry(container.image, registry),
        env=_env_with(container.env, env),
        resources=resources_with(container.resources, resources),
    )


def app_objects(parameters: AppParameters, namespace: str, pod_labels: Mapping[str, str]) -> tuple[AppObjectContext, ...]:
    """The app's objects in `namespace`, parameters applied; `pod_labels` join every pod template.
    Placed as they are asked for, once per namespace folder as the render reaches it
    (plan/folders.py), and kept by nobody: the mesh model and the checks read app_objects_anywhere."""
    return tuple(in_namespace(obj, namespace) for obj in app_objects_anywhere(parameters, pod_labels))


def app_objects_anywhere(parameters: AppParameters, pod_labels: Mapping[str, str]) -> tuple[AppObjectContext, ...]:
    """The app's objects, parameters applied, in no namespace: what tells them apart (names,
    selectors, ports, labels, service accounts) is the same in every namespace, so the mesh model
    reads these, built once for the namespaces that run the app alike. (Keyed by the active kit
    too, compared by identity: its catalog is the one placed from, and one process may render
    several profiles with different kits.)"""
    return _unplaced(active_kit(), replace(parameters, path=()), tuple(pod_labels.items()))


def in_namespace(obj: AppObjectContext, namespace: str) -> AppObjectContext:
    """`replace(obj, namespace=namespace)` at a fifth of the cost (an estate places an object per
    app per namespace): a context is a frozen dataclass whose __init__ only stores its fields (no
    __post_init__, no init=False field, no slots: tests/test_app_parameters.py checks every context
    class), so a copy of its fields with the namespace set is what replace() builds. Each field is
    set on its own, not through the instance's __dict__: asking for that makes a dictionary for the
    instance, 65 bytes more per object than the values the class's shared keys hold."""
    placed = object.__new__(type(obj))
    for name, value in obj.__dict__.items():
        _set(placed, name, value)
    _set(placed, "namespace", namespace)
    return placed


_set = object.__setattr__  # a frozen dataclass's own __setattr__ refuses


@lru_cache(maxsize=1024)
def _unplaced(
    kit: Kit | None, parameters: AppParameters, pod_labels: tuple[tuple[str, str], ...]
) -> tuple[AppObjectContext, ...]:
    """The app's objects with its parameters applied, in no namespace yet: the namespaces that run
    an app alike share one of each mapping and tuple (built, held and described once; the render
    finds them shared, output/shapes.py). `kit`: the active one, whose catalog `_place` reads."""
    return tuple(_place(parameters, dict(pod_labels)))


def _place(parameters: AppParameters, pod_labels: Mapping[str, str]) -> Iterator[AppObjectContext]:
    for obj in catalog()[parameters.name].objects:
        placed = replace(
            obj,
            labels=_with(obj.labels, parameters.labels),
            annotations=_with(obj.annotations, parameters.annotations),
        )
        if isinstance(placed, DeploymentContext):
            placed = replace(
                placed,
                replicas=placed.replicas if parameters.replicas is None else parameters.replicas,
                pod_labels=_with({**placed.pod_labels, **pod_labels}, parameters.labels),
                pod_annotations=_with(placed.pod_annotations, parameters.annotations),
                containers=tuple(container_with(container, parameters) for container in placed.containers),
            )
        yield placed


def app_outputs(
    directory: str, parameters: AppParameters, namespace: str, pod_labels: Mapping[str, str]
) -> Iterator[Output]:
    for context in app_objects(parameters, namespace, pod_labels):
        yield object_output(
            directory, context.api_version, context.kind, context, parameters.path, f"app '{parameters.name}'"
        )

