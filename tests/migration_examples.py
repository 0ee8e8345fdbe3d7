"""PHASE.md contexts covering every branch of templates/migration/PHASE.md.j2 (and its partial),
for tests/test_templates.py."""

from __future__ import annotations

from generator.migration.document import ClusterPart, NamespaceStep, Pair, PhaseDocumentContext
from generator.migration.probes import Call, Pod

LABEL = ("kubectl", "label", "--overwrite", "namespace", "a", "istio.io/rev-", "istio.io/dataplane-mode=ambient")
BACK = ("kubectl", "label", "--overwrite", "namespace", "a", "istio.io/dataplane-mode-", "istio.io/rev=1-24")
RESTART = ("kubectl", "rollout", "restart", "deployment", "-n", "a")
CALL = Call("c/a", "c/b", ("kubectl", "exec", "-n", "a", "deploy/sleep", "--", "curl", "-s", "b.b.svc.cluster.local:80/"),
            "deny", "no allow rule", "RBAC: access denied")
PODS = (Pod("web-v1", ("web", "helper"), True), Pod("batch", ("batch",), False))


def _step(waypoint: bool, pods: tuple[Pod, ...] = PODS, moving: bool = True) -> NamespaceStep:
    return NamespaceStep("a", LABEL if moving else None, RESTART, BACK if moving else None, pods, waypoint)


def _document(number: int, clusters: tuple[ClusterPart, ...], later: tuple[str, ...] = (),
              pairs: tuple[Pair, ...] = ()) -> PhaseDocumentContext:
    return PhaseDocumentContext(
        profile_name="p", profile_file="p.yaml" if number else "PROFILE", number=number, count=2,
        name="first" if number else "baseline", previous="00-baseline" if number else None,
        moved=("c/a",) if number else (), sidecars_after=later, clusters=clusters, pairs=pairs,
    )


PAIR = Pair("c/a", "c/b", "deny", "deny rule tenants[0].security.authorization.deny[0] (t/a -> t/b)")
DOCUMENTS = [
    # The baseline: an ambient cluster with sidecars to restart, one without ambient, calls.
    _document(0, (
        ClusterPart("c", "istio-system", "kube-system", True, (_step(False, moving=False),), (CALL,)),
        ClusterPart("d", "istio-system", "istio-system", True, (), ()),
        ClusterPart("e", "istio-system", "istio-system", False, (), (CALL,)),
    ), later=("c/a", "c/b"), pairs=(PAIR,)),
    _document(0, (ClusterPart("c", "istio-system", "istio-system", True, (_step(False, (), moving=False),), ()),)),
    # A phase: with and without a waypoint, later phases or none, no pairs at all.
    _document(1, (ClusterPart("c", "istio-system", "istio-system", True, (_step(True), _step(False)), (CALL,)),),
              later=("c/b",), pairs=(PAIR,)),
    _document(2, (ClusterPart("c", "istio-system", "istio-system", True, (_step(False, ()),), ()),
                  ClusterPart("d", "istio-system", "istio-system", True, (), (CALL,)))),
]
