"""DIRECT-mode AuthorizationPolicies -> where ambient enforces them.

For a namespace that is not ambient, or a policy already attached with `targetRef(s)`, the policy
passes through unchanged (the latter after checking that traffic reaches its targets: see
targets.py). A `selector` policy (or one for the whole namespace) in an ambient namespace:

| the policy                                   | no waypoint in its path  | its traffic crosses the waypoint    |
| -------------------------------------------- | ------------------------ | ----------------------------------- |
| L4, independent of the caller (ports)        | kept                     | kept                                |
| L4, matches callers (principals, namespaces) | kept                     | moved, plus a ztunnel part          |
| L7 attributes (hosts, methods, paths,        | error: ztunnel turns it  | moved (ALLOW and DENY also leave    |
| headers, request principals, remote IPs)     | into a DENY (outage)     | a ztunnel part)                     |
| CUSTOM or AUDIT                              | error: ztunnel ignores   | moved                               |
|                                              | it (fail open)           |                                     |

"Moved": to `targetRefs` on the Services the traffic arrives through, or on the waypoint Gateway
(routes.py). The ztunnel part, `<name>-ztunnel`, stays on the selector: for ALLOW it admits the
waypoint's identity (and keeps the policy's L4 rules where traffic can still reach the pods
without the waypoint); for DENY it keeps the L4 rules, which exempt the waypoint.

Whatever ztunnel enforces (a policy kept on its selector, a ztunnel part) names principals in the
cluster's real trust domain (identity.py), at every phase of a migration too.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ..mesh import MeshWorkload, NamespaceMesh
from ..problems import Problem, Severity
from . import notes
from .identity import ztunnel_rules, ztunnel_spec
from .attributes import PolicyAttributes, names, policy_attributes
from .model import Action, Attachment, AuthorizationPolicy, Pairs
from .routes import Route, described, routes, spec_with_targets, targets
from .targets import target_problems
from .unreachable import identity_problem, no_waypoint_problem, scope_problem

ZTUNNEL_SUFFIX = "-ztunnel"
MAX_NAME = 253


@dataclass(frozen=True)
class RenderedPolicy:
    """One AuthorizationPolicy gen writes."""

    name: str
    namespace: str
    labels: Pairs
    annotations: Pairs
    spec: Mapping[str, Any]  # plain data, in output order
    notes: tuple[str, ...]
    origin: AuthorizationPolicy


@dataclass(frozen=True)
class Translation:
    policies: tuple[RenderedPolicy, ...] = ()
    problems: tuple[Problem, ...] = ()


def _rendered(policy: AuthorizationPolicy, mesh: NamespaceMesh, spec: Mapping[str, Any], lines: tuple[str, ...],
              name: str | None = None) -> RenderedPolicy:
    return RenderedPolicy(name or policy.name, mesh.namespace.name, policy.labels, policy.annotations, spec, lines,
                          policy)


def _reason(policy: AuthorizationPolicy, attributes: PolicyAttributes) -> str:
    if policy.action in (Action.CUSTOM, Action.AUDIT):
        return f"ztunnel ignores {policy.action.value} policies"
    if attributes.l7:
        return f"its rules use {names(attributes.l7)}, which ztunnel cannot evaluate"
    return (f"its rules match callers ({names(attributes.client)}), and behind the waypoint ztunnel sees the "
            "waypoint, not the caller")


def exempt_waypoint(rule: Mapping[str, Any], principal: str) -> dict[str, Any]:
    """A DENY rule that no longer matches the waypoint: its sources exclude the waypoint's identity."""
    sources = [dict(item.get("source") or {}) for item in rule.get("from") or [{}]]
    for source in sources:
        source["notPrincipals"] = [*source.get("notPrincipals", []), principal]
    return {"from": [{"source": source} for source in sources], **{k: v for k, v in rule.items() if k != "from"}}


def _kept(policy: AuthorizationPolicy, mesh: NamespaceMesh, workloads: str, identity_free: bool) -> Translation:
    """The policy stays on its selector, where ztunnel enforces it."""
    spec, found = ztunnel_spec(policy, mesh)
    lines = notes.kept(policy, mesh, workloads, identity_free, found.rewritten)
    return Translation((_rendered(policy, mesh, spec, lines),), found.problems)


def _ztunnel_part(policy: AuthorizationPolicy, mesh: NamespaceMesh, attributes: PolicyAttributes,
                  selected: tuple[MeshWorkload, ...], target: str) -> Translation:
    """What stays on the selector once the policy moved to the waypoint (nothing, if nothing needs to)."""
    if policy.action not in (Action.ALLOW, Action.DENY):
        return Translation()
    principal = mesh.waypoint_principal
    direct = not all(mesh.handles_pods(workload) for workload in selected)  # pods reachable without it
    found = ztunnel_rules(policy, mesh, attributes.l4_rules if direct else ())
    kept = list(found.rules)
    name = policy.name + ZTUNNEL_SUFFIX
    selector = {"selector": policy.spec["selector"]} if "selector" in policy.spec else {}
    if policy.action is Action.ALLOW:
        admit = {"from": [{"source": {"principals": [principal]}}]}
        if kept:
            rest = ("The policy's L4 rules still admit callers that reach the pods directly (traffic addressed to "
                    "the pods skips a service waypoint).")
        elif direct:
            rest = ("Callers that reach the pods without the waypoint are refused: ztunnel cannot evaluate the "
                    "policy's L7 rules.")
        else:
            rest = "Every route to the pods crosses the waypoint, so ztunnel admits the waypoint only."
        spec = {**selector, "action": "ALLOW", "rules": [*kept, admit]}
        lines = notes.ztunnel_part(policy, mesh, target, rest, found.rewritten)
        return Translation((_rendered(policy, mesh, spec, lines, name),), found.problems)
    if not kept:
        return Translation()
    spec = {**selector, "action": "DENY", "rules": [exempt_waypoint(rule, principal) for rule in kept]}
    rest = ("Its L4 rules still deny callers that reach the pods directly; the waypoint, which enforces them "
            "itself, is exempt.")
    lines = notes.ztunnel_part(policy, mesh, target, rest, found.rewritten)
    return Translation((_rendered(policy, mesh, spec, lines, name),), found.problems)


