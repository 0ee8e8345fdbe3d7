"""Who may call whom: TSB's authorization decision for every pair of workspaces or namespaces.

Shared by the checks (which settings expose which workspaces) and by `gen matrix`. The facts are
those of DESIGN.md section 5b:

- A workspace's effective security comes from its tenant's settings and its own, combined by the
  propagation strategy set on the tenant (the parent governs the parent->child step; REPLACE
  unless it says STRICTER). Two properties propagate: `trafficMode`, and `authorization` (the mode
  with its rules, as one unit, since rules mean nothing without their mode).
  REPLACE: the workspace's property, where it sets one, replaces the tenant's.
  STRICTER: the stricter one wins (`MODE_ORDER`, `TRAFFIC_ORDER`); when both are RULES, both
  rule sets apply: every deny of either, and the allows of each (the workspace's can only narrow
  the tenant's).
- Authorization is enforced where the call arrives: the callee's effective settings decide.
- RULES: denyAll -> deny; a matching deny -> deny; no allow rules -> allow; a matching allow ->
  allow; else deny. A rule matches when its `from` contains the caller and its `to` the callee
  (a tenant contains its workspaces).
- UNSET is TSB's "not set": it inherits like an omitted property. With no mode set anywhere,
  TSB's default DISABLED applies. DISABLED allows; WORKSPACE allows the same workspace;
  NAMESPACE the same namespace; CLUSTER the same cluster; GROUP the same security group; CUSTOM
  leaves it to an external service. Where a pair of workspaces is too coarse to tell (CLUSTER,
  CUSTOM, NAMESPACE or GROUP inside one workspace), the decision is `conditional` and
  `decided_by` says on what.
- A referenced tenant whose settings the profile does not give counts as having none.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from .problems import ProfilePath, format_path
from .profile.model import (
    Authorization,
    AuthorizationMode,
    Profile,
    PropagationStrategy,
    Rule,
    SecuritySettings,
    Tenant,
    TrafficMode,
    Workspace,
)

# Weakest first (DESIGN.md 5b).
MODE_ORDER = (
    AuthorizationMode.UNSET,
    AuthorizationMode.DISABLED,
    AuthorizationMode.CLUSTER,
    AuthorizationMode.WORKSPACE,
    AuthorizationMode.NAMESPACE,
    AuthorizationMode.GROUP,
    AuthorizationMode.RULES,
    AuthorizationMode.CUSTOM,
)
TRAFFIC_ORDER = (TrafficMode.UNSET, TrafficMode.OPTIONAL, TrafficMode.REQUIRED)


class Decision(StrEnum):
    ALLOW = "allow"
    DENY = "deny"
    CONDITIONAL = "conditional"


@dataclass(frozen=True)
class EffectiveSecurity:
    """What holds for one workspace after propagation, and where each part was set."""

    traffic_mode: TrafficMode
    traffic_mode_path: ProfilePath | None  # None: set nowhere in the profile
    # The authorizations in force, tenant's first: none, one, or (STRICTER, both RULES) two.
    authorizations: tuple[Authorization, ...]

    @property
    def mode(self) -> AuthorizationMode:
        return self.authorizations[0].mode if self.authorizations else AuthorizationMode.UNSET


@dataclass(frozen=True)
class Party:
    """One side of a call: its workspace (None: in no workspace) and, for namespace pairs, where it runs."""

    workspace: Workspace | None
    cluster: str | None = None
    namespace: str | None = None


@dataclass(frozen=True)
class Verdict:
    decision: Decision
    decided_by: str
    path: ProfilePath | None = None  # the rule or setting that decided; None when a default did


@dataclass(frozen=True)
class MatrixEntry:
    source: str
    target: str
    decision: Decision
    decided_by: str
    path: ProfilePath | None

    def record(self) -> dict[str, str]:
        return {"from": self.source, "to": self.target, "decision": self.decision.value, "decidedBy": self.decided_by}


def _strategy(parent: SecuritySettings | None) -> PropagationStrategy:
    return parent.propagation if parent and parent.propagation else PropagationStrategy.REPLACE


def _traffic_mode(
    parent: SecuritySettings | None, child: SecuritySettings | None, strategy: PropagationStrategy
) -> tuple[TrafficMode, ProfilePath | None]:
    defined = [
        (s.traffic_mode, (*s.path, "trafficMode"))
        for s in (parent, child)
        if s and s.traffic_mode not in (None, TrafficMode.UNSET)
    ]
    if not defined:
        return TrafficMode.UNSET, None
    if strategy is PropagationStrategy.REPLACE:
        return defined[-1]
    return max(defined, key=lambda item: TRAFFIC_ORDER.index(item[0]))  # a tie keeps the tenant's


def _authorizations(
    parent: Authorization | None, child: Authorization | None, strategy: PropagationStrategy
) -> tuple[Authorization, ...]:
    defined = [a for a in (parent, child) if a is not None and a.mode is not AuthorizationMode.UNSET]
    if len(defined) < 2 or strategy is PropagationStrategy.REPLACE:
        return tuple(defined[-1:])
    if all(a.mode is AuthorizationMode.RULES for a in defined):
        return tuple(defined)
    return (max(defined, key=lambda a: MODE_ORDER.index(a.mode)),)  # a tie keeps the tenant's


def effective_security(tenant: Tenant | None, workspace: Workspace) -> EffectiveSecurity:
    parent = tenant.security if tenant else None
    child = workspace.security
    strategy = _strategy(parent)
    traffic_mode, traffic_mode_path = _traffic_mode(parent, child, strategy)
    authorizations = _authorizations(
        parent.authorization if parent else None, child.authorization if child else None, strategy
    )
    return EffectiveSecurity(traffic_mode, traffic_mode_path, authorizations)


def effective_by_workspace(profile: Profile) -> dict[tuple[str, str], EffectiveSecurity]:
    """Keyed by (tenant, workspace)."""
    return {
        (tenant.name, workspace.name): effective_security(tenant, workspace)
        for tenant in profile.tenants
        for workspace in tenant.workspaces
    }


def _rule_text(kind: str, rule: Rule) -> str:
    return f"{kind} rule {format_path(rule.path)} ({rule.source} -> {rule.target})"


def _matches(rule: Rule, caller: Party, callee: Workspace) -> bool:
    return (
        caller.workspace is not None
        and rule.source.contains(caller.workspace.ref)
        and rule.target.contains(callee.ref)
    )


def _decide_rules(authorizations: tuple[Authorization, ...], caller: Party, callee: Workspace) -> Verdict:
    for authorization in authorizations:
        if authorization.deny_all:
            path = (*authorization.path, "denyAll")
            return Verdict(Decision.DENY, f"denyAll ({format_path(path)})", path)
    for authorization in authorizations:
        for rule in authorization.deny:
            if _matches(rule, caller, callee):
                return Verdict(Decision.DENY, _rule_text("deny", rule), rule.path)
    allowing = [authorization for authorization in authorizations if authorization.allow]
    if not allowing:
        where = format_path((*authorizations[-1].path, "mode"))
        return Verdict(Decision.ALLOW, f"mode RULES ({where}) with no allow rules: allowed", authorizations[-1].path)
    matched: Rule | None = None
    for authorization in allowing:
        matched = next((rule for rule in authorization.allow if _matches(rule, caller, callee)), None)
        if matched is None:
            outside = "; the caller is in no workspace" if caller.workspace is None else ""
            return Verdict(
                Decision.DENY,
                f"no allow rule of {format_path(authorization.path)} matches{outside}",
                authorization.path,
            )
    assert matched is not None
    return Verdict(Decision.ALLOW, _rule_text("allow", matched), matched.path)


def _same_workspace(caller: Party, callee: Workspace) -> bool:
    return caller.workspace is not None and caller.workspace.ref == callee.ref


def decide(security: EffectiveSecurity, caller: Party, callee: Party) -> Verdict:
    """May `caller` call `callee` (which is in a workspace), under the callee's `security`?"""
    target = callee.workspace
    assert target is not None, "a callee in no workspace has no TSB authorization"
    if not security.authorizations:
        return Verdict(Decision.ALLOW, "no authorization set: TSB's default (DISABLED) allows")
    mode = security.mode
    path = (*security.authorizations[-1].path, "mode")
    set_at = f"mode {mode.value} ({format_path(path)})"
    same_workspace = _same_workspace(caller, target)
    known_place = callee.cluster is not None and caller.cluster is not None
    if mode is AuthorizationMode.DISABLED:
        return Verdict(Decision.ALLOW, f"{set_at}: no authorization, allowed", path)
    if mode is AuthorizationMode.RULES:
        return _decide_rules(security.authorizations, caller, target)
    if mode is AuthorizationMode.WORKSPACE:
        if same_workspace:
            return Verdict(Decision.ALLOW, f"{set_at}: same workspace", path)
        return Verdict(Decision.DENY, f"{set_at}: same workspace only", path)
    if mode is AuthorizationMode.NAMESPACE:
        if known_place:
            same = (caller.cluster, caller.namespace) == (callee.cluster, callee.namespace)
            return Verdict(Decision.ALLOW if same else Decision.DENY, f"{set_at}: same namespace only", path)
        if not same_workspace:
            return Verdict(Decision.DENY, f"{set_at}: same namespace only", path)
        return Verdict(Decision.CONDITIONAL, f"{set_at}: allowed only within one namespace", path)
    if mode is AuthorizationMode.CLUSTER:
        if known_place:
            same = caller.cluster == callee.cluster
            return Verdict(Decision.ALLOW if same else Decision.DENY, f"{set_at}: same cluster only", path)
        return Verdict(Decision.CONDITIONAL, f"{set_at}: allowed only from the same cluster", path)
    if mode is AuthorizationMode.GROUP:
        if not same_workspace:
            return Verdict(Decision.DENY, f"{set_at}: same security group only (a group lies in one workspace)", path)
        return Verdict(Decision.CONDITIONAL, f"{set_at}: allowed only within one security group", path)
    return Verdict(Decision.CONDITIONAL, f"{set_at}: an external authorization service decides", path)


