"""One namespace on one cluster as ambient routes traffic to it: the Services and workloads gen
renders there, and the waypoint (if any) that their `istio.io/use-waypoint` labels send traffic to.

Istio's rules, as modelled here:
- a waypoint handles traffic by how it was addressed (`istio.io/waypoint-for`): `service` (the
  default) sees traffic to Services, `workload` traffic to pod IPs, `all` both;
- a Service uses the waypoint its own label names, else its namespace's; a pod likewise (its own
  label wins); `none` opts out;
- traffic to a Service that has no waypoint does not cross one, even if its pods have one.
Who owns the waypoint: gen (`explicit` clusters, from `namespaces[].waypoint`) or TSB
(`tsb-managed`: TSB deploys `waypoint` for all traffic and labels the namespace, unless
`disableLabelManagement`, where gen sets the namespace label). `off` clusters have none.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import TypeVar, cast
from enum import StrEnum

from .plan.app_contexts import DeploymentContext, ServiceContext
from .plan.apps import app_objects_anywhere
from .plan.namespaces import DATAPLANE_MODE_LABEL, namespace_labels, pod_labels
from .problems import ProfilePath
from .profile.model import AppParameters, Cluster, Dataplane, Namespace, Profile, WaypointMode
from .profile.model_migration import Stage
from .profile.model_waypoints import RESERVED_WAYPOINT_NAME, WaypointTraffic

USE_WAYPOINT = "istio.io/use-waypoint"
USE_WAYPOINT_NAMESPACE = "istio.io/use-waypoint-namespace"
# On a Service: ingress gateways send its traffic through its waypoint too, instead of straight to
# the pods (whose ztunnel part may admit the waypoint only). TSB sets it for its own waypoints.
INGRESS_USE_WAYPOINT = "istio.io/ingress-use-waypoint"
WAYPOINT_FOR = "istio.io/waypoint-for"
TSB_WAYPOINT_NAME = "waypoint"  # what TSB deploys in each ambient namespace (DESIGN 5b)


class WaypointOwner(StrEnum):
    GEN = "gen"
    TSB = "tsb"


@dataclass(frozen=True, slots=True)  # a namespace holds several of each: no instance dictionary
class MeshWorkload:
    name: str  # the Deployment
    pod_labels: Mapping[str, str]
    service_account: str
    app: AppParameters

    @property
    def ambient(self) -> bool:
        """Its pods are in ambient (ztunnel carries their traffic)."""
        return self.pod_labels.get(DATAPLANE_MODE_LABEL) == "ambient"


@dataclass(frozen=True, slots=True)
class MeshService:
    name: str
    selector: Mapping[str, str]
    app: AppParameters
    ports: tuple[int, ...] = ()  # the pods' ports it sends to (targetPort, else port)

    def selects(self, workload: MeshWorkload) -> bool:
        return all(workload.pod_labels.get(key) == value for key, value in self.selector.items())


@dataclass(frozen=True)
class Waypoint:
    name: str
    traffic: WaypointTraffic
    owner: WaypointOwner
    services: frozenset[str]  # Services whose label (own or the namespace's) names it
    workloads: frozenset[str]  # Deployments whose pods' label (own or the namespace's) names it
    label_namespace: bool  # gen writes `istio.io/use-waypoint` on the Namespace
    path: ProfilePath  # the profile entry it comes from


@dataclass(frozen=True)
class NamespaceMesh:
    cluster: Cluster
    namespace: Namespace
    services: tuple[MeshService, ...]
    workloads: tuple[MeshWorkload, ...]
    waypoint: Waypoint | None
    # The trust domains of every cluster of the profile (this one's included): callers' principals
    # may name any of them.
    profile_trust_domains: frozenset[str] = frozenset()

    @property
    def ambient(self) -> bool:
        """The namespace is ambient, or some of its workloads are (enrolled one by one)."""
        enrolled = self.namespace.dataplane is Dataplane.AMBIENT or any(w.ambient for w in self.workloads)
        return self.cluster.ambient and enrolled

    def selected(self, match_labels: Mapping[str, str]) -> tuple[MeshWorkload, ...]:
        """The workloads a `selector.matchLabels` picks (all of them when it is empty)."""
        return tuple(w for w in self.workloads if all(w.pod_labels.get(k) == v for k, v in match_labels.items()))

    def services_of(self, workload: MeshWorkload) -> tuple[MeshService, ...]:
        return tuple(service for service in self.services if service.selects(workload))

    def workloads_of(self, service: MeshService) -> tuple[MeshWorkload, ...]:
        return tuple(workload for workload in self.workloads if service.selects(workload))

    def service(self, name: str) -> MeshService | None:
        return next((service for service in self.services if service.name == name), None)

    def handles_service(self, service: MeshService) -> bool:
        """Traffic addressed to the Service crosses the waypoint."""
        w = self.waypoint
        return w is not None and service.name in w.services and w.traffic.handles_services

    def handles_pods(self, workload: MeshWorkload) -> bool:
        """Traffic addressed to the workload's pods crosses the waypoint."""
        w = self.waypoint
        return w is not None and workload.name in w.workloads and w.traffic.handles_workloads

    @property
    def waypoint_principal(self) -> str:
        """The identity the destination ztunnel sees for traffic from the waypoint (its service
        account is named after its Gateway)."""
        name = self.waypoint.name if self.waypoint else TSB_WAYPOINT_NAME
        return f"{self.cluster.trust_domain}/ns/{self.namespace.name}/sa/{name}"