def _selected(policy: AuthorizationPolicy, mesh: NamespaceMesh) -> tuple[MeshWorkload, ...]:
    """The workloads in ambient that the policy selects."""
    return tuple(workload for workload in mesh.selected(policy.selector) if workload.ambient)


def _move(policy: AuthorizationPolicy, mesh: NamespaceMesh, attributes: PolicyAttributes,
          selected: tuple[MeshWorkload, ...], via: tuple[Route, ...]) -> Translation:
    where = targets(mesh, selected, via, policy.attachment is Attachment.NAMESPACE)
    reason = _reason(policy, attributes)
    if where.problem is not None:
        problem = (scope_problem if attributes.l7 or policy.action in (Action.CUSTOM, Action.AUDIT)
                   else identity_problem)(policy, mesh, attributes, selected, via, reason, where.problem)
        return Translation(problems=(problem,))
    moved = _rendered(policy, mesh, spec_with_targets(dict(policy.spec), where.refs),
                      notes.moved(policy, mesh, where.what, reason))
    part = _ztunnel_part(policy, mesh, attributes, selected, where.what)
    return Translation((moved, *part.policies), part.problems)


def translate(policy: AuthorizationPolicy, mesh: NamespaceMesh) -> Translation:
    if not mesh.ambient:
        return Translation(policies=(_rendered(policy, mesh, policy.spec, notes.unchanged(policy, mesh)),))
    if policy.attachment in (Attachment.TARGET_REF, Attachment.TARGET_REFS):
        return Translation((_rendered(policy, mesh, policy.spec, notes.unchanged(policy, mesh)),),
                           tuple(target_problems(policy, mesh)))
    attributes = policy_attributes(policy)
    needs_waypoint = bool(attributes.l7) or policy.action in (Action.CUSTOM, Action.AUDIT)
    selected = _selected(policy, mesh)
    outside = [workload.name for workload in mesh.selected(policy.selector) if not workload.ambient]
    if outside and not selected:
        return Translation(policies=(_rendered(policy, mesh, policy.spec,
                                               notes.unchanged(policy, mesh, described(outside))),))
    if not selected:
        severity = Severity.ERROR if needs_waypoint else Severity.WARNING
        problem = Problem(
            f"policy {policy.name} selects no workload gen renders in namespace {mesh.namespace.name}",
            "policy-selects-nothing", policy.profile_path,
            "gen places a policy by the workloads it selects: add the app to the namespace, or fix the selector",
            severity,
            location=policy.at("selector", at_key=True) if policy.selector else policy.written.at(("metadata", "name")),
        )
        if needs_waypoint:
            return Translation(problems=(problem,))
        kept = _kept(policy, mesh, "its workloads", not attributes.client)
        return Translation(kept.policies, (problem, *kept.problems))
    paths = routes(mesh, selected)
    via = tuple(route for route in paths if route.via_waypoint)
    direct = tuple(route for route in paths if not route.via_waypoint)
    if needs_waypoint:
        if direct:
            return Translation(problems=(no_waypoint_problem(policy, mesh, attributes, direct),))
        return _move(policy, mesh, attributes, selected, via)
    if attributes.client and via:
        return _move(policy, mesh, attributes, selected, via)
    return _kept(policy, mesh, described([workload.name for workload in selected]), not attributes.client)


def translate_namespace(policies: Iterable[AuthorizationPolicy], mesh: NamespaceMesh) -> Translation:
    """Every policy of one namespace on one cluster, and names that would collide."""
    rendered: list[RenderedPolicy] = []
    problems: list[Problem] = []
    taken = {policy.name: policy for policy in policies}
    for policy in taken.values():
        translation = translate(policy, mesh)
        problems += translation.problems
        for item in translation.policies:
            clash = taken.get(item.name)
            if item.name != policy.name and (clash is not None or len(item.name) > MAX_NAME):
                problems.append(Problem(
                    f"gen names the ztunnel part of policy {policy.name} {item.name!r}, "
                    + (f"which policy in {clash.written.shown} already uses" if clash else "longer than 253 characters"),
                    "policy-name", policy.profile_path, "rename one of the policies",
                    location=policy.written.at(("metadata", "name")),
                ))
                continue
            rendered.append(item)
    return Translation(tuple(rendered), tuple(problems))
