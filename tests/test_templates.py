"""The plan -> template contract: every template has one typed context, and every branch of every
template renders to the YAML it claims to be."""

from __future__ import annotations

from dataclasses import replace
from importlib.resources import files
from typing import Any

import pytest
from ruamel.yaml import YAML

import generator.plan  # noqa: F401  (imports every planner, so every context class exists)
from generator.output.render import render
from generator.plan import ObjectIdentity, Output, Plan, TemplateContext
from generator.kubernetes import Quantity
from generator.plan.app_contexts import (
    AppObjectContext,
    Container,
    CurlFormatContext,
    DeploymentContext,
    EnvVar,
    NetshootContext,
    PythonServiceContext,
    Resources,
    ServiceAccountContext,
    ServiceContext,
    ServicePort,
    Volume,
    VolumeMount,
)
from generator.plan.controlplane import (
    ControlPlaneValuesContext,
    CriticalPodsQuotaContext,
    ManagementPlaneValuesContext,
    NamespaceLevelEntry,
    WaypointConfig,
)
from generator.plan.delivery import (
    ApplicationSetContext,
    FluxKustomizationContext,
    GitRepositoryContext,
    SyncedDirectory,
)
from generator.plan.namespaces import NamespaceContext
from generator.plan.policies import AuthorizationPolicyContext
from generator.plan.waypoints import WaypointContext
from generator.starter import StarterProfileContext
from generator.migration.document import PhaseDocumentContext
from generator.migration.markdown import markdown_environment
from generator.graph.readme import DeferredReadme, EstateReadmeContext
from generator.graph.verify import DeferredVerifyScript
from generator.graph.shell import shell_environment
from generator.graph.verify import CallCheck, LabelCheck, NamespaceCheck, PodCheck, VerifyScriptContext, WaypointCheck
from migration_examples import DOCUMENTS
from generator.plan.outputs import KustomizationContext
from generator.plan.tenancy import (
    RuleFqns,
    SecuritySpec,
    TenantContext,
    TenantSettingContext,
    TsbListContext,
    TsbObjectContext,
    TsbPlacement,
    WorkspaceContext,
    WorkspaceSettingContext,
)

TEMPLATES = files("generator") / "templates"


def _subclasses(cls: type) -> set[type]:
    found = set()
    for sub in cls.__subclasses__():
        found |= {sub, *_subclasses(sub)}
    return found


def _concrete_contexts() -> set[type[TemplateContext]]:
    """The context classes gen itself defines (tests define their own for made-up templates)."""
    return {
        cls for cls in _subclasses(TemplateContext) if "template" in vars(cls) and cls.__module__.startswith("generator.")
    }


def _template_files() -> set[str]:
    found = set()

    def walk(node: Any, prefix: str) -> None:
        for child in node.iterdir():
            name = f"{prefix}{child.name}"
            if child.is_dir():
                walk(child, name + "/")
            elif name.endswith(".j2") and not child.name.startswith("_"):
                found.add(name)

    walk(TEMPLATES, "")
    return found


FULL_CONTAINERS = (
    Container(
        "main", "docker.io/a/b:1.0", "Always", ("sh", "-c", "sleep 1"), (EnvVar("K", "V"), EnvVar("N", "10")),
        (8080, 9090), (VolumeMount("tmp", "/tmp"), VolumeMount("cfg", "/etc/cfg")),
        Resources(limits=(("cpu", Quantity("100m")),), requests=(("cpu", Quantity("0.5")), ("memory", Quantity("64Mi")))),
    ),
    Container("second", "python:3.9", resources=Resources(requests=(("memory", Quantity("1")),))),
)
VOLUMES = (
    Volume("tmp", "emptyDir"),
    Volume("cfg", "configMap", "cfg"),
    Volume("cfg-optional", "configMap", "cfg", optional=False),
    Volume("secret", "secret", "s"),
    Volume("secret-optional", "secret", "s", optional=True),
)
NETSHOOT = Container(
    "netshoot", "nicolaka/netshoot:latest", command=("sh", "-c", "true"), env=(EnvVar("INTERVAL", "10"),),
    volume_mounts=(VolumeMount("cfg", "/etc/curl"),),
    resources=Resources(limits=(("cpu", Quantity("100m")),)),
)
PYTHON = Container(
    "a", "python:3.9", command=("python3", "-c", "print('x')\n"), env=(EnvVar("K", "V"),), ports=(8080,),
    resources=Resources(limits=(("cpu", Quantity("50m")),), requests=(("memory", Quantity("64Mi")),)),
)
RULE = RuleFqns("organizations/o/tenants/t/workspaces/a", "organizations/o/tenants/t/workspaces/b")
TENANT_RULE = RuleFqns("organizations/o/tenants/t", "organizations/o/tenants/t/workspaces/b")
GITOPS = TsbPlacement("tsb.tetrate.io/v2", {"tsb.tetrate.io/organization": "o", "tsb.tetrate.io/tenant": "t"}, {})
TCTL = TsbPlacement("api.tsb.tetrate.io/v2", {}, {"organization": "o", "tenant": "t"})
# (placement, namespace) of each form: the GitOps form lives in a namespace, the tctl form in none.
FORMS = [(GITOPS, "g"), (TCTL, None)]