def _ref_text(workspace: Workspace) -> str:
    return str(workspace.ref)


def workspace_matrix(profile: Profile) -> list[MatrixEntry]:
    """Every ordered pair of workspaces (a workspace calling itself included), in profile order."""
    effective = effective_by_workspace(profile)
    entries = []
    for source in profile.workspaces:
        for target in profile.workspaces:
            verdict = decide(effective[(target.tenant, target.name)], Party(source), Party(target))
            entries.append(
                MatrixEntry(_ref_text(source), _ref_text(target), verdict.decision, verdict.decided_by, verdict.path)
            )
    return entries


def _part_matches(pattern: str, name: str) -> bool:
    if pattern == "*":
        return True
    if pattern.endswith("*"):
        return name.startswith(pattern[:-1])
    return pattern == name


def selector_matches(selector: str, cluster: str, namespace: str) -> bool:
    """Whether a `namespaceSelector.names` item (`*/caffeine`, `east/team-*`) selects a namespace."""
    cluster_part, _, namespace_part = selector.partition("/")
    return _part_matches(cluster_part, cluster) and _part_matches(namespace_part, namespace)


def namespace_placements(profile: Profile) -> list[tuple[str, str]]:
    """(cluster, namespace) of every namespace the profile declares or a selector names exactly
    (`*/client` names `client` on every declared cluster; `team-*` names no particular one)."""
    clusters = [cluster.name for cluster in profile.clusters]
    found = {(cluster, namespace.name) for namespace in profile.namespaces for cluster in namespace.clusters}
    for workspace in profile.workspaces:
        for selector in workspace.namespace_selectors:
            cluster_part, _, name = selector.partition("/")
            if "*" not in name:
                found.update((cluster, name) for cluster in clusters if _part_matches(cluster_part, cluster))
    return sorted(found)


