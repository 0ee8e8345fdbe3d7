"""Policies already attached with `targetRef(s)`: is any traffic routed through what they name?

A waypoint enforces a policy attached to its Gateway for the traffic it handles, and one attached
to a Service for traffic addressed to that Service, if the Service uses it. A target that no
`istio.io/use-waypoint` label routes traffic through is never enforced: a hole nobody sees.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..mesh import USE_WAYPOINT, NamespaceMesh, WaypointOwner
from ..problems import Problem, Severity, format_path
from .model import AuthorizationPolicy, TargetRef


def _problem(policy: AuthorizationPolicy, target: TargetRef, rule: str, message: str, hint: str,
             severity: Severity = Severity.ERROR) -> Problem:
    return Problem(message, rule, policy.profile_path, hint, severity, location=policy.at(*target.spec_path))


def _use_hint(mesh: NamespaceMesh, what: str) -> str:
    waypoint = mesh.waypoint
    if waypoint is not None and waypoint.owner is WaypointOwner.TSB:
        return f"TSB labels the namespace; check that TSB's waypoint serves {what}"
    path = f"namespaces[].waypoint.use (namespace {mesh.namespace.name})"
    return f"route {what} through the waypoint: `use: namespace`, or list it under {path}"


def _labelled_elsewhere(mesh: NamespaceMesh, name: str) -> str | None:
    """An app whose `istio.io/use-waypoint` label names this (missing) waypoint."""
    for app in mesh.namespace.app_parameters:
        if dict(app.labels).get(USE_WAYPOINT) == name:
            return app.name
    return None


def _gateway_problems(policy: AuthorizationPolicy, mesh: NamespaceMesh, target: TargetRef) -> Iterator[Problem]:
    waypoint = mesh.waypoint
    where = f"namespace {mesh.namespace.name} on cluster {mesh.cluster.name}"
    if waypoint is None or target.name != waypoint.name:
        app = _labelled_elsewhere(mesh, target.name)
        declared = f"its waypoint is '{waypoint.name}'" if waypoint else "it has no waypoint"
        if app is not None:
            yield _problem(policy, target, "unknown-waypoint",
                           f"policy {policy.name} is attached to waypoint '{target.name}', which app {app}'s "
                           f"istio.io/use-waypoint label names, but {where} has no such waypoint ({declared}): the "
                           "label sends traffic nowhere, ztunnel delivers it directly and this policy is never "
                           "enforced", "attach the policy to the namespace's waypoint and fix the app's label")
            return
        yield _problem(policy, target, "unknown-gateway",
                       f"policy {policy.name} is attached to Gateway '{target.name}', which gen does not render in "
                       f"{where} ({declared}): unless it is a gateway you deploy yourself, nothing enforces it",
                       "attach it to the namespace's waypoint", Severity.WARNING)
        return
    handled = [s.name for s in mesh.services if mesh.handles_service(s)]
    handled += [w.name for w in mesh.workloads if mesh.handles_pods(w)]
    if not handled:
        yield _problem(policy, target, "unrouted-policy-target",
                       f"policy {policy.name} is attached to waypoint '{waypoint.name}', and no istio.io/use-waypoint "
                       f"label routes traffic through it in {where}: the policy is never enforced",
                       _use_hint(mesh, "the Services it guards"))


def _service_problems(policy: AuthorizationPolicy, mesh: NamespaceMesh, target: TargetRef) -> Iterator[Problem]:
    service = mesh.service(target.name)
    waypoint = mesh.waypoint
    if service is None:
        yield _problem(policy, target, "unknown-service",
                       f"policy {policy.name} is attached to Service {target.name}, which gen does not render in "
                       f"namespace {mesh.namespace.name}: gen cannot check that a waypoint serves it",
                       "add the app that has this Service to the namespace, or fix the name", Severity.WARNING)
        return
    if mesh.handles_service(service):
        return
    if waypoint is not None and service.name in waypoint.services:
        yield _problem(policy, target, "waypoint-for",
                       f"policy {policy.name} is attached to Service {service.name}, which uses waypoint "
                       f"'{waypoint.name}', but that waypoint is for {waypoint.traffic.value} traffic and never sees "
                       "traffic addressed to a Service: the policy is never enforced",
                       f"give the waypoint `for: service` or `for: all` ({format_path(waypoint.path)})")
        return
    yield _problem(policy, target, "unrouted-policy-target",
                   f"policy {policy.name} is attached to Service {service.name}, and no istio.io/use-waypoint label "
                   f"routes that Service through a waypoint: only a waypoint enforces a Service-attached policy, so "
                   "this one is never enforced", _use_hint(mesh, f"Service {service.name}"))


def target_problems(policy: AuthorizationPolicy, mesh: NamespaceMesh) -> Iterator[Problem]:
    for target in policy.targets:
        if target.is_gateway:
            yield from _gateway_problems(policy, mesh, target)
        elif target.is_service:
            yield from _service_problems(policy, mesh, target)
