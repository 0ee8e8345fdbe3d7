"""What a phase asks people to look at: pods, and calls between namespaces with their outcome.

Calls follow seed 004: `kubectl exec -n <caller> deploy/sleep -- curl -s <service>.<namespace>.
svc.cluster.local:<port><path>`. A namespace can call when it holds a catalog app with a curl
client (`CLIENTS`); it can be called when it holds an app with an entry point (`ENTRY_POINTS`:
the Service the seed calls and the path; the port is the catalog Service's). Apps in neither
table take part in the allow/deny listing only. Calls stay inside one cluster (a Service name
resolves in its own cluster). What a call prints follows from the matrix decision: an allowed
call the entry point's answer, a denied one TSB's `RBAC: access denied` (a sidecar or a waypoint
refuses it with 403), or, for an ambient callee without waypoints, a reset by ztunnel.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from ..matrix import Decision, MatrixEntry
from ..plan.catalog import catalog
from ..plan.app_contexts import ServiceContext
from ..profile.model import Dataplane, Namespace, Profile, WaypointMode

CLIENTS = {"sleep": "deploy/sleep", "netshoot": "deploy/netshoot", "caffeine": "deploy/netshoot"}


@dataclass(frozen=True)
class EntryPoint:
    service: str
    path: str
    flags: tuple[str, ...]  # after the URL, as the seed writes them
    answer: str  # what an allowed call prints ({url} is the URL called)


ENTRY_POINTS = {
    "httpbin": EntryPoint("httpbin", "/get", (), '"url": "http://{url}"'),
    "bookinfo": EntryPoint("productpage", "/api/v1/products/1/reviews", ("-v",), "< HTTP/1.1 200 OK"),
    # Seed 000: `curl -is http://barista.caffeine:8000`; barista v2 answers 503 by design (its
    # SUCCESS_PROBABILITY), which is the app's answer, not a denial.
    "caffeine": EntryPoint("barista", "/", ("-i",), "HTTP/1.1 200 OK"),
}
DENIED = "RBAC: access denied"
RESET = "no answer: ztunnel resets the connection (curl exits 56), it enforces the rule at L4"


@dataclass(frozen=True)
class Call:
    source: str  # cluster/namespace
    target: str
    command: tuple[str, ...]  # shell words
    decision: str  # allow | deny | conditional
    decided_by: str
    expect: str


@dataclass(frozen=True)
class Pod:
    deployment: str
    containers: tuple[str, ...]
    ambient: bool  # captured by ztunnel (not opted out with `ambient: false`)


def placed(profile: Profile) -> dict[tuple[str, str], Namespace]:
    return {(cluster, ns.name): ns for ns in profile.namespaces for cluster in ns.clusters}


def pods(namespace: Namespace) -> tuple[Pod, ...]:
    """The pods the namespace's apps run, one entry per Deployment with replicas."""
    found = []
    for app in namespace.app_parameters:
        for deployment in catalog()[app.name].deployments:
            if (deployment.replicas if app.replicas is None else app.replicas) > 0:
                names = tuple(container.name for container in deployment.containers)
                found.append(Pod(deployment.name, names, app.ambient is not False))
    return tuple(found)


def _client(namespace: Namespace) -> str | None:
    return next((CLIENTS[app] for app in namespace.apps if app in CLIENTS), None)


def _entry(namespace: Namespace) -> tuple[EntryPoint, int] | None:
    for app in namespace.apps:
        entry = ENTRY_POINTS.get(app)
        if entry is None:
            continue
        for obj in catalog()[app].objects:
            if isinstance(obj, ServiceContext) and obj.name == entry.service:
                return entry, obj.ports[0].port
    return None


def _expect(profile: Profile, entry: MatrixEntry, callee: Namespace, cluster: str, answer: str) -> str:
    if entry.decision is Decision.ALLOW:
        return answer
    if entry.decision is Decision.CONDITIONAL:
        return f"depends: {entry.decided_by}"
    ambient = callee.dataplane is Dataplane.AMBIENT
    return RESET if ambient and profile.cluster(cluster).waypoint_mode is WaypointMode.OFF else DENIED


def calls(profile: Profile, matrix: list[MatrixEntry], involving: set[tuple[str, str]] | None) -> Iterator[Call]:
    """The calls of `matrix` (namespace pairs) that can be made, between namespaces of `involving`
    and any other (all, when None), in the state `profile` is in."""
    namespaces = placed(profile)
    for entry in matrix:
        source_cluster, _, source_name = entry.source.partition("/")
        target_cluster, _, target_name = entry.target.partition("/")
        source = namespaces.get((source_cluster, source_name))
        target = namespaces.get((target_cluster, target_name))
        if source is None or target is None or source_cluster != target_cluster:
            continue
        if involving is not None and not {(source_cluster, source_name), (target_cluster, target_name)} & involving:
            continue
        client, found = _client(source), _entry(target)
        if client is None or found is None:
            continue
        point, port = found
        url = f"{point.service}.{target_name}.svc.cluster.local:{port}{point.path}"
        command = ("kubectl", "exec", "-n", source_name, client, "--", "curl", "-s", url, *point.flags)
        expect = _expect(profile, entry, target, target_cluster, point.answer.format(url=url))
        yield Call(entry.source, entry.target, command, entry.decision.value, entry.decided_by, expect)


def expects_waypoint(profile: Profile, cluster_name: str, namespace: str, labels: dict[str, str]) -> bool:
    """Whether TSB deploys its managed waypoint `waypoint` in this ambient namespace: waypoints
    TSB-managed and not switched off for it (the first `namespaces` entry that matches wins)."""
    cluster = profile.cluster(cluster_name)
    if not cluster.ambient or cluster.waypoint_mode is not WaypointMode.TSB_MANAGED:
        return False
    settings = cluster.waypoints
    enable = settings.cluster.enable if settings else None
    for entry in settings.namespaces if settings else ():
        if entry.name == namespace or (entry.labels and all(labels.get(k) == v for k, v in entry.labels.items())):
            enable = entry.settings.enable if entry.settings.enable is not None else enable
            break
    return enable is not False
