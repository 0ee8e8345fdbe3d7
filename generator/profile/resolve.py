"""Stage 3, resolve: validated profile data -> the frozen model, defaults applied.

Runs only on data that passed validation, so it may index keys the schema requires.
"""

from __future__ import annotations

from typing import Any

from .model import (
    Authorization,
    AuthorizationMode,
    Cluster,
    Dataplane,
    ManagementPlane,
    Namespace,
    Platform,
    Profile,
    PropagationStrategy,
    Rule,
    Tenant,
    Tsb,
    Version,
    Workspace,
    WorkspaceRef,
    WorkspaceSecurity,
)
from ..problems import ProfilePath
from .resolve_apps import app_parameters

DEFAULT_ISTIO_NAMESPACE = "istio-system"


def resolve(data: dict[str, Any]) -> Profile:
    tsb = data["tsb"]
    return Profile(
        name=data["profile"],
        tsb=Tsb(
            version=Version.parse(tsb["version"]),
            organization=tsb["organization"],
            gitops_namespace=tsb["gitopsNamespace"],
            path=("tsb",),
        ),
        management_plane=ManagementPlane(data["managementPlane"]["cluster"], ("managementPlane",)),
        clusters=tuple(_cluster(raw, ("clusters", i)) for i, raw in enumerate(data["clusters"])),
        tenants=tuple(_tenant(raw, ("tenants", i)) for i, raw in enumerate(data.get("tenants", []))),
        namespaces=tuple(
            _namespace(raw, ("namespaces", i), data.get("catalog", {}).get("registry"))
            for i, raw in enumerate(data.get("namespaces", []))
        ),
    )


def _cluster(raw: dict[str, Any], path: ProfilePath) -> Cluster:
    istio = raw["istio"]
    return Cluster(
        name=raw["name"],
        platform=Platform(raw["platform"]),
        istio_version=Version.parse(istio["version"]),
        istio_namespace=istio.get("namespace", DEFAULT_ISTIO_NAMESPACE),
        ambient=raw.get("ambient", {}).get("enabled", False),
        path=path,
    )


def _tenant(raw: dict[str, Any], path: ProfilePath) -> Tenant:
    name = raw["name"]
    return Tenant(
        name=name,
        workspaces=tuple(
            _workspace(ws, name, (*path, "workspaces", i)) for i, ws in enumerate(raw.get("workspaces", []))
        ),
        path=path,
    )


def _workspace(raw: dict[str, Any], tenant: str, path: ProfilePath) -> Workspace:
    security = raw.get("security")
    return Workspace(
        name=raw["name"],
        tenant=tenant,
        display_name=raw.get("displayName"),
        namespace_selectors=tuple(raw["namespaces"]),
        security=_security(security, raw["name"], tenant, (*path, "security")) if security is not None else None,
        path=path,
    )


def _security(raw: dict[str, Any], workspace: str, tenant: str, path: ProfilePath) -> WorkspaceSecurity:
    authorization = raw.get("authorization")
    propagation = raw.get("propagation")
    return WorkspaceSecurity(
        setting_name=raw.get("settingName", f"{workspace}-setting"),
        propagation=PropagationStrategy(propagation) if propagation else None,
        authorization=(
            _authorization(authorization, tenant, (*path, "authorization")) if authorization is not None else None
        ),
        path=path,
    )


def _authorization(raw: dict[str, Any], tenant: str, path: ProfilePath) -> Authorization:
    def rules(kind: str) -> tuple[Rule, ...]:
        return tuple(
            Rule(_ref(rule["from"], tenant), _ref(rule["to"], tenant), (*path, kind, i))
            for i, rule in enumerate(raw.get(kind, []))
        )

    return Authorization(AuthorizationMode(raw["mode"]), rules("allow"), rules("deny"), path)


def _ref(text: str, own_tenant: str) -> WorkspaceRef:
    tenant, _, workspace = text.rpartition("/")
    return WorkspaceRef(tenant or own_tenant, workspace)


def _namespace(raw: dict[str, Any], path: ProfilePath, registry: str | None) -> Namespace:
    apps = tuple(
        app_parameters(entry, (*path, "apps", i), registry) for i, entry in enumerate(raw.get("apps", []))
    )
    return Namespace(
        name=raw["name"],
        clusters=tuple(raw["clusters"]),
        dataplane=Dataplane(raw["dataplane"]),
        apps=tuple(app.name for app in apps),
        path=path,
        app_parameters=apps,
    )