def _security(
    propagation: str | None = None,
    traffic_mode: str | None = None,
    mode: str | None = None,
    deny_all: bool = False,
    allow: tuple[RuleFqns, ...] = (),
    deny: tuple[RuleFqns, ...] = (),
) -> SecuritySpec:
    return SecuritySpec(propagation, traffic_mode, mode, deny_all, allow, deny)


SECURITY_BRANCHES = [
    _security(),
    _security(propagation="STRICTER"),
    _security(traffic_mode="REQUIRED"),
    _security(mode="WORKSPACE"),
    _security(propagation="REPLACE", traffic_mode="OPTIONAL", mode="RULES", allow=(RULE,)),
    _security(mode="RULES", deny=(RULE,)),
    _security(mode="RULES", allow=(RULE, TENANT_RULE), deny=(RULE,)),
    _security(mode="RULES", deny_all=True),
]
TSB_OBJECTS: list[TsbObjectContext] = [
    *(
        TenantContext(name="t", namespace=namespace, placement=placement, display_name=display, description=description)
        for placement, namespace in FORMS
        for display, description in [(None, None), ("T", None), (None, "about t"), ("T", "about t")]
    ),
    *(
        setting(name="s", namespace=namespace, placement=placement, security=security)
        for setting in (TenantSettingContext, WorkspaceSettingContext)
        for placement, namespace in FORMS
        for security in SECURITY_BRANCHES
    ),
    *(
        WorkspaceContext(name="w", namespace=namespace, placement=placement, display_name=display, selectors=selectors)
        for placement, namespace in FORMS
        for display, selectors in [(None, ("*/a",)), ("W", ("*/a", "c/b*"))]
    ),
]