def tsb_waypoint_settings(cluster: Cluster, namespace: Namespace) -> tuple[bool, bool]:
    """(TSB deploys a waypoint here, label management is disabled) for a tsb-managed cluster: the
    first namespaceLevel entry that names the namespace, or whose labels it carries, wins; its
    unset settings inherit the cluster's."""
    waypoints = cluster.waypoints
    if waypoints is None:
        return True, False
    enable, disabled = True, bool(waypoints.cluster.disable_label_management)
    labels = namespace_labels(namespace.dataplane)
    for entry in waypoints.namespaces:
        named = entry.name == namespace.name
        selected = bool(entry.labels) and all(labels.get(k) == v for k, v in entry.labels.items())
        if named or selected:
            settings = entry.settings
            enable = enable if settings.enable is None else settings.enable
            if settings.disable_label_management is not None:
                disabled = settings.disable_label_management
            break
    return enable, disabled


_Frozen = TypeVar("_Frozen", frozenset[str], tuple[int, ...], "Waypoint")
# One instance of each equal frozen value the meshes hold (the namespaces of an estate mostly hold
# the same name sets, trust domains and waypoints), for as long as one profile's meshes are kept.
_SHARED: dict[object, object] = {}


def _shared(value: _Frozen) -> _Frozen:
    return cast(_Frozen, _SHARED.setdefault(value, value))


def _declared_waypoint(cluster: Cluster, namespace: Namespace, services: frozenset[str],
                       workloads: frozenset[str]) -> Waypoint | None:
    # A namespace its migration phase prepares has its explicit waypoint before it moves (Istio's
    # order); TSB deploys its own only once the namespace is labelled ambient.
    preparing = namespace.stage is Stage.PREPARE
    if (namespace.dataplane is not Dataplane.AMBIENT and not preparing) or not cluster.ambient:
        return None
    if cluster.waypoint_mode is WaypointMode.TSB_MANAGED:
        if preparing:
            return None
        enabled, unmanaged_labels = tsb_waypoint_settings(cluster, namespace)
        if not enabled:
            return None
        path = cluster.waypoints.path if cluster.waypoints else (*cluster.path, "ambient")
        return Waypoint(TSB_WAYPOINT_NAME, WaypointTraffic.ALL, WaypointOwner.TSB, services, workloads,
                        unmanaged_labels, path)
    declared = namespace.waypoint
    if cluster.waypoint_mode is not WaypointMode.EXPLICIT or declared is None:
        return None
    if declared.name == RESERVED_WAYPOINT_NAME:
        return None
    whole = declared.whole_namespace
    return Waypoint(
        declared.name, declared.traffic, WaypointOwner.GEN,
        services if whole else frozenset(declared.services) & services,
        workloads if whole else frozenset(declared.workloads) & workloads,
        whole, declared.path,
    )


