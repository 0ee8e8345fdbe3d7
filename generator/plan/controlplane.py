"""The helm values overlays that switch ambient on: ControlPlane per cluster, ManagementPlane once;
and what a platform needs beside them (GKE's critical-pods quota)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from posixpath import join as join_path
from typing import ClassVar

from ..platforms import cni_settings, needs_critical_pods_quota
from ..profile.model import Cluster, Profile
from .outputs import ObjectContext, Output, TemplateContext, object_output


@dataclass(frozen=True, kw_only=True)
class ManagementPlaneValuesContext(TemplateContext):
    template: ClassVar[str] = "helm/managementplane-values.yaml.j2"
    ambient_clusters: tuple[str, ...]


@dataclass(frozen=True, kw_only=True)
class ControlPlaneValuesContext(TemplateContext):
    template: ClassVar[str] = "helm/controlplane-values.yaml.j2"
    cluster: str
    platform: str
    istio_namespace: str
    cni: tuple[tuple[str, str | bool], ...]  # kubeSpec.CNI, in output order


@dataclass(frozen=True, kw_only=True)
class CriticalPodsQuotaContext(ObjectContext):
    template: ClassVar[str] = "k8s/resourcequota-critical-pods.yaml.j2"


def management_plane_values(profile: Profile, directory: str) -> Iterator[Output]:
    ambient = tuple(cluster.name for cluster in profile.clusters if cluster.ambient)
    if ambient:
        yield Output(
            join_path(directory, "managementplane-values.yaml"),
            ManagementPlaneValuesContext(ambient_clusters=ambient),
            profile.management_plane.path,
            "ManagementPlane helm values overlay",
        )


def control_plane(cluster: Cluster) -> Iterator[Output]:
    if not cluster.ambient:
        return
    cni = cni_settings(cluster.platform)
    settings: list[tuple[str, str | bool]] = [
        ("binaryDirectory", cni.binary_directory),
        ("configurationDirectory", cni.configuration_directory),
        ("chained", cni.chained),
    ]
    if cni.configuration_file_name:
        settings.append(("configurationFileName", cni.configuration_file_name))
    yield Output(
        join_path("clusters", cluster.name, "control-plane", "controlplane-values.yaml"),
        ControlPlaneValuesContext(
            cluster=cluster.name,
            platform=cluster.platform.value,
            istio_namespace=cluster.istio_namespace,
            cni=tuple(settings),
        ),
        cluster.path,
        f"ControlPlane helm values overlay of cluster '{cluster.name}'",
    )
    if needs_critical_pods_quota(cluster.platform):
        yield object_output(
            join_path("clusters", cluster.name, "namespaces", cluster.istio_namespace),
            "v1",
            "ResourceQuota",
            CriticalPodsQuotaContext(name="gcp-critical-pods", namespace=cluster.istio_namespace),
            (*cluster.path, "platform"),
            f"cluster '{cluster.name}' (GKE admits istio-cni and ztunnel only with this quota)",
        )
