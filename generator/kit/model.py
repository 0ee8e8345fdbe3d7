"""What a kit holds, once read and checked (load.py): its template texts, its catalog apps, its
outputs, its rules and its schemas, each with the kit it comes from."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from ..output.templating import TemplateLayer


class Scope(StrEnum):
    """Where a kit output is written, once per ..."""

    ESTATE = "estate"  # ... profile: the tree's root
    MANAGEMENT_PLANE = "management-plane"  # ... management plane: management-plane/<cluster>/
    CLUSTER = "cluster"  # ... cluster: clusters/<cluster>/
    NAMESPACE = "namespace"  # ... namespace on each of its clusters: clusters/<cluster>/namespaces/<namespace>/


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, eq=False)
class KitOutput:
    """`outputs/<name>.yaml`: one more object per scope entry, from a kit template."""

    name: str
    kit: str  # the kit folder as the profile names it
    file: str  # the declaration, for messages
    description: str
    template: str  # a template name (the kits' and the package's)
    scope: Scope
    api_version: str
    kind: str
    object_name: str  # may hold {namespace}, {cluster}, {profile}
    object_namespace: str | None  # estate, management-plane and cluster scopes: a fixed namespace, if namespaced
    path: str  # file name pattern within the scope's folder
    dataplanes: tuple[str, ...] = ()  # namespace scope: only namespaces of these dataplane modes (none: all)
    parameters: Mapping[str, Any] = field(default_factory=dict)  # JSON Schema of the parameters (an object)
    enabled: bool = True  # where the profile says nothing
    schemaless: bool = False  # no schema for its kind, and the kit says that is intended


@dataclass(frozen=True, eq=False)
class KitRule:
    """`rules/<name>.yaml`: a JSON Schema every rendered object of some kinds must fit."""

    name: str
    kit: str
    file: str
    description: str
    kinds: frozenset[str]  # `Kind` or `apiVersion/Kind`
    severity: Severity
    schema: Any  # a JSON Schema: a mapping, or a boolean
    hint: str = ""

    def applies(self, api_version: str, kind: str) -> bool:
        return kind in self.kinds or f"{api_version}/{kind}" in self.kinds


@dataclass(frozen=True, eq=False)
class Kit:
    """The kits a profile names, layered in order (the last wins where two hold the same name).
    Compared and hashed by identity: caches keyed by the kit serve one profile's kits only."""

    folders: tuple[str, ...]  # as the profile names them (relative to it)
    layers: tuple[TemplateLayer, ...]  # template texts, the first kit first
    apps: Mapping[str, Any] = field(default_factory=dict)  # every app the profile can list (the package's too)
    app_origins: Mapping[str, str] = field(default_factory=dict)  # app name -> kit folder
    outputs: tuple[KitOutput, ...] = ()
    rules: tuple[KitRule, ...] = ()
    # (apiVersion, kind in lower case) -> JSON Schema, from the kits' `schemas/` (kubeconform layout)
    schemas: Mapping[tuple[str, str], Mapping[str, Any]] = field(default_factory=dict)
    schema_origins: Mapping[tuple[str, str], str] = field(default_factory=dict)
    digest: str = ""  # of every kit file: render cache keys include it (output/cache.py)

    def origin_of(self, template: str) -> str | None:
        """The kit folder a template comes from (None: the package's)."""
        for layer in reversed(self.layers):
            if template in layer.texts:
                return layer.shown
        return None