# (context, apiVersion and kind it must render, or None for a values overlay), one per branch.
EXAMPLES: list[tuple[TemplateContext, tuple[str, str] | None]] = [
    (KustomizationContext(resources=("a.yaml", "b.yaml")), ("kustomize.config.k8s.io/v1beta1", "Kustomization")),
    (ManagementPlaneValuesContext(spm_clusters=("a", "b"), base_file=None, dropped_secrets=(), base=None), None),
    (ManagementPlaneValuesContext(spm_clusters=(), base_file="mp.yaml", dropped_secrets=("secrets.x",), base=None),
     None),
    (ManagementPlaneValuesContext(spm_clusters=(), gitops=True, base_file=None, dropped_secrets=(), base=None), None),
    (ManagementPlaneValuesContext(spm_clusters=("a",), gitops=True, base_file=None, dropped_secrets=(), base=None),
     None),
    *(
        (
            ControlPlaneValuesContext(
                cluster="c", platform="aks", istio_namespace="istio-system", ambient=ambient,
                ztunnel_revision=revision, cni=(("binaryDirectory", "/opt/cni/bin"), ("chained", True)) if ambient else (),
                cluster_waypoints=cluster_waypoints, namespace_waypoints=namespace_waypoints, spm_agent=True,
                edge_dns_resolution=edge, base_file=base_file, dropped_secrets=dropped, base=None,
            ),
            None,
        )
        for ambient, revision, cluster_waypoints, namespace_waypoints, edge, base_file, dropped in [
            (True, None, None, (), False, None, ()),
            (False, None, None, (), False, None, ()),
            (True, "1-24-3", WaypointConfig((("enable", False),), (), ()), (), True, "live.yaml", ()),
            (
                True, None,
                WaypointConfig((("enable", True), ("revision", "r1")), (("cpu", "100m"),), (("memory", "1Gi"),)),
                (
                    NamespaceLevelEntry("bookinfo", (), WaypointConfig((), (), ())),
                    NamespaceLevelEntry(None, (("team", "a"),), WaypointConfig((("disableLabelManagement", True),), (), (("cpu", 1),))),
                ),
                False, "live.yaml", ("secrets.elastic.password", "spec.x.token"),
            ),
        ]
    ),
    (CriticalPodsQuotaContext(name="gcp-critical-pods", namespace="istio-system"), ("v1", "ResourceQuota")),
    (NamespaceContext(name="n", labels={}), ("v1", "Namespace")),
    (NamespaceContext(name="n", labels={"istio.io/dataplane-mode": "ambient"}), ("v1", "Namespace")),
    *((context, (context.placement.api_version, context.kind)) for context in TSB_OBJECTS),
    (TsbListContext(items=(TSB_OBJECTS[0],)), ("v1", "List")),
    (TsbListContext(items=tuple(TSB_OBJECTS)), ("v1", "List")),
    (NamespaceContext(name="n", labels={"istio.io/use-waypoint": "waypoint"}, notes=("TSB owns: #1\nkind: x",)),
     ("v1", "Namespace")),
    *((WaypointContext(name="waypoint", namespace="n", traffic=traffic), ("gateway.networking.k8s.io/v1", "Gateway"))
      for traffic in ("service", "workload", "all")),
    (AuthorizationPolicyContext(name="p", namespace="n", spec={}), ("security.istio.io/v1", "AuthorizationPolicy")),
    (AuthorizationPolicyContext(
        name="p", namespace="n", labels=(("team", "a"),), annotations=(("istio.io/dry-run", "true"),),
        notes=("moved: why\n# spec: {}", "second line"),
        spec={"targetRefs": [{"kind": "Service", "group": "", "name": "s"}], "action": "DENY",
              "rules": [{"from": [{"source": {"principals": ["cluster.local/ns/n/sa/a"], "notIpBlocks": []}}],
                         "to": [{"operation": {"methods": ["GET"], "ports": ["9080"], "paths": ["*", "/a: b"]}}],
                         "when": [{"key": "request.headers[x-user]", "values": ["yes", "null", "1"]}]}, {}]},
    ), ("security.istio.io/v1", "AuthorizationPolicy")),
    (ServiceAccountContext(name="sa", namespace="n"), ("v1", "ServiceAccount")),
    (ApplicationSetContext(name="p", namespace="argocd", project="default", repo_url="https://g/r.git", revision="main",
                           directories=(SyncedDirectory("p-c", "c", "out/p/clusters/c"),)),
     ("argoproj.io/v1alpha1", "ApplicationSet")),
    (GitRepositoryContext(name="p", namespace="flux-system", repo_url="ssh://git@g/r.git", revision="main"),
     ("source.toolkit.fluxcd.io/v1", "GitRepository")),
    *(
        (FluxKustomizationContext(name="p-c", namespace="flux-system", source="p",
                                  directory=SyncedDirectory("p-c", "c", "out/p/clusters/c"), remote=remote),
         ("kustomize.toolkit.fluxcd.io/v1", "Kustomization"))
        for remote in (True, False)
    ),
    (StarterProfileContext(profile="p", platform="gke", clusters=("a", "b")), None),
    (ServiceAccountContext(name="sa", namespace="n", labels={"account": "sa"}, annotations={"a/b": "yes"}),
     ("v1", "ServiceAccount")),
    (ServiceContext(name="s", namespace="n", labels={"app": "s"}, ports=(ServicePort("http", 80, 8080),),
                    selector={"app": "s"}), ("v1", "Service")),
    (ServiceContext(name="s", namespace="n", labels={"app": "s"}, annotations={"x": "1"},
                    ports=(ServicePort("http", 80), ServicePort("grpc", 9090, 9091)), selector={"app": "s"}),
     ("v1", "Service")),
    (CurlFormatContext(name="curl-format", namespace="n"), ("v1", "ConfigMap")),
    (CurlFormatContext(name="curl-format", namespace="n", labels={"team": "t"}, annotations={"o": "p"}),
     ("v1", "ConfigMap")),
    (DeploymentContext(name="d", namespace="n", selector={"app": "d"}, pod_labels={"app": "d"}, service_account="d",
                       containers=(Container("d", "example.com/d"),)), ("apps/v1", "Deployment")),
    (DeploymentContext(name="d", namespace="n", labels={"app": "d"}, annotations={"a": "b"}, replicas=0,
                       selector={"app": "d"}, pod_labels={"app": "d", "version": "v1"},
                       pod_annotations={"prometheus.io/port": "9080"}, service_account="sa",
                       termination_grace_period_seconds=0, containers=FULL_CONTAINERS, volumes=VOLUMES),
     ("apps/v1", "Deployment")),
    (NetshootContext(name="netshoot", namespace="n", selector={"app": "netshoot"}, pod_labels={"app": "netshoot"},
                     service_account="netshoot", containers=(NETSHOOT,), volumes=(VOLUMES[1],)),
     ("apps/v1", "Deployment")),
    (NetshootContext(name="netshoot", namespace="n", labels={"app": "netshoot"}, selector={"app": "netshoot"},
                     pod_labels={"app": "netshoot", "istio.io/dataplane-mode": "ambient"},
                     pod_annotations={"sidecar.istio.io/proxyCPU": "25m"}, service_account="netshoot",
                     containers=(NETSHOOT,), volumes=(VOLUMES[1],)),
     ("apps/v1", "Deployment")),
    (PythonServiceContext(name="d", namespace="n", selector={"app": "a"}, pod_labels={"app": "a"}, service_account="a",
                          containers=(PYTHON,)), ("apps/v1", "Deployment")),
    (PythonServiceContext(name="d", namespace="n", labels={"team": "t"}, annotations={"o": "p"}, replicas=3,
                          selector={"app": "a", "version": "v1"}, pod_labels={"app": "a", "version": "v1"},
                          pod_annotations={"x": "y"}, service_account="a",
                          containers=(PYTHON, replace(PYTHON, name="b", resources=Resources()))),
     ("apps/v1", "Deployment")),
]


