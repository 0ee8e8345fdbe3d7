"""Stage 5, plan: model -> the list of files to render.

This is the only code that decides output paths. Layout of `out/<profile>/`:

    management-plane/<mp-cluster>/managementplane-values.yaml   ManagementPlane helm values overlay
    management-plane/<mp-cluster>/tsb/                          TSB objects, GitOps form, + kustomization
    clusters/<cluster>/control-plane/controlplane-values.yaml   ControlPlane helm values overlay
    clusters/<cluster>/namespaces/<namespace>/                  Namespace, apps, ... + kustomization

One Kubernetes object per file, named `<kind>-<name>.yaml` in lower case; every directory of
Kubernetes objects gets a `kustomization.yaml` listing them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from posixpath import dirname
from posixpath import join as join_path
from typing import Any

from .catalog import APPS
from .model import Cluster, Dataplane, Namespace, Profile, Workspace
from .platforms import cni_settings, needs_critical_pods_quota
from .problems import Problem, ProfilePath, format_path

DATAPLANE_MODE_LABEL = "istio.io/dataplane-mode"
INJECTION_LABEL = "istio-injection"
TSB_GITOPS_API = "tsb.tetrate.io/v2"
KUSTOMIZATION = "kustomization.yaml"


@dataclass(frozen=True)
class ObjectIdentity:
    """What a rendered Kubernetes object must turn out to be when its text is parsed back."""

    api_version: str
    kind: str
    name: str | None
    namespace: str | None = None


@dataclass(frozen=True)
class Output:
    path: str  # relative to out/<profile>/, POSIX separators
    template: str
    context: Mapping[str, Any]
    source: ProfilePath  # the profile entry that asked for this file
    description: str
    identity: ObjectIdentity | None = None  # None for helm values overlays


@dataclass(frozen=True)
class Plan:
    profile: str
    outputs: tuple[Output, ...]


def object_file_name(kind: str, name: str) -> str:
    return f"{kind.lower()}-{name}.yaml"


def _object(
    directory: str,
    identity: ObjectIdentity,
    template: str,
    context: Mapping[str, Any],
    source: ProfilePath,
    owner: str,
) -> Output:
    assert identity.name is not None
    return Output(
        join_path(directory, object_file_name(identity.kind, identity.name)),
        template,
        {"name": identity.name, "namespace": identity.namespace, **context},
        source,
        f"{identity.kind} '{identity.name}' of {owner}",
        identity,
    )


def plan(profile: Profile) -> Plan:
    outputs = [
        *_management_plane(profile),
        *(output for cluster in profile.clusters for output in _control_plane(cluster)),
        *(output for namespace in profile.namespaces for output in _namespace_outputs(namespace)),
    ]
    outputs.extend(_kustomizations(outputs))
    return Plan(profile.name, tuple(sorted(outputs, key=lambda output: output.path)))


def _management_plane(profile: Profile) -> Iterator[Output]:
    root = join_path("management-plane", profile.management_plane.cluster)
    if any(cluster.ambient for cluster in profile.clusters):
        yield Output(
            join_path(root, "managementplane-values.yaml"),
            "helm/managementplane-values.yaml.j2",
            {"ambient_clusters": [cluster.name for cluster in profile.clusters if cluster.ambient]},
            profile.management_plane.path,
            "ManagementPlane helm values overlay",
        )
    for workspace in profile.workspaces:
        yield from _workspace_objects(profile, workspace, join_path(root, "tsb"))


def _tsb_annotations(profile: Profile, workspace: Workspace, *, with_workspace: bool) -> dict[str, str]:
    annotations = {
        "tsb.tetrate.io/organization": profile.tsb.organization,
        "tsb.tetrate.io/tenant": workspace.tenant,
    }
    if with_workspace:
        annotations["tsb.tetrate.io/workspace"] = workspace.name
    return annotations


def _workspace_objects(profile: Profile, workspace: Workspace, directory: str) -> Iterator[Output]:
    namespace = profile.tsb.gitops_namespace
    owner = f"workspace '{workspace.tenant}/{workspace.name}'"
    yield _object(
        directory,
        ObjectIdentity(TSB_GITOPS_API, "Workspace", workspace.name, namespace),
        "tsb/workspace.yaml.j2",
        {
            "annotations": _tsb_annotations(profile, workspace, with_workspace=False),
            "display_name": workspace.display_name,
            "selectors": list(workspace.namespace_selectors),
        },
        (*workspace.path, "name"),
        owner,
    )
    security = workspace.security
    if security is None:
        return
    authorization = security.authorization
    organization = profile.tsb.organization
    rules = {
        kind: [{"from": rule.source.fqn(organization), "to": rule.target.fqn(organization)} for rule in group]
        for kind, group in (
            ("allow", authorization.allow if authorization else ()),
            ("deny", authorization.deny if authorization else ()),
        )
    }
    yield _object(
        directory,
        ObjectIdentity(TSB_GITOPS_API, "WorkspaceSetting", security.setting_name, namespace),
        "tsb/workspacesetting.yaml.j2",
        {
            "annotations": _tsb_annotations(profile, workspace, with_workspace=True),
            "propagation": security.propagation.value if security.propagation else None,
            "authorization_mode": authorization.mode.value if authorization else None,
            "allow": rules["allow"],
            "deny": rules["deny"],
        },
        (*security.path, "settingName"),
        owner,
    )


def _control_plane(cluster: Cluster) -> Iterator[Output]:
    if not cluster.ambient:
        return
    cni = cni_settings(cluster.platform)
    yield Output(
        join_path("clusters", cluster.name, "control-plane", "controlplane-values.yaml"),
        "helm/controlplane-values.yaml.j2",
        {
            "cluster": cluster.name,
            "platform": cluster.platform.value,
            "istio_namespace": cluster.istio_namespace,
            "cni": {
                "binaryDirectory": cni.binary_directory,
                "configurationDirectory": cni.configuration_directory,
                "chained": cni.chained,
                **({"configurationFileName": cni.configuration_file_name} if cni.configuration_file_name else {}),
            },
        },
        cluster.path,
        f"ControlPlane helm values overlay of cluster '{cluster.name}'",
    )
    if needs_critical_pods_quota(cluster.platform):
        yield _object(
            join_path("clusters", cluster.name, "namespaces", cluster.istio_namespace),
            ObjectIdentity("v1", "ResourceQuota", "gcp-critical-pods", cluster.istio_namespace),
            "k8s/resourcequota-critical-pods.yaml.j2",
            {},
            (*cluster.path, "platform"),
            f"cluster '{cluster.name}' (GKE admits istio-cni and ztunnel only with this quota)",
        )


def namespace_labels(dataplane: Dataplane) -> dict[str, str]:
    if dataplane is Dataplane.AMBIENT:
        return {DATAPLANE_MODE_LABEL: "ambient"}
    if dataplane is Dataplane.SIDECAR:
        return {INJECTION_LABEL: "enabled"}
    return {}


def _namespace_outputs(namespace: Namespace) -> Iterator[Output]:
    pod_labels = {DATAPLANE_MODE_LABEL: "ambient"} if namespace.dataplane is Dataplane.AMBIENT else {}
    for cluster in namespace.clusters:
        directory = join_path("clusters", cluster, "namespaces", namespace.name)
        yield _object(
            directory,
            ObjectIdentity("v1", "Namespace", namespace.name),
            "k8s/namespace.yaml.j2",
            {"labels": namespace_labels(namespace.dataplane)},
            (*namespace.path, "name"),
            f"namespace '{namespace.name}'",
        )
        for index, app_name in enumerate(namespace.apps):
            for item in APPS[app_name].objects:
                yield _object(
                    directory,
                    ObjectIdentity(item.api_version, item.kind, item.name, namespace.name),
                    item.template,
                    {"pod_labels": pod_labels, **item.context},
                    (*namespace.path, "apps", index),
                    f"app '{app_name}'",
                )


def _kustomizations(outputs: Iterable[Output]) -> Iterator[Output]:
    by_directory: dict[str, list[str]] = defaultdict(list)
    for output in outputs:
        if output.identity is not None:
            directory = dirname(output.path)
            by_directory[directory].append(output.path[len(directory) + 1 :])
    for directory, files in by_directory.items():
        yield Output(
            join_path(directory, KUSTOMIZATION),
            "k8s/kustomization.yaml.j2",
            {"resources": sorted(set(files))},
            (),
            f"kustomization of {directory}",
            ObjectIdentity("kustomize.config.k8s.io/v1beta1", "Kustomization", None),
        )


def output_collisions(plan: Plan) -> list[Problem]:
    """Two entries of the profile that would write the same file (the same object)."""
    first: dict[str, Output] = {}
    problems = []
    for output in plan.outputs:
        earlier = first.setdefault(output.path, output)
        if earlier is output:
            continue
        problems.append(
            Problem(
                f"{output.description} and {earlier.description} ({format_path(earlier.source)}) "
                f"are the same object: both render {output.path}",
                "object-collision",
                output.source,
                "objects of one kind need distinct names within a Kubernetes namespace; rename one"
                + (f" (TSB objects all live in namespace '{output.identity.namespace}')"
                   if output.identity and output.identity.api_version == TSB_GITOPS_API else ""),
            )
        )
    return problems
