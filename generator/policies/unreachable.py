"""The problems of a `selector` policy that cannot be enforced where ambient puts it, each saying
what would happen: an outage (ztunnel denies what it cannot read; behind a waypoint it sees the
waypoint, not the caller) or a hole (nothing enforces the policy)."""

from __future__ import annotations

from ..mesh import MeshWorkload, NamespaceMesh, WaypointOwner
from ..problems import Location, Problem, format_path
from ..profile.model import WaypointMode
from .attributes import PolicyAttributes, names
from .model import Action, AuthorizationPolicy
from .routes import Route, described


def _location(policy: AuthorizationPolicy, attributes: PolicyAttributes, client: bool = False) -> Location:
    found = attributes.client if client else attributes.l7
    if found:
        return policy.at(*found[0].spec_path, at_key=True)
    if "action" in policy.spec:
        return policy.at("action", at_key=True)
    return policy.at("selector", at_key=True) if "selector" in policy.spec else policy.written.at(("metadata", "name"))


def _waypoint_hint(mesh: NamespaceMesh, routes: str) -> str:
    cluster = mesh.cluster
    if cluster.waypoint_mode is WaypointMode.EXPLICIT:
        return (f"give namespace {mesh.namespace.name} a waypoint and route {routes} through it (`waypoint: {{for: "
                "service, use: namespace}`), or keep only L4 attributes in the policy")
    if cluster.waypoint_mode is WaypointMode.TSB_MANAGED:
        return (f"let TSB deploy its waypoint in namespace {mesh.namespace.name} ({format_path(cluster.path)}."
                "ambient.waypoints.namespaces), or keep only L4 attributes in the policy")
    return (f"cluster {cluster.name} has waypoints off: set its waypoint mode to explicit and give the namespace a "
            "waypoint, or keep only L4 attributes in the policy")


def _for_mismatch(mesh: NamespaceMesh, direct: tuple[Route, ...]) -> Route | None:
    """A route whose target is labelled to use the waypoint, which does not handle that traffic."""
    waypoint = mesh.waypoint
    if waypoint is None:
        return None
    for route in direct:
        if route.service is None and route.workload.name in waypoint.workloads:
            return route
        if route.service is not None and route.service.name in waypoint.services:
            return route
    return None


def no_waypoint_problem(policy: AuthorizationPolicy, mesh: NamespaceMesh, attributes: PolicyAttributes,
                        direct: tuple[Route, ...]) -> Problem:
    """An L7, CUSTOM or AUDIT policy whose traffic (some of it) crosses no waypoint."""
    workloads = described([route.workload.name for route in direct])
    paths = described([route.describe() for route in direct])
    mismatch = _for_mismatch(mesh, direct)
    if mismatch is not None and mesh.waypoint is not None:
        waypoint = mesh.waypoint
        kind = "a Service" if mismatch.service else "its pods (no Service selects them)"
        return Problem(
            f"policy {policy.name} guards {mismatch.workload.name}, whose traffic is addressed to {kind}; waypoint "
            f"'{waypoint.name}' is for {waypoint.traffic.value} traffic and never sees it: on the waypoint the policy "
            f"would never be enforced (hole), on the selector ztunnel cannot enforce it",
            "waypoint-for", policy.profile_path,
            f"give the waypoint `for: all` ({format_path(waypoint.path)})",
            location=_location(policy, attributes),
        )
    if policy.action in (Action.CUSTOM, Action.AUDIT):
        effect = ("its provider would never be asked and every request passes (fail open)"
                  if policy.action is Action.CUSTOM else "nothing would be audited")
        message = (f"policy {policy.name} is {policy.action.value}, which ztunnel ignores, and no waypoint is in the "
                   f"path of {workloads} ({paths}): {effect}")
        rule = "ztunnel-ignores-policy"
    else:
        effect = ("ztunnel turns it into a DENY: every request to them that only these rules allowed is refused "
                  "(deny-all where every rule is L7)" if policy.action is Action.ALLOW else
                  "ztunnel enforces a DENY without its L7 conditions: it denies every request its L4 part matches")
        message = (f"policy {policy.name} uses {names(attributes.l7)}, which ztunnel cannot evaluate, and no waypoint "
                   f"is in the path of {workloads} ({paths}): {effect} (outage)")
        rule = "l7-policy-on-ztunnel"
    return Problem(message, rule, policy.profile_path, _waypoint_hint(mesh, paths),
                   location=_location(policy, attributes))


def _via(mesh: NamespaceMesh, via: tuple[Route, ...]) -> str:
    name = mesh.waypoint.name if mesh.waypoint else "?"
    owner = " (TSB's)" if mesh.waypoint and mesh.waypoint.owner is WaypointOwner.TSB else ""
    return f"waypoint '{name}'{owner} (via {described([route.describe() for route in via])})"


def scope_problem(policy: AuthorizationPolicy, mesh: NamespaceMesh, attributes: PolicyAttributes,
                  selected: tuple[MeshWorkload, ...], via: tuple[Route, ...], reason: str, why: str) -> Problem:
    """A policy that must move to the waypoint and cannot without guarding more than it selects."""
    return Problem(
        f"policy {policy.name} must move to {_via(mesh, via)} ({reason}; left on the selector ztunnel would deny "
        f"or ignore it), and gen cannot attach it there: {why}",
        "policy-scope", policy.profile_path,
        "select whole Services (every workload behind each Service the traffic uses), or route only the selected "
        "workloads through the waypoint",
        location=policy.at("selector", at_key=True) if "selector" in policy.spec else _location(policy, attributes),
    )


def identity_problem(policy: AuthorizationPolicy, mesh: NamespaceMesh, attributes: PolicyAttributes,
                     selected: tuple[MeshWorkload, ...], via: tuple[Route, ...], reason: str, why: str) -> Problem:
    """A policy that matches callers, for workloads whose traffic now arrives through the waypoint."""
    negative = any(attribute.negative for attribute in attributes.client)
    if policy.action is Action.ALLOW or negative:
        effect = "it would deny every request through the waypoint (outage)"
    else:
        effect = "it would never match a request through the waypoint, and the callers it denies pass (hole)"
    workloads = described([workload.name for workload in selected])
    return Problem(
        f"traffic to {workloads} now arrives through {_via(mesh, via)}, so ztunnel sees the waypoint "
        f"({mesh.waypoint_principal}), not the callers policy {policy.name} names ({names(attributes.client)}): "
        f"{effect}; gen cannot move it to the waypoint: {why}",
        "waypoint-identity", policy.profile_path,
        "select whole Services (every workload behind each Service the traffic uses), or keep these workloads out "
        "of the waypoint's path",
        location=_location(policy, attributes, client=True),
    )
