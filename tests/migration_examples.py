"""PHASE.md contexts covering every branch of templates/migration/PHASE.md.j2 (and its partial),
for tests/test_templates.py."""

from __future__ import annotations

from generator.migration.document import (
    ClusterPart, Engine, Gateway, NamespaceStep, Pair, PhaseDocumentContext, StepPart,
)
from generator.migration.markdown import ShellConstant
from generator.migration.probes import Call, Pod

LABEL = ("kubectl", "label", "--overwrite", "namespace", "a", "istio.io/rev-", "istio.io/dataplane-mode=ambient")
RESTART = ("kubectl", "rollout", "restart", "deployment", "-n", "a")
CALL = Call("c/a", "c/b", ("kubectl", "exec", "-n", "a", "deploy/sleep", "--", "curl", "-s", "b.b.svc.cluster.local:80/"),
            "deny", "no allow rule", "RBAC: access denied")
PODS = (Pod("web-v1", ("web", "helper"), True), Pod("batch", ("batch",), False))


def _step(waypoint: bool, pods: tuple[Pod, ...] = PODS, moving: bool = True) -> NamespaceStep:
    return NamespaceStep("a", LABEL if moving else None, RESTART, pods, waypoint)


# A phase of three steps (an explicit waypoint and policies to move), and one of a single step.
STEPS = (
    StepPart(1, "prepare", "1-prepare", "first/prepare", "baseline", ("c/a/gateway-waypoint.yaml",),
             ("c/a/service-web.yaml",), (), (Gateway("a", "waypoint"),), False),
    StepPart(2, "move", "2-move", "first/move", "first/prepare", (), ("c/a/namespace-a.yaml",), (), (), True),
    StepPart(3, "cleanup", "3-cleanup", "first", "first/move", (), ("c/a/authorizationpolicy-p.yaml",),
             ("c/a/authorizationpolicy-p-waypoint.yaml",), (), False),
)
ONE_STEP = (StepPart(1, "move", "", "second", "first", (), ("c/a/namespace-a.yaml",), (), (), True),)
ARGO = Engine("Argo CD", (("kubectl", "patch", "applicationset", "p", "-n", "argocd", "--type", "json", "-p",
                           ShellConstant('[{"op":"remove"}]')),), (("kubectl", "apply", "-f", "x.yaml"),))
FLUX = Engine("Flux", (("flux", "suspend", "kustomization", "p-c", "-n", "flux-system"),),
              (("flux", "resume", "kustomization", "p-c", "-n", "flux-system"),))


def _document(number: int, clusters: tuple[ClusterPart, ...], later: tuple[str, ...] = (),
              pairs: tuple[Pair, ...] = (), steps: tuple[StepPart, ...] = (),
              engine: Engine | None = None) -> PhaseDocumentContext:
    more = {"engine": engine} if engine else {}
    return PhaseDocumentContext(
        profile_name="p", profile_file="p.yaml" if number else "PROFILE", number=number, count=2,
        name="first" if number else "baseline", previous="00-baseline" if number else None,
        moved=("c/a",) if number else (), sidecars_after=later, clusters=clusters, pairs=pairs, steps=steps, **more,
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
              later=("c/b",), pairs=(PAIR,), steps=STEPS, engine=ARGO),
    _document(2, (ClusterPart("c", "istio-system", "istio-system", True, (_step(False, ()),), ()),
                  ClusterPart("d", "istio-system", "istio-system", True, (), (CALL,))), steps=ONE_STEP, engine=FLUX),
    _document(2, (ClusterPart("c", "istio-system", "istio-system", True, (_step(False, ()),), ()),), steps=ONE_STEP),
]
