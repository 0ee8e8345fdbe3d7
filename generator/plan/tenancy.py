"""TSB tenancy objects: a Workspace per workspace, a WorkspaceSetting where it has security.

GitOps form: `tsb.tetrate.io/v2` objects in the management plane's GitOps namespace, placed in the
hierarchy by `tsb.tetrate.io/{organization,tenant,workspace}` annotations.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import ClassVar

from ..profile.model import Profile, Rule, Workspace
from .outputs import TSB_GITOPS_API, ObjectContext, Output, object_output


@dataclass(frozen=True)
class RuleFqns:
    """One allow or deny rule: the FQNs of its source and target."""

    source: str
    target: str


@dataclass(frozen=True, kw_only=True)
class WorkspaceContext(ObjectContext):
    template: ClassVar[str] = "tsb/workspace.yaml.j2"
    annotations: Mapping[str, str]
    display_name: str | None
    selectors: tuple[str, ...]


@dataclass(frozen=True, kw_only=True)
class WorkspaceSettingContext(ObjectContext):
    template: ClassVar[str] = "tsb/workspacesetting.yaml.j2"
    annotations: Mapping[str, str]
    propagation: str | None
    authorization_mode: str | None
    allow: tuple[RuleFqns, ...]
    deny: tuple[RuleFqns, ...]


def _annotations(profile: Profile, workspace: Workspace, *, with_workspace: bool) -> dict[str, str]:
    annotations = {
        "tsb.tetrate.io/organization": profile.tsb.organization,
        "tsb.tetrate.io/tenant": workspace.tenant,
    }
    if with_workspace:
        annotations["tsb.tetrate.io/workspace"] = workspace.name
    return annotations


def _fqns(rules: tuple[Rule, ...], organization: str) -> tuple[RuleFqns, ...]:
    return tuple(RuleFqns(rule.source.fqn(organization), rule.target.fqn(organization)) for rule in rules)


def workspace_objects(profile: Profile, workspace: Workspace, directory: str) -> Iterator[Output]:
    namespace = profile.tsb.gitops_namespace
    owner = f"workspace '{workspace.tenant}/{workspace.name}'"
    yield object_output(
        directory,
        TSB_GITOPS_API,
        "Workspace",
        WorkspaceContext(
            name=workspace.name,
            namespace=namespace,
            annotations=_annotations(profile, workspace, with_workspace=False),
            display_name=workspace.display_name,
            selectors=workspace.namespace_selectors,
        ),
        (*workspace.path, "name"),
        owner,
    )
    security = workspace.security
    if security is None:
        return
    authorization = security.authorization
    organization = profile.tsb.organization
    yield object_output(
        directory,
        TSB_GITOPS_API,
        "WorkspaceSetting",
        WorkspaceSettingContext(
            name=security.setting_name,
            namespace=namespace,
            annotations=_annotations(profile, workspace, with_workspace=True),
            propagation=security.propagation.value if security.propagation else None,
            authorization_mode=authorization.mode.value if authorization else None,
            allow=_fqns(authorization.allow, organization) if authorization else (),
            deny=_fqns(authorization.deny, organization) if authorization else (),
        ),
        (*security.path, "settingName"),
        owner,
    )
