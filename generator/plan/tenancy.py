"""TSB tenancy objects in the form the profile asks for (`tsb.form`).

In apply order: the Tenants the profile owns, TenantSettings, Workspaces, WorkspaceSettings. Each
is one file in `management-plane/<mp>/tsb/`, which gets a kustomization like every folder of
objects.

- gitops: `tsb.tetrate.io/v2` objects in the management plane's GitOps namespace, placed in the
  hierarchy by `tsb.tetrate.io/{organization,tenant,workspace}` annotations. The management plane
  receives them (`gitops_receiver`: its values switch TSB's GitOps component on), and the folder
  also holds the GitOps namespace's Namespace, so that it exists before the first sync (Argo CD,
  Flux and `kubectl apply -k` all apply Namespaces before namespaced objects);
- tctl: `api.tsb.tetrate.io/v2` objects placed by `metadata.organization/tenant/workspace`, and
  the same objects once more as one `v1` List, `management-plane/<mp>/tsb-config.yaml`, in apply
  order, for `tctl apply -f`. The List sits outside `tsb/` and in no kustomization, so nothing
  applies the objects twice.

The specs are the same in both forms: one partial template per kind prints each object, for its
own file and for the List alike.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from posixpath import join as join_path
from typing import Any, ClassVar

from ..problems import ProfilePath
from ..profile.model import Profile, Rule, SecuritySettings, Tenant, TsbForm, Workspace
from .namespaces import NamespaceContext
from .outputs import (
    TSB_GITOPS_API,
    TSB_TCTL_API,
    ObjectContext,
    ObjectIdentity,
    Output,
    TemplateContext,
    object_output,
)

TSB_CONFIG_LIST = "tsb-config.yaml"


@dataclass(frozen=True)
class RuleFqns:
    """One allow or deny rule: the FQNs of its source and target."""

    source: str
    target: str


@dataclass(frozen=True)
class SecuritySpec:
    """A `defaultSecuritySetting`, as a TenantSetting or WorkspaceSetting prints it."""

    propagation: str | None
    traffic_mode: str | None
    authorization_mode: str | None
    deny_all: bool
    allow: tuple[RuleFqns, ...]
    deny: tuple[RuleFqns, ...]


@dataclass(frozen=True)
class TsbPlacement:
    """Where an object sits in the TSB hierarchy, in one form: its apiVersion, and its parents as
    annotations (gitops) or as metadata fields (tctl)."""

    api_version: str
    annotations: Mapping[str, str]
    parents: Mapping[str, str]


@dataclass(frozen=True, kw_only=True)
class TsbObjectContext(ObjectContext):
    """A TSB object. `body` is the partial that prints it whole, for its own file and for the List;
    templates see the context as `obj`."""

    kind: ClassVar[str]
    body: ClassVar[str]
    placement: TsbPlacement

    def variables(self) -> dict[str, Any]:
        return {"obj": self}


@dataclass(frozen=True, kw_only=True)
class TenantContext(TsbObjectContext):
    template: ClassVar[str] = "tsb/tenant.yaml.j2"
    body: ClassVar[str] = "tsb/_tenant.yaml.j2"
    kind: ClassVar[str] = "Tenant"
    display_name: str | None
    description: str | None


@dataclass(frozen=True, kw_only=True)
class TenantSettingContext(TsbObjectContext):
    template: ClassVar[str] = "tsb/tenantsetting.yaml.j2"
    body: ClassVar[str] = "tsb/_setting.yaml.j2"
    kind: ClassVar[str] = "TenantSetting"
    security: SecuritySpec


@dataclass(frozen=True, kw_only=True)
class WorkspaceContext(TsbObjectContext):
    template: ClassVar[str] = "tsb/workspace.yaml.j2"
    body: ClassVar[str] = "tsb/_workspace.yaml.j2"
    kind: ClassVar[str] = "Workspace"
    display_name: str | None
    selectors: tuple[str, ...]


@dataclass(frozen=True, kw_only=True)
class WorkspaceSettingContext(TsbObjectContext):
    template: ClassVar[str] = "tsb/workspacesetting.yaml.j2"
    body: ClassVar[str] = "tsb/_setting.yaml.j2"
    kind: ClassVar[str] = "WorkspaceSetting"
    security: SecuritySpec


@dataclass(frozen=True, kw_only=True)
class TsbListContext(TemplateContext):
    """Every TSB object of the profile in one `v1` List, in apply order (tctl form)."""

    template: ClassVar[str] = "tsb/list.yaml.j2"
    items: tuple[TsbObjectContext, ...]


@dataclass(frozen=True)
class _Planned:
    context: TsbObjectContext
    source: ProfilePath
    owner: str

    @property
    def identity(self) -> ObjectIdentity:
        context = self.context
        return ObjectIdentity(context.placement.api_version, context.kind, context.name, context.namespace)


def _fqns(rules: tuple[Rule, ...], organization: str) -> tuple[RuleFqns, ...]:
    return tuple(RuleFqns(rule.source.fqn(organization), rule.target.fqn(organization)) for rule in rules)


def _security_spec(security: SecuritySettings, organization: str) -> SecuritySpec:
    authorization = security.authorization
    return SecuritySpec(
        propagation=security.propagation.value if security.propagation else None,
        traffic_mode=security.traffic_mode.value if security.traffic_mode else None,
        authorization_mode=authorization.mode.value if authorization else None,
        deny_all=authorization.deny_all if authorization else False,
        allow=_fqns(authorization.allow, organization) if authorization else (),
        deny=_fqns(authorization.deny, organization) if authorization else (),
    )


class _Placer:
    """Placements and namespaces in the profile's form."""

    def __init__(self, profile: Profile) -> None:
        self.organization = profile.tsb.organization
        self.gitops = profile.tsb.form is TsbForm.GITOPS
        self.namespace = profile.tsb.gitops_namespace if self.gitops else None

    def place(self, tenant: str | None = None, workspace: str | None = None) -> TsbPlacement:
        parents = {"organization": self.organization}
        if tenant is not None:
            parents["tenant"] = tenant
        if workspace is not None:
            parents["workspace"] = workspace
        if self.gitops:
            return TsbPlacement(TSB_GITOPS_API, {f"tsb.tetrate.io/{k}": v for k, v in parents.items()}, {})
        return TsbPlacement(TSB_TCTL_API, {}, parents)