def test_every_template_has_exactly_one_context_class() -> None:
    by_template: dict[str, list[str]] = {}
    for cls in _concrete_contexts() - {DeferredReadme, DeferredVerifyScript}:  # these stand for the class they build
        by_template.setdefault(cls.template, []).append(cls.__name__)
    assert {name: owners for name, owners in by_template.items() if len(owners) > 1} == {}
    assert set(by_template) == _template_files()


# Shell scripts (tests/test_verify_script.py runs them): one per branch.
SCRIPTS = [
    VerifyScriptContext(cluster="c", istio_namespace="istio-system", cni_namespace="kube-system", ambient=ambient,
                        namespaces=namespaces, waypoints=waypoints, calls=calls)
    for ambient, namespaces, waypoints, calls in [
        (False, (), (), ()),
        (True,
         (NamespaceCheck("a", (LabelCheck("istio.io/dataplane-mode", "ambient"),),
                         (PodCheck("d", ("d", "e"), False, "HBONE"), PodCheck("f", ("f",), True, ""))),),
         (WaypointCheck("a", "waypoint", "TSB"),),
         tuple(CallCheck("a", "deploy/sleep", "b", "b.b.svc.cluster.local:80/", status, "allowed", "r", "ztunnel")
               for status in ("ok", "denied", "reset", "conditional"))),
    ]
]


@pytest.mark.parametrize("context", SCRIPTS, ids=lambda context: f"ambient-{context.ambient}")
def test_every_branch_of_the_verify_script_renders(context: VerifyScriptContext) -> None:
    text = shell_environment().get_template(context.template).render({"profile": "p", **context.variables()})
    assert text.startswith("#!/bin/sh\n")
    assert ("check_daemonset kube-system istio-cni-node" in text) is context.ambient
    assert text.count("\ncheck_call ") + text.count("\nskip_call ") == len(context.calls)


# Rendered from every example profile: its files are golden (test_golden.py), checked by
# test_estate_readme.py with mermaid's parser; the plan carries them, and the verify scripts, as
# contexts built where they are rendered (graph/deferred.py).
ESTATE_FILES = {EstateReadmeContext, DeferredReadme, DeferredVerifyScript}


