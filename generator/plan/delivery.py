"""How the tree reaches the clusters: a kustomization at the top of every synced directory, and the
GitOps engine's objects (one Argo CD ApplicationSet, or a Flux GitRepository with one Kustomization
per synced directory).

Synced directories: `clusters/<cluster>/` (its namespaces) to each cluster, and, in the GitOps
form, `management-plane/<cluster>/` (the TSB objects and their namespace) to the management-plane
cluster. Helm values files beside them are not Kubernetes objects; the TSB install pipeline applies
them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from posixpath import dirname, relpath
from posixpath import join as join_path
from typing import ClassVar

from ..profile.model import Delivery, DeliveryEngine, Profile, TsbForm
from .outputs import KUSTOMIZATION, KustomizationContext, ObjectContext, ObjectIdentity, Output, object_output

DELIVERY_DIR = "delivery"
ARGOCD_API = "argoproj.io/v1alpha1"
FLUX_SOURCE_API = "source.toolkit.fluxcd.io/v1"
FLUX_KUSTOMIZE_API = "kustomize.toolkit.fluxcd.io/v1"


@dataclass(frozen=True)
class SyncedDirectory:
    name: str  # the Application or Kustomization name
    cluster: str  # where it is applied
    path: str  # in the repository


@dataclass(frozen=True, kw_only=True)
class ApplicationSetContext(ObjectContext):
    template: ClassVar[str] = "delivery/applicationset.yaml.j2"
    project: str
    repo_url: str
    revision: str
    directories: tuple[SyncedDirectory, ...]


@dataclass(frozen=True, kw_only=True)
class GitRepositoryContext(ObjectContext):
    template: ClassVar[str] = "delivery/gitrepository.yaml.j2"
    repo_url: str
    revision: str


@dataclass(frozen=True, kw_only=True)
class FluxKustomizationContext(ObjectContext):
    template: ClassVar[str] = "delivery/flux-kustomization.yaml.j2"
    source: str  # the GitRepository's name
    directory: SyncedDirectory
    remote: bool  # applied to another cluster, through its kubeconfig Secret


def synced_roots(profile: Profile) -> list[tuple[str, str]]:
    """(directory, cluster it is applied to), management plane first. In the tctl form the TSB
    objects are applied with `tctl apply`, not synced: the management plane has no synced folder."""
    management = profile.management_plane.cluster
    clusters = [(join_path("clusters", cluster.name), cluster.name) for cluster in profile.clusters]
    if profile.tsb.form is TsbForm.TCTL:
        return clusters
    return [(join_path("management-plane", management), management), *clusters]


def roll_ups(profile: Profile, leaves: set[str]) -> Iterator[Output]:
    """A kustomization.yaml at the top of every synced directory, listing the directories below it
    (`leaves`: every directory that has a kustomization)."""
    for root, cluster in synced_roots(profile):
        children = sorted(relpath(leaf, root) for leaf in leaves if leaf.startswith(root + "/"))
        if children:
            yield Output(
                join_path(root, KUSTOMIZATION),
                KustomizationContext(resources=tuple(children)),
                profile.management_plane.path if root.startswith("management-plane") else (),
                f"kustomization of {root} (synced to cluster '{cluster}')",
                ObjectIdentity("kustomize.config.k8s.io/v1beta1", "Kustomization", None),
            )


def _directories(profile: Profile, delivery: Delivery, synced: set[str]) -> tuple[SyncedDirectory, ...]:
    return tuple(
        SyncedDirectory(f"{profile.name}-{cluster}", cluster, join_path(delivery.path, profile.name, root))
        for root, cluster in synced_roots(profile)
        if root in synced
    )


def delivery_objects(profile: Profile, outputs: Iterable[Output]) -> Iterator[Output]:
    delivery = profile.delivery
    if delivery is None:
        return
    synced = {dirname(output.path) for output in outputs if output.path.count("/") == 2 and
              output.path.endswith("/" + KUSTOMIZATION)}
    directories = _directories(profile, delivery, synced)
    owner = f"delivery ({delivery.engine.value})"
    if delivery.engine is DeliveryEngine.ARGOCD:
        yield object_output(
            DELIVERY_DIR,
            ARGOCD_API,
            "ApplicationSet",
            ApplicationSetContext(
                name=profile.name, namespace=delivery.namespace, project=delivery.project,
                repo_url=delivery.repo_url, revision=delivery.revision, directories=directories,
            ),
            delivery.source,
            owner,
        )
        return
    yield object_output(
        DELIVERY_DIR,
        FLUX_SOURCE_API,
        "GitRepository",
        GitRepositoryContext(name=profile.name, namespace=delivery.namespace, repo_url=delivery.repo_url,
                             revision=delivery.revision),
        delivery.source,
        owner,
    )
    for directory in directories:
        yield object_output(
            DELIVERY_DIR,
            FLUX_KUSTOMIZE_API,
            "Kustomization",
            FluxKustomizationContext(
                name=directory.name, namespace=delivery.namespace, source=profile.name, directory=directory,
                remote=True,
            ),
            delivery.source,
            owner,
        )
