"""Stage 3, resolve: validated profile data -> the frozen model, defaults applied.

Runs only on data that passed validation, so it may index keys the schema requires.
"""

from __future__ import annotations

import json
from pathlib import PurePath
from typing import Any

from .model import (
    BASE_VALUES_NONE,
    Delivery,
    DeliveryEngine,
    BaseValuesRef,
    NamespaceWaypoints,
    Resources,
    WaypointMode,
    WaypointSettings,
    Waypoints,
    Authorization,
    AuthorizationMode,
    Cluster,
    Dataplane,
    KitSettings,
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
from .model_migration import resolve_migration
from .resolve_apps import app_parameters
from .resolve_waypoints import namespace_waypoint, policy_source
from .model_waypoints import tsb_trust_domain

DEFAULT_ISTIO_NAMESPACE = "istio-system"


def resolve(data: dict[str, Any], profile_dir: PurePath = PurePath(".")) -> Profile:
    """`profile_dir`: where the profile file is; the files it names are relative to it."""
    tsb = data["tsb"]
    return Profile(
        name=data["profile"],
        tsb=Tsb(
            version=Version.parse(tsb["version"]),
            organization=tsb["organization"],
            gitops_namespace=tsb["gitopsNamespace"],
            path=("tsb",),
            canonical_names=tsb.get("canonicalNames", False),
            form=TsbForm(tsb.get("form", TsbForm.GITOPS.value)),
        ),
        management_plane=ManagementPlane(
            data["managementPlane"]["cluster"],
            ("managementPlane",),
            _base_values(data["managementPlane"], ("managementPlane",), profile_dir),
            _fresh_release(data["managementPlane"]),
        ),
        clusters=tuple(_cluster(raw, ("clusters", i), profile_dir) for i, raw in enumerate(data["clusters"])),
        tenants=tuple(_tenant(raw, ("tenants", i)) for i, raw in enumerate(data.get("tenants", []))),
        namespaces=tuple(
            _namespace(raw, ("namespaces", i), data.get("catalog", {}).get("registry"), profile_dir)
            for i, raw in enumerate(data.get("namespaces", []))
        ),
        delivery=_delivery(data.get("delivery")),
        migration=resolve_migration(data.get("migration")),
        kit=tuple(data.get("kit", ())),
        outputs=kit_settings(data.get("outputs")),
    )


def kit_settings(raw: dict[str, Any] | None) -> KitSettings:
    """`outputs:` of one level, each setting as canonical JSON (hashable, and equal when equal)."""
    return tuple((name, json.dumps(value, sort_keys=True, ensure_ascii=False)) for name, value in (raw or {}).items())


def _delivery(raw: dict[str, Any] | None) -> Delivery | None:
    if raw is None:
        return None
    engine = DeliveryEngine(raw["engine"])
    return Delivery(
        engine=engine,
        repo_url=raw["repoURL"],
        revision=raw.get("revision", "main"),
        path=raw.get("path", "out").strip("/"),
        namespace=raw.get("namespace", "argocd" if engine is DeliveryEngine.ARGOCD else "flux-system"),
        project=raw.get("project", "default"),
        source=("delivery",),
    )


def _fresh_release(raw: dict[str, Any]) -> bool:
    return raw.get("baseValues") == BASE_VALUES_NONE


def _base_values(raw: dict[str, Any], path: ProfilePath, profile_dir: PurePath) -> BaseValuesRef | None:
    written = raw.get("baseValues")
    if written is None or written == BASE_VALUES_NONE:
        return None
    return BaseValuesRef(written, str(profile_dir / written), (*path, "baseValues"), tuple(raw.get("notSecret", ())))


def _resources(raw: dict[str, Any] | None) -> Resources | None:
    if raw is None:
        return None
    return Resources(dict(raw.get("requests", {})), dict(raw.get("limits", {})))


def _waypoint_settings(raw: dict[str, Any]) -> WaypointSettings:
    return WaypointSettings(
        revision=raw.get("revision"),
        resources=_resources(raw.get("resources")),
        disable_label_management=raw.get("disableLabelManagement"),
        enable=raw.get("enable"),
    )


def _waypoints(raw: dict[str, Any] | None, path: ProfilePath) -> Waypoints | None:
    if raw is None:
        return None
    return Waypoints(
        mode=WaypointMode(raw.get("mode", WaypointMode.TSB_MANAGED.value)),
        cluster=_waypoint_settings(raw),
        namespaces=tuple(
            NamespaceWaypoints(entry.get("name"), dict(entry.get("labels", {})), _waypoint_settings(entry),
                               (*path, "namespaces", i))
            for i, entry in enumerate(raw.get("namespaces", []))
        ),
        path=path,
    )


def _cluster(raw: dict[str, Any], path: ProfilePath, profile_dir: PurePath) -> Cluster:
    istio = raw["istio"]
    ambient = raw.get("ambient", {})
    enabled = ambient.get("enabled", False)
    return Cluster(
        name=raw["name"],
        platform=Platform(raw["platform"]),
        istio_version=Version.parse(istio["version"]),
        istio_namespace=istio.get("namespace", DEFAULT_ISTIO_NAMESPACE),
        ambient=enabled,
        path=path,
        edge_dns_resolution=ambient.get("edgeDnsResolution", False),
        ztunnel_revision=ambient.get("ztunnelRevision"),
        waypoints=_waypoints(ambient.get("waypoints"), (*path, "ambient", "waypoints")),
        # Ambient needs the SPM agent; a cluster without ambient runs it only when asked.
        spm_agent=raw.get("spmAgent", {}).get("enabled", enabled),
        cni=dict(raw.get("cni", {})),
        base_values=_base_values(raw, path, profile_dir),
        fresh_release=_fresh_release(raw),
        acknowledged=frozenset(raw.get("acknowledge", [])),
        trust_domain=istio.get("trustDomain") or tsb_trust_domain(raw["name"]),
        trust_domain_set="trustDomain" in istio,
        istio_revision=istio.get("revision"),
        outputs=kit_settings(raw.get("outputs")),
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


def _namespace(raw: dict[str, Any], path: ProfilePath, registry: str | None, profile_dir: PurePath) -> Namespace:
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
        waypoint=namespace_waypoint(raw.get("waypoint"), (*path, "waypoint")),
        policies=policy_source(raw.get("policies"), (*path, "policies"), profile_dir),
        outputs=kit_settings(raw.get("outputs")),
    )