def test_every_context_class_has_examples() -> None:
    documents = {type(context) for context in (*DOCUMENTS, *SCRIPTS)}  # Markdown and shell, rendered above
    assert {type(context) for context, _ in EXAMPLES} | documents | ESTATE_FILES == _concrete_contexts()


@pytest.mark.parametrize("context", DOCUMENTS, ids=lambda context: f"phase-{context.number}")
def test_every_branch_of_the_phase_document_renders(context: PhaseDocumentContext) -> None:
    text = markdown_environment().get_template(context.template).render(context.variables())
    assert text.startswith(f"# Phase {context.number} of {context.count}: ")
    assert text.count("```") % 2 == 0
    for part in context.clusters:
        for step in part.steps:
            commands = [step.restart, *((step.label,) if context.number else ())]
            assert all(f"\n{' '.join(command)}\n" in text for command in commands if command)
            assert ("kubectl get gateways -n a" in text) is any(s.waypoint for p in context.clusters for s in p.steps)
        for call in part.calls:
            assert f"\n{' '.join(call.command)}\n" in text and f"Expected: `{call.expect}`" in text
    assert all(f"`{pair.decided_by}`" in text for pair in context.pairs)
    for part in context.steps:  # each step: where `migration.at` goes, what it changes, its rollback
        assert f"### Step {part.number}: `{part.name}`" in text and f"\n  at: {part.at}\n" in text
        assert all(f"`{path}`" in text for path in (*part.added, *part.changed, *part.removed))
        assert f"set `migration.at: {part.previous_at}` and render" in text
        assert all(f"gateway/{g.name} -n {g.namespace}" in text for g in part.waypoints)
    for command in (*context.engine.suspend, *context.engine.resume):
        assert "\n" + " ".join(w if "{" not in w else f"'{w}'" for w in command) + "\n" in text
    if context.number and not context.engine.suspend:
        assert "names no `delivery:` engine" in text


@pytest.mark.parametrize("context,kind", EXAMPLES, ids=lambda value: type(value).__name__)
def test_every_branch_renders_the_object_it_claims(context: TemplateContext, kind: tuple[str, str] | None) -> None:
    name = getattr(context, "name", None)
    identity = ObjectIdentity(kind[0], kind[1], name, getattr(context, "namespace", None)) if kind else None
    (rendered,) = render(Plan("p", (Output("x.yaml", context, (), "example", identity),)))
    document = YAML(typ="safe").load(rendered.text)
    assert isinstance(document, dict)
    if isinstance(context, TsbObjectContext):
        _assert_tsb_object(document, context)
    if isinstance(context, TsbListContext):
        assert len(document["items"]) == len(context.items)
        for item, expected in zip(document["items"], context.items):
            _assert_tsb_object(item, expected)
    if isinstance(context, NamespaceContext):
        assert document["metadata"].get("labels", {}) == dict(context.labels)
    if isinstance(context, (NamespaceContext, AuthorizationPolicyContext)):
        comments = [line for line in rendered.text.splitlines() if line.startswith("#")][1:]
        assert len(comments) == len(context.notes)  # a note never spills out of its comment line
    if isinstance(context, WaypointContext):
        assert document["metadata"]["labels"] == {"istio.io/waypoint-for": context.traffic}
    if isinstance(context, AuthorizationPolicyContext):
        assert document["spec"] == context.spec
        assert document["metadata"].get("labels", {}) == dict(context.labels)
        assert document["metadata"].get("annotations", {}) == dict(context.annotations)
    if isinstance(context, FluxKustomizationContext):
        assert ("kubeConfig" in document["spec"]) is context.remote
    if isinstance(context, ManagementPlaneValuesContext):
        components = document.get("spec", {}).get("components", {})
        assert ("gitops" in components) is context.gitops
        assert ("oap" in components) is bool(context.spm_clusters)
    if isinstance(context, ControlPlaneValuesContext):
        components = document["spec"]["components"]
        assert ("istio" in components) is context.ambient
        assert ("xcp" in components) is context.edge_dns_resolution
        if context.cluster_waypoints is not None:
            waypoints = components["istio"]["ambient"]["waypoints"]
            assert waypoints["clusterLevel"].get("enable") == dict(context.cluster_waypoints.settings)["enable"]
            assert len(waypoints.get("namespaceLevel", [])) == len(context.namespace_waypoints)
        for secret in context.dropped_secrets:
            assert f"#   {secret}\n" in rendered.text
    if isinstance(context, AppObjectContext):
        assert document["metadata"].get("labels", {}) == dict(context.labels)
        assert document["metadata"].get("annotations", {}) == dict(context.annotations)
    if isinstance(context, ServiceContext):
        assert document["spec"]["ports"] == [
            {"name": p.name, "port": p.port, **({"targetPort": p.targetPort} if p.targetPort else {})}
            for p in context.ports
        ]
    if isinstance(context, DeploymentContext):
        assert_deployment(document, context)


