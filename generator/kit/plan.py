"""The kit outputs' files: one per place each output renders (settings.py), in its scope's folder,
with a typed context its template prints, and the identity the rendered object must have."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from posixpath import join as join_path
from typing import Any

from ..plan.outputs import ObjectContext, ObjectIdentity, Output
from ..profile.model import Cluster, Namespace, Profile
from .model import Kit, KitOutput, Scope
from .settings import effective, levels_of, places


@dataclass(frozen=True, kw_only=True)
class KitOutputContext(ObjectContext):
    """What a kit output's template may print: `name` and `namespace` (the object's), `cluster`,
    `platform`, `dataplane` and `apps` of the place it renders for (None or empty where the scope has
    none), `scope`, and `params` (the parameters, defaults merged with the profile's settings)."""

    cluster: str | None = None
    platform: str | None = None
    dataplane: str | None = None
    apps: tuple[str, ...] = ()
    scope: str
    params: Mapping[str, Any]

    def __repr__(self) -> str:  # the render cache key: every field, the parameters in a stable order
        fields = ", ".join(f"{name}={value!r}" for name, value in self.variables().items() if name != "params")
        return f"{type(self).__name__}[{self.template}]({fields}, params={_stable(self.params)!r})"


def _stable(value: Any) -> Any:
    if isinstance(value, Mapping):
        return tuple(sorted((str(key), _stable(item)) for key, item in value.items()))
    if isinstance(value, (list, tuple)):
        return tuple(_stable(item) for item in value)
    return value


@cache
def context_class(template: str) -> type[KitOutputContext]:
    # One class per kit template; not gen's own (its module says so).
    return type("KitOutputContext", (KitOutputContext,), {"template": template, "__module__": "kit-templates"})


def _fill(pattern: str, **values: str) -> str:
    for key, value in values.items():
        pattern = pattern.replace(f"{{{key}}}", value)
    return pattern


def _folder(output: KitOutput, profile: Profile, cluster: Cluster | None, namespace: Namespace | None) -> str:
    if output.scope is Scope.NAMESPACE and cluster is not None and namespace is not None:
        return join_path("clusters", cluster.name, "namespaces", namespace.name)
    if output.scope is Scope.CLUSTER and cluster is not None:
        return join_path("clusters", cluster.name, "kit")
    if output.scope is Scope.MANAGEMENT_PLANE:
        return join_path("management-plane", profile.management_plane.cluster, "kit")
    return "kit"


def kit_outputs(profile: Profile, kit: Kit | None) -> Iterator[Output]:
    for output in kit.outputs if kit is not None else ():
        for cluster, namespace, source in places(profile, output):
            enabled, parameters = effective(output, levels_of(profile, cluster, namespace))
            if not enabled:
                continue
            cluster_name = cluster.name if cluster is not None else (
                profile.management_plane.cluster if output.scope is Scope.MANAGEMENT_PLANE else "")
            names = {"namespace": namespace.name if namespace else "", "cluster": cluster_name, "profile": profile.name}
            name = _fill(output.object_name, **names)
            object_namespace = namespace.name if namespace is not None else output.object_namespace
            context = context_class(output.template)(
                name=name, namespace=object_namespace, cluster=cluster_name or None,
                platform=cluster.platform.value if cluster is not None else None,
                dataplane=namespace.dataplane.value if namespace is not None else None,
                apps=namespace.apps if namespace is not None else (), scope=output.scope.value, params=parameters,
            )
            file = _fill(output.path, kind=output.kind.lower(), name=name, namespace=names["namespace"],
                         cluster=cluster_name)
            yield Output(
                join_path(_folder(output, profile, cluster, namespace), file),
                context,
                source if source else ("kit",),
                f"{output.kind} '{name}' of kit output '{output.name}' ({output.kit})",
                ObjectIdentity(output.api_version, output.kind, name, object_namespace),
            )