def _with_app_labels(waypoint: Waypoint | None, namespace: Namespace, services: tuple[MeshService, ...],
                     workloads: tuple[MeshWorkload, ...]) -> Waypoint | None:
    """An app's own `istio.io/use-waypoint` label (on all its objects) wins over the namespace's."""
    if waypoint is None:
        return None
    users_services, users_workloads = set(waypoint.services), set(waypoint.workloads)
    for app in namespace.app_parameters:
        label = dict(app.labels).get(USE_WAYPOINT)
        if label is None:
            continue
        own_services = {service.name for service in services if service.app is app}
        own_workloads = {workload.name for workload in workloads if workload.app is app}
        if label == waypoint.name and not dict(app.labels).get(USE_WAYPOINT_NAMESPACE):
            users_services |= own_services
            users_workloads |= own_workloads
        else:
            users_services -= own_services
            users_workloads -= own_workloads
    return Waypoint(waypoint.name, waypoint.traffic, waypoint.owner, _shared(frozenset(users_services)),
                    _shared(frozenset(users_workloads)), waypoint.label_namespace, waypoint.path)


def namespace_mesh(cluster: Cluster, namespace: Namespace,
                   trust_domains: frozenset[str] = frozenset()) -> NamespaceMesh:
    services: list[MeshService] = []
    workloads: list[MeshWorkload] = []
    for app in namespace.app_parameters:
        # In no namespace: a mesh reads what is the same in each, and the render places each folder's apps.
        for obj in app_objects_anywhere(app, pod_labels(namespace.dataplane, app.ambient)):
            if isinstance(obj, ServiceContext):
                ports = _shared(tuple(port.targetPort or port.port for port in obj.ports))
                services.append(MeshService(obj.name, obj.selector, app, ports))
            elif isinstance(obj, DeploymentContext):
                workloads.append(MeshWorkload(obj.name, obj.pod_labels, obj.service_account, app))
    waypoint = _declared_waypoint(
        cluster, namespace, _shared(frozenset(s.name for s in services)), _shared(frozenset(w.name for w in workloads))
    )
    waypoint = _with_app_labels(waypoint, namespace, tuple(services), tuple(workloads))
    return NamespaceMesh(cluster, namespace, tuple(services), tuple(workloads),
                         None if waypoint is None else _shared(waypoint),
                         _shared(trust_domains | {cluster.trust_domain}))


def settled_mesh(mesh: NamespaceMesh) -> NamespaceMesh:
    """A namespace within the phase that moves it, as it will be once the phase is done."""
    if mesh.namespace.stage is None:
        return mesh
    return namespace_mesh(mesh.cluster, replace(mesh.namespace, dataplane=Dataplane.AMBIENT, stage=None))


# The meshes of the last profile asked for: checks and planners all ask for the same profile's
# (a frozen model, compared by identity), and building them means building every app's objects.
_last: list[tuple[Profile, tuple[NamespaceMesh, ...]]] = []


def meshes(profile: Profile) -> tuple[NamespaceMesh, ...]:
    """Every (cluster, namespace) of the profile, in profile order."""
    for seen, found in _last:
        if seen is profile:
            return found
    _SHARED.clear()  # another profile's values: let go with its meshes
    trust_domains = frozenset(cluster.trust_domain for cluster in profile.clusters)
    found = tuple(
        namespace_mesh(profile.cluster(name), namespace, trust_domains)
        for namespace in profile.namespaces
        for name in namespace.clusters
    )
    _last[:] = [(profile, found)]
    return found


def forget_meshes() -> None:
    _last.clear()
    _SHARED.clear()
