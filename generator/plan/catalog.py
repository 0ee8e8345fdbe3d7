"""The built-in demo apps a namespace can hold (`namespaces[].apps`), read from their entries.

Each app is a folder `templates/apps/<app>/` with an `app.yaml`: a description, its source, its
parameters (the replica count, the environment variables its programs read) and the Kubernetes
objects it consists of, each with its kind, name, template (by default the kind's generic one
under `k8s/`) and fixed values. `catalog()` reads every entry once, checks it, and turns each
object into its typed context with no namespace yet; the apps planner (`apps.py`) places them
and applies the profile's parameters. A broken entry is a bug in gen: `CatalogError` says every
mistake of every entry at once.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from importlib.resources import files
from importlib.resources.abc import Traversable
from types import MappingProxyType
from typing import Any

import ryaml

from ..images import parse_image
from ..kit.active import active_kit
from ..kubernetes import Quantity
from ..problems import format_path
from .app_contexts import (
    KINDS,
    TEMPLATE_CONTEXTS,
    AppObjectContext,
    Container,
    DeploymentContext,
    EnvVar,
    Resources,
    ServiceContext,
    ServicePort,
    Volume,
    VolumeMount,
)
from .catalog_schema import DNS_LABEL, ENTRY, OBJECT_SCHEMAS, shape_problems

ENTRY_FILE = "app.yaml"
DEFAULT_REPLICAS = 1


class CatalogError(Exception):
    """A catalog entry is broken: a bug in gen, not in the profile."""


@dataclass(frozen=True)
class App:
    name: str
    description: str
    source: str
    replicas: int
    # container -> environment variable its program reads -> what it does
    env_parameters: Mapping[str, Mapping[str, str]]
    objects: tuple[AppObjectContext, ...]

    @functools.cached_property  # asked for each namespace that runs the app
    def deployments(self) -> tuple[DeploymentContext, ...]:
        return tuple(obj for obj in self.objects if isinstance(obj, DeploymentContext))

    @property
    def containers(self) -> tuple[str, ...]:
        """The names of the app's containers, sorted (one name may run in several Deployments)."""
        return tuple(sorted({c.name for d in self.deployments for c in d.containers}))

    @property
    def label_keys(self) -> frozenset[str]:
        """The label keys the catalog sets on the app's objects and pods (selectors rest on them)."""
        keys: set[str] = set()
        for obj in self.objects:
            keys |= set(obj.labels)
            if isinstance(obj, (DeploymentContext, ServiceContext)):
                keys |= set(obj.selector)
            if isinstance(obj, DeploymentContext):
                keys |= set(obj.pod_labels)
        return frozenset(keys)


def templates_root() -> Traversable:
    return files("generator") / "templates"


@functools.cache
def builtin_catalog() -> Mapping[str, App]:
    """Every app of the package's catalog, by name (read once)."""
    return load_catalog(templates_root())


def catalog() -> Mapping[str, App]:
    """The apps the profile being rendered can list: the package's, and its kits' (kit/active.py)."""
    kit = active_kit()
    return builtin_catalog() if kit is None else kit.apps


def app_names() -> tuple[str, ...]:
    return tuple(sorted(catalog()))


def load_catalog(templates: Traversable) -> Mapping[str, App]:
    apps, problems = read_apps(templates, "templates")
    if problems:
        raise CatalogError("the app catalog is broken (a bug in gen):\n" + "\n".join(
            f"{where}: {problem}" for where, found in problems.items() for problem in found))
    return MappingProxyType(apps)


def read_apps(templates: Traversable, shown: str, only: Iterable[str] | None = None) -> tuple[dict[str, App], dict[str, list[str]]]:
    """The apps under `templates/apps/` (only those named in `only`, if given), and the problems of
    each broken entry by its file (`shown`/apps/<app>/app.yaml)."""
    apps: dict[str, App] = {}
    problems: dict[str, list[str]] = {}
    wanted = None if only is None else set(only)
    for folder in sorted((templates / "apps").iterdir(), key=lambda item: item.name):
        if not folder.is_dir() or (wanted is not None and folder.name not in wanted):
            continue
        data, app_problems = _checked_entry(templates, folder)
        if app_problems:
            problems[f"{shown}/apps/{folder.name}/{ENTRY_FILE}"] = app_problems
            continue
        apps[folder.name] = _app(templates, folder.name, data)
    return apps, problems


