"""Waypoints in the namespace folders: the Gateway of each explicit waypoint (as `istioctl waypoint
generate` prints it), and the `istio.io/use-waypoint` labels that route traffic through it.

Explicit waypoint (`namespaces[].waypoint` on a cluster whose waypoints are `explicit`): the
Gateway `<name>` in `clusters/<cluster>/namespaces/<namespace>/gateway-<name>.yaml`, and the label
on the Namespace (`use: namespace`) or on each listed Service and Deployment pod template. Each
Service whose traffic the waypoint handles also gets `istio.io/ingress-use-waypoint: "true"`, so
that ingress traffic crosses the waypoint rather than reach pods that admit only the waypoint.
TSB-managed: no Gateway and no label (TSB deploys and labels), except the Namespace's label when
TSB's label management is disabled; the Namespace file says who owns the waypoint.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import ClassVar

from ..mesh import (
    INGRESS_USE_WAYPOINT, TSB_WAYPOINT_NAME, USE_WAYPOINT, NamespaceMesh, WaypointOwner, meshes, tsb_waypoint_settings,
)
from ..policies.notes import lines
from ..profile.model import Dataplane, Profile, WaypointMode
from .app_contexts import DeploymentContext, ServiceContext
from .namespaces import NamespaceContext, namespace_folder_of
from .outputs import ObjectContext, Output, object_output

GATEWAY_API = "gateway.networking.k8s.io/v1"


@dataclass(frozen=True, kw_only=True)
class WaypointContext(ObjectContext):
    template: ClassVar[str] = "istio/waypoint.yaml.j2"
    traffic: str  # istio.io/waypoint-for


def namespace_directory(mesh: NamespaceMesh) -> str:
    return namespace_folder_of(mesh.cluster.name, mesh.namespace.name)


def waypoint_outputs(profile: Profile) -> Iterator[Output]:
    for mesh in meshes(profile):
        waypoint = mesh.waypoint
        if waypoint is None or waypoint.owner is not WaypointOwner.GEN:
            continue
        yield object_output(
            namespace_directory(mesh),
            GATEWAY_API,
            "Gateway",
            WaypointContext(name=waypoint.name, namespace=mesh.namespace.name, traffic=waypoint.traffic.value),
            waypoint.path,
            f"namespace '{mesh.namespace.name}'",
        )


def _tsb_notes(mesh: NamespaceMesh) -> tuple[str, ...]:
    cluster = mesh.cluster.name
    enabled, unmanaged_labels = tsb_waypoint_settings(mesh.cluster, mesh.namespace)
    if not enabled:
        return lines(f"Waypoints on cluster {cluster} are TSB-managed, and TSB's settings switch this namespace's off.")
    if unmanaged_labels:
        return lines(
            f"Waypoints on cluster {cluster} are TSB-managed: TSB deploys this namespace's waypoint (Gateway "
            f"{TSB_WAYPOINT_NAME}, for all traffic), and gen renders no Gateway. TSB's label management is off "
            "(disableLabelManagement), so gen labels the namespace to use the waypoint.",
        )
    return lines(
        f"Waypoints on cluster {cluster} are TSB-managed: TSB deploys this namespace's waypoint (Gateway "
        f"{TSB_WAYPOINT_NAME}, for all traffic) and labels the namespace to use it; gen renders neither.",
    )


def _namespace(context: NamespaceContext, mesh: NamespaceMesh) -> NamespaceContext:
    waypoint = mesh.waypoint
    labels = dict(context.labels)
    if waypoint is not None and waypoint.label_namespace:
        labels[USE_WAYPOINT] = waypoint.name
    # TSB deploys a waypoint per ambient namespace (not for pods enrolled one by one).
    ambient = mesh.namespace.dataplane is Dataplane.AMBIENT and mesh.cluster.ambient
    tsb = ambient and mesh.cluster.waypoint_mode is WaypointMode.TSB_MANAGED
    return replace(context, labels=labels, notes=_tsb_notes(mesh) if tsb else context.notes)


def labelled(mesh: NamespaceMesh, output: Output) -> Output:
    """The output with the waypoint's labels gen sets on it, if any. Of the mesh it reads the
    cluster, the namespace and the waypoint only (a namespace folder keeps no more: plan/folders.py)."""
    context = output.context
    waypoint = mesh.waypoint
    declared = mesh.namespace.waypoint
    if isinstance(context, NamespaceContext):
        return replace(output, context=_namespace(context, mesh))
    if waypoint is None or waypoint.owner is not WaypointOwner.GEN or declared is None:
        return output
    if isinstance(context, ServiceContext):
        labels = dict(context.labels)
        if context.name in declared.services:
            labels.setdefault(USE_WAYPOINT, waypoint.name)
        if context.name in waypoint.services and waypoint.traffic.handles_services:
            labels.setdefault(INGRESS_USE_WAYPOINT, "true")
        return replace(output, context=replace(context, labels=labels)) if labels != context.labels else output
    if (isinstance(context, DeploymentContext) and context.name in declared.workloads
            and USE_WAYPOINT not in context.pod_labels):
        labels = {**context.pod_labels, USE_WAYPOINT: waypoint.name}
        return replace(output, context=replace(context, pod_labels=labels))
    return output