def assert_deployment(document: dict[str, Any], context: DeploymentContext) -> None:
    spec = document["spec"]
    assert spec["replicas"] == context.replicas
    assert spec["selector"]["matchLabels"] == dict(context.selector)
    pod = spec["template"]
    assert pod["metadata"]["labels"] == dict(context.pod_labels)
    assert pod["metadata"].get("annotations", {}) == dict(context.pod_annotations)
    assert pod["spec"]["serviceAccountName"] == context.service_account
    assert pod["spec"].get("terminationGracePeriodSeconds") == context.termination_grace_period_seconds
    for rendered, container in zip(pod["spec"]["containers"], context.containers, strict=True):
        assert rendered["name"] == container.name
        assert rendered["image"] == container.image
        assert rendered["imagePullPolicy"] == container.image_pull_policy
        assert rendered.get("command", []) == list(container.command)
        assert rendered.get("env", []) == [{"name": v.name, "value": v.value} for v in container.env]
        assert rendered.get("ports", []) == [{"containerPort": port} for port in container.ports]
        assert rendered.get("volumeMounts", []) == [{"name": m.name, "mountPath": m.mount_path} for m in container.volume_mounts]
        assert rendered.get("resources", {}) == {section: dict(items) for section, items in container.resources.sections()}
    volumes = pod["spec"].get("volumes", [])
    assert [volume["name"] for volume in volumes] == [volume.name for volume in context.volumes]
    for rendered, volume in zip(volumes, context.volumes, strict=True):
        if volume.source == "emptyDir":
            assert rendered["emptyDir"] == {}
        elif volume.source == "configMap":
            assert rendered["configMap"] == {"name": volume.reference, **({} if volume.optional is None else {"optional": volume.optional})}
        else:
            assert rendered["secret"] == {"secretName": volume.reference, **({} if volume.optional is None else {"optional": volume.optional})}


def _assert_tsb_object(document: dict[str, Any], context: TsbObjectContext) -> None:
    """Every value of the context is where TSB reads it, in either form."""
    metadata = document["metadata"]
    assert (document["apiVersion"], document["kind"]) == (context.placement.api_version, context.kind)
    assert metadata.get("namespace") == context.namespace
    assert metadata.get("annotations", {}) == dict(context.placement.annotations)
    assert {key: metadata[key] for key in context.placement.parents} == dict(context.placement.parents)
    spec = document["spec"]
    if isinstance(context, (TenantSettingContext, WorkspaceSettingContext)):
        security = spec.get("defaultSecuritySetting", {})
        expected = context.security
        assert security.get("propagationStrategy") == expected.propagation
        assert security.get("authenticationSettings", {}).get("trafficMode") == expected.traffic_mode
        assert security.get("authorization", {}).get("mode") == expected.authorization_mode
        rules = security.get("authorization", {}).get("rules", {})
        assert rules.get("denyAll", False) is expected.deny_all
        for key, fqns in (("allow", expected.allow), ("deny", expected.deny)):
            assert rules.get(key, []) == [{"from": {"fqn": r.source}, "to": {"fqn": r.target}} for r in fqns]
    if isinstance(context, (TenantContext, WorkspaceContext)):
        assert spec.get("displayName") == context.display_name
    if isinstance(context, TenantContext):
        assert spec.get("description") == context.description
    if isinstance(context, WorkspaceContext):
        assert spec["namespaceSelector"]["names"] == list(context.selectors)