@functools.cache
def context_class(template: str, kind: str) -> type[AppObjectContext]:
    """The context class of an app object: the package's for its templates, else (a kit's own
    template) the kind's generic class under that template's name."""
    known = TEMPLATE_CONTEXTS.get(template)
    if known is not None:
        return known
    base = KINDS[kind]
    # Not gen's own class: its module says it comes from a kit.
    return type(f"Kit{base.__name__}", (base,), {"template": template, "__module__": "kit-templates"})


class _NotYaml(Exception):
    pass


def _read(path: Traversable) -> Any:
    """An entry as YAML 1.2 reads it (ryaml: serde_yaml, compiled; tests/test_catalog.py checks it
    reads every shipped entry as ruamel does)."""
    try:
        return ryaml.loads(path.read_text("utf-8"))  # type: ignore[attr-defined]
    except ryaml.InvalidYamlError as error:  # type: ignore[attr-defined]
        raise _NotYaml(str(error)) from None


def _checked_entry(templates: Traversable, folder: Traversable) -> tuple[Any, list[str]]:
    """An app folder's entry as read, and every mistake in it."""
    problems = [] if re.match(DNS_LABEL, folder.name) else [f"the folder name {folder.name!r} is not a DNS-1123 label"]
    entry = folder / ENTRY_FILE
    if not entry.is_file():
        return None, [*problems, f"missing: every folder under templates/apps/ is an app and holds its {ENTRY_FILE}"]
    try:
        data = _read(entry)
    except _NotYaml as error:
        return None, [*problems, f"not valid YAML: {error}"]
    return data, [*problems, *_entry_problems(templates, data)]


def _entry_problems(templates: Traversable, data: Any) -> Iterator[str]:
    shape = shape_problems(data, ENTRY)
    objects = data.get("objects") if isinstance(data, dict) else None
    for index, obj in enumerate(objects if isinstance(objects, list) else []):
        if isinstance(obj, dict) and isinstance(obj.get("kind"), str) and obj["kind"] in OBJECT_SCHEMAS:
            shape += shape_problems(obj, OBJECT_SCHEMAS[obj["kind"]], ("objects", index))
    if shape:
        yield from dict.fromkeys(shape)  # common keys are checked by both passes: say each once
        return
    yield from _consistency_problems(templates, data)


def _template_of(obj: dict[str, Any]) -> str | None:
    default = getattr(KINDS[obj["kind"]], "template", None)
    return obj.get("template", default)


def _consistency_problems(templates: Traversable, data: dict[str, Any]) -> Iterator[str]:
    """What the shape allows but the objects of one app cannot be: the references between them."""
    objects: list[dict[str, Any]] = data["objects"]
    seen: set[tuple[str, str]] = set()
    accounts = {obj["name"] for obj in objects if obj["kind"] == "ServiceAccount"}
    deployments = [obj for obj in objects if obj["kind"] == "Deployment"]
    for index, obj in enumerate(objects):
        at = format_path(("objects", index))
        key = (obj["kind"], obj["name"])
        if key in seen:
            yield f"{at}: a second {obj['kind']} named {obj['name']!r}"
        seen.add(key)
        template = _template_of(obj)
        if template is None:
            yield f"{at}: a {obj['kind']} needs `template:` (there is no generic one)"
        elif not (templates / template).is_file():
            yield f"{at}.template: no template {template}"
        elif template in TEMPLATE_CONTEXTS and not issubclass(TEMPLATE_CONTEXTS[template], KINDS[obj["kind"]]):
            yield f"{at}.template: {template!r} has no context class for a {obj['kind']} (plan/app_contexts.py)"
        elif template not in TEMPLATE_CONTEXTS and _is_package_template(templates, template):
            yield f"{at}.template: {template!r} has no context class for a {obj['kind']} (plan/app_contexts.py)"
        if obj["kind"] == "Service" and not any(_selects(obj["selector"], d) for d in deployments):
            yield f"{at}.selector: selects no Deployment of this app"
        if obj["kind"] == "Deployment":
            yield from _deployment_problems(templates, obj, at, accounts)
    containers = {c["name"] for d in deployments for c in d["containers"]}
    for container in data.get("parameters", {}).get("env", {}):
        if container not in containers:
            yield f"parameters.env.{container}: no container of this app is named {container!r}"


def _is_package_template(templates: Traversable, template: str) -> bool:
    """Whether the package holds `template` (a kit's own templates take the kind's generic context)."""
    origin = getattr(templates, "origin_of", None)
    return origin is None or origin(template) is None


def _selects(selector: dict[str, str], deployment: dict[str, Any]) -> bool:
    labels: dict[str, str] = deployment["podLabels"]
    return all(labels.get(key) == value for key, value in selector.items())