def _tenant_objects(placer: _Placer, tenant: Tenant) -> tuple[list[_Planned], list[_Planned]]:
    """The tenant's Tenant (if owned) and TenantSetting (if gen renders its settings)."""
    owner = f"tenant '{tenant.name}'"
    tenants = []
    if tenant.owned:
        context = TenantContext(
            name=tenant.name,
            namespace=placer.namespace,
            placement=placer.place(),
            display_name=tenant.display_name,
            description=tenant.description,
        )
        tenants.append(_Planned(context, (*tenant.path, "name"), owner))
    settings = []
    if tenant.security is not None:
        setting = TenantSettingContext(
            name=tenant.security.setting_name,
            namespace=placer.namespace,
            placement=placer.place(tenant.name),
            security=_security_spec(tenant.security, placer.organization),
        )
        settings.append(_Planned(setting, (*tenant.security.path, "settingName"), owner))
    return tenants, settings


def _workspace_objects(placer: _Placer, workspace: Workspace) -> tuple[list[_Planned], list[_Planned]]:
    owner = f"workspace '{workspace.tenant}/{workspace.name}'"
    context = WorkspaceContext(
        name=workspace.name,
        namespace=placer.namespace,
        placement=placer.place(workspace.tenant),
        display_name=workspace.display_name,
        selectors=workspace.namespace_selectors,
    )
    workspaces = [_Planned(context, (*workspace.path, "name"), owner)]
    settings = []
    if workspace.security is not None:
        setting = WorkspaceSettingContext(
            name=workspace.security.setting_name,
            namespace=placer.namespace,
            placement=placer.place(workspace.tenant, workspace.name),
            security=_security_spec(workspace.security, placer.organization),
        )
        settings.append(_Planned(setting, (*workspace.security.path, "settingName"), owner))
    return workspaces, settings


def _in_apply_order(profile: Profile) -> list[_Planned]:
    placer = _Placer(profile)
    tenants: list[_Planned] = []
    tenant_settings: list[_Planned] = []
    workspaces: list[_Planned] = []
    workspace_settings: list[_Planned] = []
    for tenant in profile.tenants:
        owned, settings = _tenant_objects(placer, tenant)
        tenants += owned
        tenant_settings += settings
        for workspace in tenant.workspaces:
            planned, settings = _workspace_objects(placer, workspace)
            workspaces += planned
            workspace_settings += settings
    return [*tenants, *tenant_settings, *workspaces, *workspace_settings]


def gitops_receiver(profile: Profile) -> str | None:
    """The cluster the GitOps-form TSB objects are delivered to, whose plane must run TSB's GitOps
    component: the management plane (`management-plane/<mp>/tsb/` is synced to it). None in the
    tctl form, and when the profile renders no TSB object."""
    if profile.tsb.form is not TsbForm.GITOPS or not _in_apply_order(profile):
        return None
    return profile.management_plane.cluster


def _gitops_namespace(profile: Profile, directory: str) -> Iterator[Output]:
    """The GitOps namespace, beside the objects that live in it, unless a namespace folder of the
    profile renders it on the receiving cluster already."""
    receiver = gitops_receiver(profile)
    name = profile.tsb.gitops_namespace
    if receiver is None or any(ns.name == name and receiver in ns.clusters for ns in profile.namespaces):
        return
    notes = (
        "The namespace TSB's GitOps component reads this folder's TSB objects from (tsb.gitopsNamespace),",
        "listed with them so that it exists before the first sync applies them.",
    )
    yield object_output(
        directory,
        "v1",
        "Namespace",
        NamespaceContext(name=name, labels={}, notes=notes),
        (*profile.tsb.path, "gitopsNamespace"),
        "the GitOps form's TSB objects",
    )


def tenancy_objects(profile: Profile, management_plane: str) -> Iterator[Output]:
    """The TSB objects of every tenant, under `<management_plane>/tsb/`, with (gitops) the namespace
    they live in, or (tctl) their List."""
    planned = _in_apply_order(profile)
    directory = join_path(management_plane, "tsb")
    yield from _gitops_namespace(profile, directory)
    for item in planned:
        context = item.context
        yield object_output(directory, context.placement.api_version, context.kind, context, item.source, item.owner)
    if profile.tsb.form is TsbForm.TCTL and planned:
        yield Output(
            join_path(management_plane, TSB_CONFIG_LIST),
            TsbListContext(items=tuple(item.context for item in planned)),
            (*profile.tsb.path, "form"),
            "the List of every TSB object, for `tctl apply -f`",
            ObjectIdentity("v1", "List", None, items=tuple(item.identity for item in planned)),
        )
