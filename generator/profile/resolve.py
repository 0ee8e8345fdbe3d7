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
    SecuritySettings,
    TenancyRef,
    Tenant,
    TrafficMode,
    Tsb,
    TsbForm,
    Version,
    Workspace,
)
from ..problems import ProfilePath

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
            form=TsbForm(tsb.get("form", TsbForm.GITOPS.value)),
        ),
        management_plane=ManagementPlane(data["managementPlane"]["cluster"], ("managementPlane",)),
        clusters=tuple(_cluster(raw, ("clusters", i)) for i, raw in enumerate(data["clusters"])),
        tenants=tuple(_tenant(raw, ("tenants", i)) for i, raw in enumerate(data.get("tenants", []))),
        namespaces=tuple(
            _namespace(raw, ("namespaces", i)) for i, raw in enumerate(data.get("namespaces", []))
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
    own_workspaces = frozenset(ws["name"] for ws in raw.get("workspaces", []))
    owned = raw.get("owned", False)
    security = raw.get("security")
    # Secure by default: a TenantSetting gen renders (the tenant is owned, or the profile gives its
    # settings) requires mutual TLS unless the profile says otherwise.
    return Tenant(
        name=name,
        workspaces=tuple(
            _workspace(ws, name, own_workspaces, (*path, "workspaces", i))
            for i, ws in enumerate(raw.get("workspaces", []))
        ),
        path=path,
        owned=owned,
        display_name=raw.get("displayName"),
        description=raw.get("description"),
        security=(
            _security(security or {}, name, name, own_workspaces, (*path, "security"), TrafficMode.REQUIRED)
            if owned or security is not None
            else None
        ),
    )


def _workspace(raw: dict[str, Any], tenant: str, own_workspaces: frozenset[str], path: ProfilePath) -> Workspace:
    security = raw.get("security")
    return Workspace(
        name=raw["name"],
        tenant=tenant,
        display_name=raw.get("displayName"),
        namespace_selectors=tuple(raw["namespaces"]),
        security=(
            _security(security, raw["name"], tenant, own_workspaces, (*path, "security"))
            if security is not None
            else None
        ),
        path=path,
    )


def _security(
    raw: dict[str, Any],
    owner: str,
    tenant: str,
    own_workspaces: frozenset[str],
    path: ProfilePath,
    default_traffic_mode: TrafficMode | None = None,
) -> SecuritySettings:
    authorization = raw.get("authorization")
    propagation = raw.get("propagation")
    traffic_mode = raw.get("trafficMode")
    return SecuritySettings(
        setting_name=raw.get("settingName", f"{owner}-setting"),
        propagation=PropagationStrategy(propagation) if propagation else None,
        authorization=(
            _authorization(authorization, tenant, own_workspaces, (*path, "authorization"))
            if authorization is not None
            else None
        ),
        path=path,
        traffic_mode=TrafficMode(traffic_mode) if traffic_mode else default_traffic_mode,
    )


def _authorization(
    raw: dict[str, Any], tenant: str, own_workspaces: frozenset[str], path: ProfilePath
) -> Authorization:
    def rules(kind: str) -> tuple[Rule, ...]:
        return tuple(
            Rule(_ref(rule["from"], tenant, own_workspaces), _ref(rule["to"], tenant, own_workspaces), (*path, kind, i))
            for i, rule in enumerate(raw.get(kind, []))
        )

    return Authorization(
        AuthorizationMode(raw["mode"]), rules("allow"), rules("deny"), path, deny_all=raw.get("denyAll", False)
    )


def _ref(text: str, own_tenant: str, own_workspaces: frozenset[str]) -> TenancyRef:
    """`tenant/workspace`; a bare name is a workspace of the rule's own tenant, or else a tenant
    (validation has refused a bare name that could be both)."""
    tenant, _, name = text.rpartition("/")
    if tenant:
        return TenancyRef(tenant, name)
    return TenancyRef(own_tenant, name) if name in own_workspaces else TenancyRef(name)


def _namespace(raw: dict[str, Any], path: ProfilePath) -> Namespace:
    return Namespace(
        name=raw["name"],
        clusters=tuple(raw["clusters"]),
        dataplane=Dataplane(raw["dataplane"]),
        apps=tuple(raw.get("apps", [])),
        path=path,
    )