def _deployment_problems(templates: Traversable, obj: dict[str, Any], at: str, accounts: set[str]) -> Iterator[str]:
    if not _selects(obj["selector"], obj):
        yield f"{at}.selector: does not match the Deployment's own podLabels"
    if obj.get("serviceAccountName", obj["name"]) not in accounts:
        yield f"{at}.serviceAccountName: no ServiceAccount of this app is named so"
    volumes = {volume["name"] for volume in obj.get("volumes", [])}
    for number, volume in enumerate(obj.get("volumes", [])):
        if len(volume) != 2:
            yield f"{at}.volumes[{number}]: needs exactly one of emptyDir, configMap, secret"
    names = [container["name"] for container in obj["containers"]]
    if len(set(names)) != len(names):
        yield f"{at}.containers: two containers share a name"
    for number, container in enumerate(obj["containers"]):
        where = f"{at}.containers[{number}]"
        try:
            parse_image(container["image"])
        except ValueError as error:
            yield f"{where}.image: {error}"
        for mount in container.get("volumeMounts", []):
            if mount["name"] not in volumes:
                yield f"{where}.volumeMounts: {mount['name']!r} names no volume of this Deployment"
        for part in container.get("command", []):
            if isinstance(part, dict) and not (templates / part["file"]).is_file():
                yield f"{where}.command: no file {part['file']}"


def _app(templates: Traversable, name: str, data: dict[str, Any]) -> App:
    parameters = data.get("parameters", {})
    replicas = parameters.get("replicas", DEFAULT_REPLICAS)
    return App(
        name=name,
        description=data["description"],
        source=data["source"],
        replicas=replicas,
        env_parameters=MappingProxyType(
            {container: MappingProxyType(dict(variables)) for container, variables in parameters.get("env", {}).items()}
        ),
        objects=tuple(_context(templates, obj, replicas) for obj in data["objects"]),
    )


def _context(templates: Traversable, obj: dict[str, Any], replicas: int) -> AppObjectContext:
    template = _template_of(obj)
    assert template is not None  # checked by _consistency_problems
    values: dict[str, Any] = {
        "name": obj["name"],
        "labels": dict(obj.get("labels", {})),
        "annotations": dict(obj.get("annotations", {})),
    }
    if obj["kind"] == "Service":
        values["ports"] = tuple(ServicePort(p["name"], p["port"], p.get("targetPort")) for p in obj["ports"])
        values["selector"] = dict(obj["selector"])
    elif obj["kind"] == "Deployment":
        values |= {
            "replicas": replicas,
            "selector": dict(obj["selector"]),
            "pod_labels": dict(obj["podLabels"]),
            "pod_annotations": dict(obj.get("podAnnotations", {})),
            "service_account": obj.get("serviceAccountName", obj["name"]),
            "termination_grace_period_seconds": obj.get("terminationGracePeriodSeconds"),
            "containers": tuple(_container(templates, container) for container in obj["containers"]),
            "volumes": tuple(_volume(volume) for volume in obj.get("volumes", [])),
        }
    return context_class(template, obj["kind"])(**values)


def _container(templates: Traversable, raw: dict[str, Any]) -> Container:
    command = tuple(
        part if isinstance(part, str) else (templates / part["file"]).read_text("utf-8") for part in raw.get("command", [])
    )
    resources = raw.get("resources", {})
    return Container(
        name=raw["name"],
        image=raw["image"],
        image_pull_policy=raw.get("imagePullPolicy", "IfNotPresent"),
        command=command,
        env=tuple(EnvVar(variable["name"], variable["value"]) for variable in raw.get("env", [])),
        ports=tuple(raw.get("ports", [])),
        volume_mounts=tuple(VolumeMount(mount["name"], mount["mountPath"]) for mount in raw.get("volumeMounts", [])),
        resources=Resources(
            limits=quantities(resources.get("limits", {})), requests=quantities(resources.get("requests", {}))
        ),
    )


def quantities(raw: Mapping[str, str | int]) -> tuple[tuple[str, Quantity], ...]:
    """Quantities by resource name, sorted, as the templates print them."""
    return tuple(sorted((name, Quantity(str(amount))) for name, amount in raw.items()))


def _volume(raw: dict[str, Any]) -> Volume:
    if "configMap" in raw:
        return Volume(raw["name"], "configMap", raw["configMap"]["name"], raw["configMap"].get("optional"))
    if "secret" in raw:
        return Volume(raw["name"], "secret", raw["secret"]["secretName"], raw["secret"].get("optional"))
    return Volume(raw["name"], "emptyDir")

