"""The calls an estate's README shows and its verify scripts make: for each pair of namespaces
where the caller runs a curl client and the callee an entry point (migration/probes.py), the path
the request takes in the seeds' style (client -> ztunnel -> waypoint -> ztunnel -> pod), the
outcome `gen matrix` decides with its deciding rule, the component that enforces it, and what curl
prints."""

from __future__ import annotations

from dataclasses import dataclass

# The planners first: mesh.py imports them, and they import mesh.py (loaded from them, it is whole).
from ..plan import policies as _planners  # noqa: F401
from ..matrix import Decision, namespace_matrix
from ..mesh import NamespaceMesh, WaypointOwner, meshes
from ..migration.probes import DENIED, RESET, calls
from ..profile.model import Dataplane, Profile

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


def estate_calls(profile: Profile) -> list[EstateCall]:
    """Every call the estate's apps can make, in `gen matrix` order."""
    by_place = {(mesh.cluster.name, mesh.namespace.name): mesh for mesh in meshes(profile)}
    found = []
    for call in calls(profile, namespace_matrix(profile), None):
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
