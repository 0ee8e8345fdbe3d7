"""Namespace waypoints: only where the cluster lets gen own them, named, used by what exists, for
the traffic their users receive; and `istio.io/use-waypoint` labels that name a real waypoint."""

from __future__ import annotations

from collections.abc import Iterator

from ..mesh import USE_WAYPOINT, USE_WAYPOINT_NAMESPACE, meshes
from ..plan.app_contexts import DeploymentContext, ServiceContext
from ..plan.apps import app_objects_anywhere
from ..problems import Problem, format_path
from ..profile.model import Dataplane, Namespace, Profile, WaypointMode
from ..profile.model_waypoints import RESERVED_WAYPOINT_NAME, NamespaceWaypoint, WaypointTraffic


def waypoint_fits_the_cluster(profile: Profile) -> Iterator[Problem]:
    from ..migration.state import moved_until, phases_of  # the migration checks import this registry

    # A namespace a migration phase moves to ambient may get its waypoint before it moves (Istio's
    # order: deploy the waypoint early); sidecar pods ignore it until then.
    moving = moved_until(profile, len(phases_of(profile)))
    for namespace in profile.namespaces:
        waypoint = namespace.waypoint
        if waypoint is None:
            continue
        early = namespace.dataplane is Dataplane.SIDECAR and all((c, namespace.name) in moving for c in namespace.clusters)
        if namespace.dataplane is not Dataplane.AMBIENT and not early:
            yield Problem(
                f"namespace '{namespace.name}' is {namespace.dataplane.value}, and a waypoint serves ambient pods only",
                "waypoint-mode", waypoint.path,
                "give the namespace `dataplane: ambient`, move it to ambient in a `migration` phase, or remove `waypoint:`",
                at_key=True,
            )
            continue
        for name in namespace.clusters:
            cluster = profile.cluster(name)
            mode = cluster.waypoint_mode
            if not cluster.ambient or mode is WaypointMode.EXPLICIT:
                continue  # ambient-disabled clusters are reported by dataplane.py
            where = format_path((*cluster.path, "ambient", "waypoints", "mode"))
            if mode is WaypointMode.TSB_MANAGED:
                yield Problem(
                    f"cluster '{name}' has TSB-managed waypoints: TSB deploys namespace '{namespace.name}''s waypoint "
                    "(Gateway 'waypoint', for all traffic) and its istio.io/use-waypoint label, and gen renders "
                    "neither there", "waypoint-mode", waypoint.path,
                    f"remove `waypoint:` (TSB's waypoint serves the namespace), or set {where} to explicit",
                    at_key=True,
                )
            else:
                yield Problem(
                    f"cluster '{name}' has waypoints off, and namespace '{namespace.name}' asks for one",
                    "waypoint-mode", waypoint.path, f"remove `waypoint:`, or set {where} to explicit", at_key=True,
                )


def waypoint_name_is_not_reserved(profile: Profile) -> Iterator[Problem]:
    for namespace in profile.namespaces:
        if namespace.waypoint is not None and namespace.waypoint.name == RESERVED_WAYPOINT_NAME:
            yield Problem(
                f"'{RESERVED_WAYPOINT_NAME}' is reserved: `istio.io/use-waypoint: none` means \"no waypoint\"",
                "waypoint-name", (*namespace.waypoint.path, "name"),
                "choose another name, or leave `name` out for the default 'waypoint'",
            )


def _objects(namespace: Namespace) -> tuple[list[str], list[str]]:
    """The names of the namespace's Services and Deployments."""
    services: list[str] = []
    workloads: list[str] = []
    for app in namespace.app_parameters:
        for obj in app_objects_anywhere(app, {}):
            if isinstance(obj, ServiceContext):
                services.append(obj.name)
            elif isinstance(obj, DeploymentContext):
                workloads.append(obj.name)
    return services, workloads


def _listed(waypoint: NamespaceWaypoint) -> Iterator[tuple[str, int, str]]:
    for key, names in (("services", waypoint.services), ("workloads", waypoint.workloads)):
        for index, name in enumerate(names):
            yield key, index, name


def waypoint_users_exist_and_fit(profile: Profile) -> Iterator[Problem]:
    """Listed users are the namespace's own Services and Deployments, of the traffic the waypoint handles."""
    for namespace in profile.namespaces:
        waypoint = namespace.waypoint
        if waypoint is None:
            continue
        services, workloads = _objects(namespace)
        for key, index, name in _listed(waypoint):
            path = (*waypoint.path, "use", key, index)
            known = services if key == "services" else workloads
            kind = "Service" if key == "services" else "Deployment"
            if name not in known:
                yield Problem(
                    f"namespace '{namespace.name}' has no {kind} '{name}'", "undeclared-reference", path,
                    f"its apps' {kind}s: {', '.join(known) or 'none'}",
                )
            elif key == "services" and not waypoint.traffic.handles_services:
                yield Problem(
                    f"waypoint '{waypoint.name}' is for workload traffic and never sees traffic addressed to Service "
                    f"'{name}': its label would do nothing", "waypoint-for", path,
                    "give the waypoint `for: service` or `for: all`, or list the Service's workloads instead",
                )
            elif key == "workloads" and waypoint.traffic is WaypointTraffic.SERVICE:
                yield Problem(
                    f"waypoint '{waypoint.name}' is for service traffic and never sees traffic addressed to the pods "
                    f"of '{name}': their label would do nothing", "waypoint-for", path,
                    "give the waypoint `for: workload` or `for: all`, or list the workload's Services instead",
                )


def use_waypoint_labels_name_a_waypoint(profile: Profile) -> Iterator[Problem]:
    """An app's own `istio.io/use-waypoint` label (it labels all the app's objects)."""
    for mesh in meshes(profile):
        if not mesh.ambient:
            continue
        tsb = mesh.cluster.waypoint_mode is WaypointMode.TSB_MANAGED
        for app in mesh.namespace.app_parameters:
            labels = dict(app.labels)
            if USE_WAYPOINT_NAMESPACE in labels:
                yield Problem(
                    f"app '{app.name}' sends its traffic to a waypoint of namespace '{labels[USE_WAYPOINT_NAMESPACE]}':"
                    " gen models each namespace's own waypoint only, and cannot check that one",
                    "unknown-waypoint", (*app.path, "labels", USE_WAYPOINT_NAMESPACE),
                    "use the namespace's own waypoint (`waypoint:`)", at_key=True,
                )
            value = labels.get(USE_WAYPOINT)
            if value is None:
                continue
            path = (*app.path, "labels", USE_WAYPOINT)
            where = f"namespace '{mesh.namespace.name}' on cluster '{mesh.cluster.name}'"
            if tsb:
                yield Problem(
                    f"app '{app.name}' sets istio.io/use-waypoint, which TSB manages on cluster '{mesh.cluster.name}' "
                    "(tsb-managed waypoints): the two would fight over the label",
                    "waypoint-mode", path, "remove the label; TSB routes the namespace through its waypoint",
                    at_key=True,
                )
            elif value != RESERVED_WAYPOINT_NAME and (mesh.waypoint is None or value != mesh.waypoint.name):
                has = f"its waypoint is '{mesh.waypoint.name}'" if mesh.waypoint else "it has no waypoint"
                yield Problem(
                    f"app '{app.name}''s istio.io/use-waypoint label names waypoint '{value}', which {where} does not "
                    f"have ({has}): ztunnel sends the app's traffic directly and no waypoint policy applies to it "
                    "(hole)", "unknown-waypoint", path,
                    "name the namespace's waypoint, or declare it under the namespace's `waypoint:`",
                )
