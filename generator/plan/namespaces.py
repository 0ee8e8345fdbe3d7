"""Namespaces, one per (cluster, name), with their dataplane labels and the catalog apps they hold."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from posixpath import join as join_path
from typing import ClassVar

from .catalog import APPS, Placement
from ..profile.model import Dataplane, Namespace
from .outputs import ObjectContext, Output, object_output

DATAPLANE_MODE_LABEL = "istio.io/dataplane-mode"
INJECTION_LABEL = "istio-injection"


@dataclass(frozen=True, kw_only=True)
class NamespaceContext(ObjectContext):
    template: ClassVar[str] = "k8s/namespace.yaml.j2"
    labels: Mapping[str, str]


def namespace_labels(dataplane: Dataplane) -> dict[str, str]:
    if dataplane is Dataplane.AMBIENT:
        return {DATAPLANE_MODE_LABEL: "ambient"}
    if dataplane is Dataplane.SIDECAR:
        return {INJECTION_LABEL: "enabled"}
    return {}


def namespace_outputs(namespace: Namespace) -> Iterator[Output]:
    pod_labels = {DATAPLANE_MODE_LABEL: "ambient"} if namespace.dataplane is Dataplane.AMBIENT else {}
    placement = Placement(namespace=namespace.name, pod_labels=pod_labels)
    for cluster in namespace.clusters:
        directory = join_path("clusters", cluster, "namespaces", namespace.name)
        yield object_output(
            directory,
            "v1",
            "Namespace",
            NamespaceContext(name=namespace.name, labels=namespace_labels(namespace.dataplane)),
            (*namespace.path, "name"),
            f"namespace '{namespace.name}'",
        )
        for index, app_name in enumerate(namespace.apps):
            for item in APPS[app_name].objects:
                yield object_output(
                    directory,
                    item.api_version,
                    item.kind,
                    item.build(placement),
                    (*namespace.path, "apps", index),
                    f"app '{app_name}'",
                )
