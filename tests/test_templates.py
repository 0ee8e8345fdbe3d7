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
)
from generator.plan.namespaces import NamespaceContext
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
    (ManagementPlaneValuesContext(ambient_clusters=("a", "b")), None),
    (
        ControlPlaneValuesContext(
            cluster="c", platform="aks", istio_namespace="istio-system",
            cni=(("binaryDirectory", "/opt/cni/bin"), ("chained", True)),
        ),
        None,
    ),
    (CriticalPodsQuotaContext(name="gcp-critical-pods", namespace="istio-system"), ("v1", "ResourceQuota")),
    (NamespaceContext(name="n", labels={}), ("v1", "Namespace")),
    (NamespaceContext(name="n", labels={"istio.io/dataplane-mode": "ambient"}), ("v1", "Namespace")),
    *((context, (context.placement.api_version, context.kind)) for context in TSB_OBJECTS),
    (TsbListContext(items=(TSB_OBJECTS[0],)), ("v1", "List")),
    (TsbListContext(items=tuple(TSB_OBJECTS)), ("v1", "List")),
    (ServiceAccountContext(name="sa", namespace="n"), ("v1", "ServiceAccount")),
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
    if isinstance(context, TsbObjectContext):
        _assert_tsb_object(document, context)
    if isinstance(context, TsbListContext):
        assert len(document["items"]) == len(context.items)
        for item, expected in zip(document["items"], context.items):
            _assert_tsb_object(item, expected)
    if isinstance(context, NamespaceContext):
        assert document["metadata"].get("labels", {}) == dict(context.labels)


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
