"""The calls an estate's README shows and its verify scripts make, with the path the request takes
in the seeds' style (client -> ztunnel -> waypoint -> ztunnel -> pod), the outcome `gen matrix`
decides with its deciding rule, the component that enforces it, and what curl prints.

Which calls: a caller runs a curl client and the callee an entry point (migration/probes.py), in one
cluster, and either they are one namespace (the calls its own apps make), or an allow or deny rule
names the caller's and the callee's workspaces or tenants (one call per rule: the first such pair).
That keeps the list, the README and each script linear in the estate; `gen matrix --namespaces`
lists every pair."""

from __future__ import annotations

from dataclasses import dataclass

# The planners first: mesh.py imports them, and they import mesh.py (loaded from them, it is whole).
from ..plan import policies as _planners  # noqa: F401
from ..matrix import Decision, MatrixEntry, effective_by_workspace, namespace_entry
from ..matrix import owners as matrix_owners
from ..mesh import NamespaceMesh, WaypointOwner, meshes
from ..migration.probes import CLIENTS, DENIED, ENTRY_POINTS, RESET, calls
from ..profile.model import Dataplane, Profile, TenancyRef, Workspace

OUTCOMES = {Decision.ALLOW.value: "allowed", Decision.DENY.value: "denied", Decision.CONDITIONAL.value: "conditional"}


@dataclass(frozen=True)
class EstateCall:
    cluster: str
    source: str  # namespace
    client: str  # deploy/<name>
    target: str  # namespace
    url: str
    command: tuple[str, ...]  # kubectl exec ... curl ...
    outcome: str  # allowed | denied | conditional
    decided_by: str  # the rule (TSB's, from `gen matrix`)
    component: str  # who enforces it
    expect: str  # what curl prints
    hops: tuple[str, ...]  # the path, client first

    @property
    def path(self) -> str:
        return " → ".join(self.hops)

    @property
    def status(self) -> str:
        """What the verify script compares: `ok` (an answer), `denied` (403 from a proxy) or `reset`."""
        if self.expect == DENIED:
            return "denied"
        if self.expect == RESET:
            return "reset"
        return "ok" if self.outcome == "allowed" else "conditional"


def _waypoint(mesh: NamespaceMesh, service: str) -> str | None:
    """The waypoint traffic to `service` crosses, as the README names it."""
    waypoint = mesh.waypoint
    found = mesh.service(service)
    if waypoint is None or found is None or not mesh.ambient or not mesh.handles_service(found):
        return None
    owner = "TSB" if waypoint.owner is WaypointOwner.TSB else "gen"
    return f"waypoint {waypoint.name} ({owner})"


def _hops(source: NamespaceMesh, client: str, target: NamespaceMesh, service: str, answer: str) -> tuple[str, ...]:
    hops = [f"{client.removeprefix('deploy/')} ({source.namespace.name})"]
    hops.append("ztunnel" if source.ambient else ("istio-proxy" if source.namespace.dataplane is Dataplane.SIDECAR
                                                  else "(no proxy)"))
    waypoint = _waypoint(target, service)
    if waypoint:
        hops.append(waypoint)
    if target.ambient:
        hops.append("ztunnel")
    elif target.namespace.dataplane is Dataplane.SIDECAR:
        hops.append("istio-proxy")
    hops.append(f"{answer} ({target.namespace.name})")
    return tuple(hops)


def _component(target: NamespaceMesh, service: str) -> str:
    """Who enforces TSB's rules for calls to `service`: the waypoint where it crosses one, else the
    destination's ztunnel (ambient) or its sidecar."""
    waypoint = _waypoint(target, service)
    if waypoint:
        return waypoint
    if target.ambient:
        return "ztunnel (destination)"
    return "istio-proxy (destination)" if target.namespace.dataplane is Dataplane.SIDECAR else "none: not in the mesh"


Placement = tuple[str, str, Workspace | None]  # cluster, namespace, its workspace


def _named(ref: TenancyRef, workspace: Workspace | None) -> bool:
    return workspace is not None and workspace.tenant == ref.tenant and ref.workspace in (None, workspace.name)


def _pairs(profile: Profile) -> list[tuple[Placement, Placement]]:
    owners = matrix_owners(profile, [(c, n.name) for n in profile.namespaces for c in n.clusters])
    clients = [(c, n.name, owners[(c, n.name)]) for n in profile.namespaces if any(a in CLIENTS for a in n.apps)
               for c in n.clusters]
    entries = [(c, n.name, owners[(c, n.name)]) for n in profile.namespaces if any(a in ENTRY_POINTS for a in n.apps)
               for c in n.clusters]
    # Keyed by (cluster, namespace): a placement's workspace is a deep dataclass, slow to hash.
    entry_set = {place[:2] for place in entries}
    pairs = [(place, place) for place in clients if place[:2] in entry_set]
    settings = [(tenant.security, None) for tenant in profile.tenants] + \
        [(workspace.security, workspace) for workspace in profile.workspaces]
    # Entry points by (cluster, tenant) and (cluster, tenant, workspace): a rule's pair is found in
    # one pass over the callers it names, whatever the estate's size.
    by_ref: dict[tuple[str, ...], list[Placement]] = {}
    for place in entries:
        if place[2] is not None:
            by_ref.setdefault((place[0], place[2].tenant), []).append(place)
            by_ref.setdefault((place[0], place[2].tenant, place[2].name), []).append(place)
    for security, _ in settings:
        authorization = security.authorization if security is not None else None
        for rule in (*authorization.allow, *authorization.deny) if authorization is not None else ():
            target_ref = (rule.target.tenant,) + ((rule.target.workspace,) if rule.target.workspace else ())
            pair = next(((source, target) for source in clients if _named(rule.source, source[2])
                         for target in by_ref.get((source[0], *target_ref), [])[:2] if target[1] != source[1]), None)
            if pair is not None:
                pairs.append(pair)
    seen: set[tuple[tuple[str, str], tuple[str, str]]] = set()
    unique = []
    for source, target in pairs:  # the first of each pair of places (a place has one workspace)
        if (source[:2], target[:2]) not in seen:
            seen.add((source[:2], target[:2]))
            unique.append((source, target))
    return unique


# The calls of the last profile asked for: the README and every cluster's verify script ask for the
# same (a frozen model, compared by identity).
_last: list[tuple[Profile, list[EstateCall]]] = []


def estate_calls(profile: Profile) -> list[EstateCall]:
    """The calls of the module's docstring, the namespaces' own first, then one per rule."""
    for seen, found in _last:
        if seen is profile:
            return found
    found = _estate_calls(profile)
    _last[:] = [(profile, found)]
    return found


def _estate_calls(profile: Profile) -> list[EstateCall]:
    by_place = {(mesh.cluster.name, mesh.namespace.name): mesh for mesh in meshes(profile)}
    effective = effective_by_workspace(profile)
    entries: list[MatrixEntry] = [namespace_entry(effective, source, target) for source, target in _pairs(profile)]
    found = []
    for call in calls(profile, entries, None):
        cluster, _, source = call.source.partition("/")
        target = call.target.partition("/")[2]
        url = next(word for word in call.command if ".svc.cluster.local:" in word)
        service = url.split(".", 1)[0]
        source_mesh, target_mesh = by_place[(cluster, source)], by_place[(cluster, target)]
        client = call.command[call.command.index("--") - 1]
        found.append(EstateCall(
            cluster, source, client, target, url, call.command, OUTCOMES.get(call.decision, call.decision),
            call.decided_by, _component(target_mesh, service), call.expect,
            _hops(source_mesh, client, target_mesh, service, service),
        ))
    return found
