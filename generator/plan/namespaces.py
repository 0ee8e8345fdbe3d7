"""Namespaces, one per (cluster, name), with their dataplane labels and the catalog apps they hold."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from posixpath import join as join_path
from typing import ClassVar

from .apps import app_outputs
from ..profile.model import Dataplane, Namespace
from .outputs import ObjectContext, Output, object_output

DATAPLANE_MODE_LABEL = "istio.io/dataplane-mode"
INJECTION_LABEL = "istio-injection"
REVISION_LABEL = "istio.io/rev"


@dataclass(frozen=True, kw_only=True)
class NamespaceContext(ObjectContext):
    template: ClassVar[str] = "k8s/namespace.yaml.j2"
    labels: Mapping[str, str]
    notes: tuple[str, ...] = ()  # comment lines (who owns the namespace's waypoint)


def namespace_labels(dataplane: Dataplane, revision: str | None = None) -> dict[str, str]:
    """Never ambient and injection together. `revision`: the cluster's Istio revision, which
    sidecar namespaces name instead of the default injector."""
    if dataplane is Dataplane.AMBIENT:
        return {DATAPLANE_MODE_LABEL: "ambient"}
    if dataplane is Dataplane.SIDECAR:
        return {REVISION_LABEL: revision} if revision else {INJECTION_LABEL: "enabled"}
    return {}


def pod_labels(dataplane: Dataplane, ambient: bool | None) -> dict[str, str]:
    """The dataplane label of an app's pods. In an ambient namespace they carry it too, as in seed
    000 (`none` when the app opts out with `ambient: false`); elsewhere `ambient: true` enrolls
    them one workload at a time (checks refuse it in a sidecar namespace)."""
    if ambient is True or (dataplane is Dataplane.AMBIENT and ambient is None):
        return {DATAPLANE_MODE_LABEL: "ambient"}
    if dataplane is Dataplane.AMBIENT:
        return {DATAPLANE_MODE_LABEL: "none"}
    return {}


def namespace_folder_of(cluster: str, namespace: str) -> str:
    """The folder of a namespace on a cluster: `clusters/<cluster>/namespaces/<namespace>`."""
    return join_path("clusters", cluster, "namespaces", namespace)


def folder_outputs(namespace: Namespace, cluster: str, revision: str | None) -> Iterator[Output]:
    """The namespace's outputs in its folder on `cluster` (whose Istio revision is `revision`)."""
    directory = namespace_folder_of(cluster, namespace.name)
    yield object_output(
        directory,
        "v1",
        "Namespace",
        NamespaceContext(name=namespace.name, labels=namespace_labels(namespace.dataplane, revision)),
        (*namespace.path, "name"),
        f"namespace '{namespace.name}'",
    )
    for app in namespace.app_parameters:
        yield from app_outputs(directory, app, namespace.name, pod_labels(namespace.dataplane, app.ambient))