def owners(profile: Profile, placements: Iterable[tuple[str, str]]) -> dict[tuple[str, str], Workspace | None]:
    """The workspace of each (cluster, namespace): the first in profile order whose selectors match.
    Selectors are indexed by the namespace they name exactly, so that a look-up costs the selectors
    that could match it (those naming it, and the patterns), not every selector of the estate."""
    exact: dict[str, list[tuple[int, str, Workspace]]] = {}
    patterns: list[tuple[int, str, Workspace]] = []
    for order, workspace in enumerate(profile.workspaces):
        for selector in workspace.namespace_selectors:
            name = selector.partition("/")[2]
            (patterns if "*" in name else exact.setdefault(name, [])).append((order, selector, workspace))
    found: dict[tuple[str, str], Workspace | None] = {}
    for cluster, namespace in placements:
        candidates = sorted([*exact.get(namespace, []), *patterns], key=lambda item: item[0])
        found[(cluster, namespace)] = next(
            (workspace for _, selector, workspace in candidates if selector_matches(selector, cluster, namespace)),
            None)
    return found


def namespace_entry(effective: dict[tuple[str, str], EffectiveSecurity], source: tuple[str, str, Workspace | None],
                    target: tuple[str, str, Workspace | None]) -> MatrixEntry:
    """One ordered pair of namespaces, (cluster, namespace, its workspace) each, decided by their
    workspaces' effective settings (`effective_by_workspace`)."""
    source_cluster, source_namespace, source_workspace = source
    target_cluster, target_namespace, target_workspace = target
    if target_workspace is None:
        verdict = Verdict(Decision.ALLOW, "the callee's namespace is in no workspace: TSB authorizes nothing there")
    else:
        verdict = decide(
            effective[(target_workspace.tenant, target_workspace.name)],
            Party(source_workspace, source_cluster, source_namespace),
            Party(target_workspace, target_cluster, target_namespace),
        )
        caller = _ref_text(source_workspace) if source_workspace else "no workspace"
        verdict = Verdict(verdict.decision, f"{caller} -> {_ref_text(target_workspace)}: {verdict.decided_by}",
                          verdict.path)
    return MatrixEntry(f"{source_cluster}/{source_namespace}", f"{target_cluster}/{target_namespace}",
                       verdict.decision, verdict.decided_by, verdict.path)


def namespace_matrix(profile: Profile) -> list[MatrixEntry]:
    """Every ordered pair of namespaces (`cluster/namespace`), decided by their workspaces."""
    effective = effective_by_workspace(profile)
    found = owners(profile, namespace_placements(profile))
    placements = [(cluster, namespace, workspace) for (cluster, namespace), workspace in found.items()]
    return [namespace_entry(effective, source, target) for source in placements for target in placements]
