"""The plan -> template contract: every template has one typed context, and every branch of every
template renders to the YAML it claims to be."""

from __future__ import annotations

from importlib.resources import files
from typing import Any

import pytest
from ruamel.yaml import YAML

import generator.plan  # noqa: F401  (imports every planner, so every context class exists)
from generator.output.render import render
from generator.plan import ObjectIdentity, Output, Plan, TemplateContext
from generator.plan.catalog import (
    CurlFormatContext,
    EnvVar,
    NetshootContext,
    PythonServiceContext,
    ServiceAccountContext,
    ServiceContext,
    ServicePort,
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
from generator.starter import StarterProfileContext
from generator.plan.outputs import KustomizationContext
from generator.plan.tenancy import RuleFqns, WorkspaceContext, WorkspaceSettingContext

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


RULE = RuleFqns("organizations/o/tenants/t/workspaces/a", "organizations/o/tenants/t/workspaces/b")
ANNOTATIONS = {"tsb.tetrate.io/organization": "o", "tsb.tetrate.io/tenant": "t"}

# (context, apiVersion and kind it must render, or None for a values overlay), one per branch.
EXAMPLES: list[tuple[TemplateContext, tuple[str, str] | None]] = [
    (KustomizationContext(resources=("a.yaml", "b.yaml")), ("kustomize.config.k8s.io/v1beta1", "Kustomization")),
    (ManagementPlaneValuesContext(spm_clusters=("a", "b"), base_file=None, dropped_secrets=(), base=None), None),
    (ManagementPlaneValuesContext(spm_clusters=(), base_file="mp.yaml", dropped_secrets=("secrets.x",), base=None),
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
    (WorkspaceContext(name="w", namespace="g", annotations=ANNOTATIONS, display_name=None, selectors=("*/a",)),
     ("tsb.tetrate.io/v2", "Workspace")),
    (WorkspaceContext(name="w", namespace="g", annotations=ANNOTATIONS, display_name="W", selectors=("*/a", "c/b*")),
     ("tsb.tetrate.io/v2", "Workspace")),
    *(
        (
            WorkspaceSettingContext(
                name="s", namespace="g", annotations=ANNOTATIONS, propagation=propagation,
                authorization_mode=mode, allow=allow, deny=deny,
            ),
            ("tsb.tetrate.io/v2", "WorkspaceSetting"),
        )
        for propagation, mode, allow, deny in [
            (None, None, (), ()),
            ("STRICTER", None, (), ()),
            (None, "WORKSPACE", (), ()),
            ("REPLACE", "RULES", (RULE,), ()),
            (None, "RULES", (), (RULE,)),
            (None, "RULES", (RULE,), (RULE,)),
        ]
    ),
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
    (ServiceContext(name="s", namespace="n", labels={"app": "s"}, ports=(ServicePort("http", 80, 8080),),
                    selector={"app": "s"}), ("v1", "Service")),
    (CurlFormatContext(name="curl-format", namespace="n"), ("v1", "ConfigMap")),
    (NetshootContext(name="netshoot", namespace="n", pod_labels={}), ("apps/v1", "Deployment")),
    (NetshootContext(name="netshoot", namespace="n", pod_labels={"istio.io/dataplane-mode": "ambient"}),
     ("apps/v1", "Deployment")),
    (PythonServiceContext(name="d", namespace="n", app="a", version="v1", service_account="a", container="a",
                          program="apps/caffeine/programs/coffee-bean.py", env=(EnvVar("K", "V"),), pod_labels={}),
     ("apps/v1", "Deployment")),
]


def test_every_template_has_exactly_one_context_class() -> None:
    by_template: dict[str, list[str]] = {}
    for cls in _concrete_contexts():
        by_template.setdefault(cls.template, []).append(cls.__name__)
    assert {name: owners for name, owners in by_template.items() if len(owners) > 1} == {}
    assert set(by_template) == _template_files()


def test_every_context_class_has_examples() -> None:
    assert {type(context) for context, _ in EXAMPLES} == _concrete_contexts()


@pytest.mark.parametrize("context,kind", EXAMPLES, ids=lambda value: type(value).__name__)
def test_every_branch_renders_the_object_it_claims(context: TemplateContext, kind: tuple[str, str] | None) -> None:
    name = getattr(context, "name", None)
    identity = ObjectIdentity(kind[0], kind[1], name, getattr(context, "namespace", None)) if kind else None
    (rendered,) = render(Plan("p", (Output("x.yaml", context, (), "example", identity),)))
    document = YAML(typ="safe").load(rendered.text)
    assert isinstance(document, dict)
    if isinstance(context, WorkspaceSettingContext):
        spec = document["spec"]
        security = spec.get("defaultSecuritySetting", {})
        assert security.get("propagationStrategy") == context.propagation
        assert security.get("authorization", {}).get("mode") == context.authorization_mode
        rules = security.get("authorization", {}).get("rules", {})
        for key, expected in (("allow", context.allow), ("deny", context.deny)):
            assert rules.get(key, []) == [{"from": {"fqn": r.source}, "to": {"fqn": r.target}} for r in expected]
    if isinstance(context, NamespaceContext):
        assert document["metadata"].get("labels", {}) == dict(context.labels)
    if isinstance(context, FluxKustomizationContext):
        assert ("kubeConfig" in document["spec"]) is context.remote
    if isinstance(context, WorkspaceContext):
        assert document["spec"].get("displayName") == context.display_name
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
