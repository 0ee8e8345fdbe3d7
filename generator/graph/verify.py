"""`clusters/<cluster>/verify.sh`: the checks a person runs after a sync, as a POSIX shell script for
one cluster (templates/graph/verify.sh.j2).

What it compares, and where gen knows the expected value from:
- ztunnel and istio-cni: their DaemonSets (`ztunnel` in the Istio namespace, `istio-cni-node` in
  `cniDaemonsetNamespace`) have every scheduled pod ready; only where the cluster enables ambient.
- each namespace's dataplane labels: `istio.io/dataplane-mode`, `istio-injection` and `istio.io/rev`
  have gen's value (plan/namespaces.py) or are not set, never both kinds; and `istio.io/use-waypoint`
  where the namespace's waypoint is used by the whole namespace (gen labels it, or TSB does for
  the waypoint it manages).
- each Deployment's pods (migration/probes.py): the catalog's containers, with `istio-proxy` only
  where the pod gets a sidecar; ztunnel's workload table lists the pods of ambient workloads with
  protocol `HBONE`, those opted out (`ambient: false` in an ambient namespace) with `TCP`.
- each waypoint (mesh.py: gen's explicit ones and TSB's managed `waypoint`): its Gateway is
  `Programmed`.
- each call between namespaces of the cluster (graph/calls.py) from inside the client pod: an
  allowed call gets the app's answer (any HTTP status but 403 and 000), a denied one 403, one
  ztunnel refuses at L4 a connection reset (curl exit 56). A conditional call is listed, not made.

Every value is printed through the shell environment's `shq`: a profile's text stays one word.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from posixpath import join as join_path
from typing import Any, ClassVar

from ..checks.injection import INJECT_LABEL
from ..mesh import USE_WAYPOINT, MeshWorkload, NamespaceMesh, WaypointOwner, meshes
from ..migration.probes import pods
from ..plan.controlplane import cni_namespace
from ..plan.namespaces import DATAPLANE_MODE_LABEL, INJECTION_LABEL, REVISION_LABEL, namespace_labels
from ..plan.outputs import Output, TemplateContext
from ..profile.model import Cluster, Dataplane, Profile
from .calls import EstateCall, estate_calls
from .deferred import Deferred
from .shell import ShellText, quote_word

# The labels that choose a namespace's dataplane: each has gen's value or is not set.
DATAPLANE_LABELS = (DATAPLANE_MODE_LABEL, INJECTION_LABEL, REVISION_LABEL)
HBONE, TCP = "HBONE", "TCP"


@dataclass(frozen=True)
class LabelCheck:
    key: str
    value: str  # "": the label must not be set


@dataclass(frozen=True)
class PodCheck:
    deployment: str
    containers: tuple[str, ...]  # the app's, in the Deployment's order
    sidecar: bool  # istio-proxy runs beside them
    protocol: str  # what ztunnel's workload table shows for them (HBONE, TCP); "": not checked


@dataclass(frozen=True)
class NamespaceCheck:
    name: str
    labels: tuple[LabelCheck, ...]
    pods: tuple[PodCheck, ...]


@dataclass(frozen=True)
class NamespaceShape:
    """Namespaces checked alike (the same labels and pods): one shell function, `namespaces_<number>`,
    runs their checks for the namespace named by its argument."""

    number: int
    count: int  # namespaces of this shape in the cluster
    ztunnel: bool  # ztunnel's view of their pods is checked
    body: ShellText  # the function's commands, one a line, the namespace as "$1"


def namespace_shapes(namespaces: tuple[NamespaceCheck, ...]) -> tuple[tuple[NamespaceShape, ...], ShellText]:
    """The cluster's namespace shapes in order of first use, and the line that checks each namespace
    (`namespaces_<number> <name>`), in the profile's order. A large estate has thousands of
    namespaces and a handful of shapes: the script holds each check once per shape, not once per
    namespace, and runs the same commands in the same order as one written out in full."""
    numbers: dict[tuple[tuple[LabelCheck, ...], tuple[PodCheck, ...]], int] = {}
    counts: list[int] = []
    lines = []
    for namespace in namespaces:
        key = (namespace.labels, namespace.pods)
        number = numbers.setdefault(key, len(numbers) + 1)
        if number > len(counts):
            counts.append(0)
        counts[number - 1] += 1
        lines.append(f"namespaces_{number} {quote_word(namespace.name)}\n")
    shapes = tuple(
        NamespaceShape(number, counts[number - 1], any(pod.protocol for pod in pods),
                       ShellText("".join(f"  {command} \"$1\" {words}\n" for command, words in _shape_words(labels, pods))))
        for (labels, pods), number in numbers.items()
    )
    return shapes, ShellText("".join(lines))


def _shape_words(labels: tuple[LabelCheck, ...], pods: tuple[PodCheck, ...]) -> tuple[tuple[str, str], ...]:
    """(command, the words after the namespace's name) of each check of a namespace like this."""
    found = [("check_label", f"{quote_word(label.key)} {quote_word(label.value)}") for label in labels]
    found += [("check_pods", " ".join([quote_word(pod.deployment), "sidecar" if pod.sidecar else "no-sidecar",
                                       *map(quote_word, pod.containers)])) for pod in pods]
    found += [("check_ztunnel", f"{quote_word(pod.deployment)} {quote_word(pod.protocol)}") for pod in pods
              if pod.protocol]
    return tuple(found)


@dataclass(frozen=True)
class WaypointCheck:
    namespace: str
    name: str
    owner: str  # who deploys it: gen | TSB


@dataclass(frozen=True)
class CallCheck:
    source: str  # the client's namespace
    client: str  # deploy/<name>
    target: str  # the callee's namespace
    url: str
    status: str  # ok | denied | reset | conditional (EstateCall.status)
    outcome: str  # allowed | denied | conditional
    rule: str  # the rule that decides it (`gen matrix`)
    component: str  # who enforces it

    @property
    def reason(self) -> str:
        return f"{self.outcome}: {self.rule}; enforced by {self.component}"


@dataclass(frozen=True, kw_only=True)
class VerifyScriptContext(TemplateContext):
    template: ClassVar[str] = "graph/verify.sh.j2"
    format: ClassVar[str] = "shell"

    cluster: str
    istio_namespace: str  # where ztunnel runs, and istioctl finds it
    cni_namespace: str  # where istio-cni runs
    ambient: bool  # ambient is enabled on the cluster: ztunnel and istio-cni are checked
    namespaces: tuple[NamespaceCheck, ...]
    waypoints: tuple[WaypointCheck, ...]
    calls: tuple[CallCheck, ...]

    def variables(self) -> dict[str, Any]:
        """The fields, and the namespaces' shapes with the line that checks each (namespace_shapes)."""
        shapes, lines = namespace_shapes(self.namespaces)
        return {**super().variables(), "shapes": shapes, "namespace_lines": lines}


def _sidecar(namespace_dataplane: Dataplane, workload: MeshWorkload | None) -> bool:
    """Whether Istio's injector gives the pods a sidecar: never an ambient pod (checks refuse
    both); in a sidecar namespace unless the pod opts out; elsewhere only if its labels ask."""
    labels = workload.pod_labels if workload is not None else {}
    if labels.get(DATAPLANE_MODE_LABEL) == "ambient" or labels.get(INJECT_LABEL) == "false":
        return False
    if namespace_dataplane is Dataplane.SIDECAR:
        return True
    return labels.get(INJECT_LABEL) == "true" or REVISION_LABEL in labels


def _protocol(mesh: NamespaceMesh, workload: MeshWorkload | None) -> str:
    """What ztunnel's workload table shows for the pods: HBONE when ztunnel captures them, TCP when
    they opted out of an ambient namespace; not checked elsewhere (sidecars, no mesh)."""
    if not mesh.cluster.ambient or workload is None:
        return ""
    if workload.ambient:
        return HBONE
    return TCP if mesh.namespace.dataplane is Dataplane.AMBIENT else ""


def _labels(mesh: NamespaceMesh) -> tuple[LabelCheck, ...]:
    written = namespace_labels(mesh.namespace.dataplane, mesh.cluster.istio_revision)
    checks = [LabelCheck(key, written.get(key, "")) for key in DATAPLANE_LABELS]
    waypoint = mesh.waypoint
    # TSB labels the namespace for the waypoint it manages (gen does, with its label management off).
    if waypoint is not None and (waypoint.label_namespace or waypoint.owner is WaypointOwner.TSB):
        checks.append(LabelCheck(USE_WAYPOINT, waypoint.name))
    return tuple(checks)


def namespace_check(mesh: NamespaceMesh) -> NamespaceCheck:
    workloads = {workload.name: workload for workload in mesh.workloads}
    found = []
    for pod in pods(mesh.namespace):
        workload = workloads.get(pod.deployment)
        found.append(PodCheck(pod.deployment, pod.containers, _sidecar(mesh.namespace.dataplane, workload),
                              _protocol(mesh, workload)))
    return NamespaceCheck(mesh.namespace.name, _labels(mesh), tuple(found))


def call_check(call: EstateCall) -> CallCheck:
    return CallCheck(call.source, call.client, call.target, call.url, call.status, call.outcome,
                     call.decided_by, call.component)


def verify_context(profile: Profile, cluster: Cluster) -> VerifyScriptContext:
    """The cluster's checks; the estate's calls are computed once per profile and process (calls.py)."""
    here = [mesh for mesh in meshes(profile) if mesh.cluster.name == cluster.name]
    return VerifyScriptContext(
        cluster=cluster.name,
        istio_namespace=cluster.istio_namespace,
        cni_namespace=cni_namespace(cluster),
        ambient=cluster.ambient,
        namespaces=tuple(namespace_check(mesh) for mesh in here),
        waypoints=tuple(
            WaypointCheck(mesh.namespace.name, mesh.waypoint.name,
                          "TSB" if mesh.waypoint.owner is WaypointOwner.TSB else "gen")
            for mesh in here if mesh.waypoint is not None
        ),
        calls=tuple(call_check(call) for call in estate_calls(profile) if call.cluster == cluster.name),
    )


@dataclass(frozen=True, kw_only=True, eq=False)
class DeferredVerifyScript(Deferred):
    template: ClassVar[str] = VerifyScriptContext.template
    format: ClassVar[str] = VerifyScriptContext.format


def verify_outputs(profile: Profile) -> Iterator[Output]:
    """One script per cluster: `clusters/<cluster>/verify.sh`, its context built where it is
    rendered (graph/deferred.py)."""
    for cluster in profile.clusters:
        placed = sum(cluster.name in namespace.clusters for namespace in profile.namespaces)
        # Measured at 250 namespaces a cluster: building and rendering it takes what 125 objects take;
        # the estate's calls (calls.py), built once per process by the first script or README that
        # needs them, what 480 objects take at 1,000 namespaces: each script bears its cluster's share.
        calls = len(profile.namespaces) * 12 // (25 * len(profile.clusters))
        yield Output(
            join_path("clusters", cluster.name, "verify.sh"),
            DeferredVerifyScript(build=partial(verify_context, profile, cluster), estimate=1 + placed // 2 + calls),
            cluster.path,
            f"verify script of cluster {cluster.name}",
        )
