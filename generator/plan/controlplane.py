"""The helm values that switch ambient on: a ControlPlane overlay per cluster, the ManagementPlane
overlay once; and what a platform needs beside them (GKE's critical-pods quota).

Without `baseValues` an overlay holds only gen's settings, to be layered over the live values at
install time (and so no list: output/layering.py); with it, the rendered file is the live values
(secrets removed) with the overlay merged in (output/merge.py), to be applied alone, as is a file
whose profile entry says `baseValues: none` (the file alone installs the release).
"""

from __future__ import annotations

from abc import ABC, abstractmethod

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from posixpath import join as join_path
from typing import ClassVar

from ..platforms import KUBE_SYSTEM, cni_settings, needs_critical_pods_quota
from ..problems import ProfilePath
from ..profile.model import BaseValuesRef, Cluster, Profile, Resources, WaypointMode, WaypointSettings
from ..profile.values import LoadedValues
from .outputs import ObjectContext, Output, TemplateContext, object_output

Setting = tuple[str, str | int | bool]
BaseValues = Mapping[BaseValuesRef, LoadedValues]


@dataclass(frozen=True, kw_only=True)
class HelmValuesContext(TemplateContext, ABC):
    """What every values overlay says about the live values it goes with."""

    chart: ClassVar[str]  # the helm release, which is also the chart's name
    base_file: str | None  # the `baseValues` file merged in, as the profile names it
    dropped_secrets: tuple[str, ...]
    base: LoadedValues | None
    fresh_release: bool = False  # `baseValues: none`: this file alone installs the release
    # Not printed: the profile setting that puts each list into the values (dotted values path ->
    # profile path), for the errors of output/layering.py.
    list_sources: tuple[tuple[str, ProfilePath], ...] = ()

    def merge_base(self) -> LoadedValues | None:
        return self.base

    @property
    @abstractmethod
    def release_namespace(self) -> str:
        """The namespace of the helm release (each chart's own)."""

    @property
    def layered(self) -> bool:
        """Applied over the live values with `-f live-values.yaml -f <this file>`: helm merges maps
        but replaces lists, so such a file may hold no list."""
        return self.base_file is None and not self.fresh_release


@dataclass(frozen=True, kw_only=True)
class ManagementPlaneValuesContext(HelmValuesContext):
    template: ClassVar[str] = "helm/managementplane-values.yaml.j2"
    chart: ClassVar[str] = "managementplane"
    spm_clusters: tuple[str, ...]  # clusters whose SPM agents report to OAP
    gitops: bool = False  # the plane receives the GitOps-form TSB objects: TSB's GitOps component on

    @property
    def release_namespace(self) -> str:
        return "tsb"


@dataclass(frozen=True)
class WaypointConfig:
    """TSB waypoint settings as the ControlPlane spells them; empty tuples are left out."""

    settings: tuple[Setting, ...]  # enable, disableLabelManagement, revision
    requests: tuple[Setting, ...]
    limits: tuple[Setting, ...]


@dataclass(frozen=True)
class NamespaceLevelEntry:
    name: str | None
    labels: tuple[tuple[str, str], ...]
    config: WaypointConfig


@dataclass(frozen=True, kw_only=True)
class ControlPlaneValuesContext(HelmValuesContext):
    template: ClassVar[str] = "helm/controlplane-values.yaml.j2"
    chart: ClassVar[str] = "controlplane"
    cluster: str
    platform: str
    istio_namespace: str
    ambient: bool
    ztunnel_revision: str | None
    cni: tuple[Setting, ...]  # kubeSpec.CNI, in output order
    cluster_waypoints: WaypointConfig | None
    namespace_waypoints: tuple[NamespaceLevelEntry, ...]
    spm_agent: bool
    edge_dns_resolution: bool

    @property
    def release_namespace(self) -> str:
        return self.istio_namespace


@dataclass(frozen=True, kw_only=True)
class CriticalPodsQuotaContext(ObjectContext):
    template: ClassVar[str] = "k8s/resourcequota-critical-pods.yaml.j2"


def _loaded(ref: BaseValuesRef | None, base_values: BaseValues) -> LoadedValues | None:
    return base_values.get(ref) if ref else None


def management_plane_values(
    profile: Profile, directory: str, base_values: BaseValues, gitops: bool = False
) -> Iterator[Output]:
    """`gitops`: the management plane receives the GitOps-form TSB objects (tenancy.gitops_receiver)."""
    reporting = tuple(cluster.name for cluster in profile.clusters if cluster.ambient or cluster.spm_agent)
    ref = profile.management_plane.base_values
    if reporting or ref or gitops:
        base = _loaded(ref, base_values)
        yield Output(
            join_path(directory, "managementplane-values.yaml"),
            ManagementPlaneValuesContext(
                spm_clusters=reporting,
                gitops=gitops,
                base_file=ref.written if ref else None,
                dropped_secrets=base.dropped if base else (),
                base=base,
                fresh_release=profile.management_plane.fresh_release,
            ),
            profile.management_plane.path,
            "ManagementPlane helm values",
        )


def _quantities(values: Mapping[str, str | int]) -> tuple[Setting, ...]:
    return tuple(sorted(values.items()))


def _waypoint_config(settings: WaypointSettings, enable: bool | None) -> WaypointConfig:
    resources = settings.resources or Resources({}, {})
    fields: list[Setting] = []
    if enable is not None:
        fields.append(("enable", enable))
    if settings.disable_label_management is not None:
        fields.append(("disableLabelManagement", settings.disable_label_management))
    if settings.revision is not None:
        fields.append(("revision", settings.revision))
    return WaypointConfig(tuple(fields), _quantities(resources.requests), _quantities(resources.limits))


def _waypoints(cluster: Cluster) -> tuple[WaypointConfig | None, tuple[NamespaceLevelEntry, ...]]:
    """TSB's waypoint settings: on with the profile's settings when TSB manages waypoints, switched
    off explicitly otherwise (TSB's default is on)."""
    if not cluster.ambient:
        return None, ()
    waypoints = cluster.waypoints
    if waypoints is None:
        return None, ()
    if waypoints.mode is not WaypointMode.TSB_MANAGED:
        return WaypointConfig((("enable", False),), (), ()), ()
    entries = tuple(
        NamespaceLevelEntry(entry.name, tuple(sorted(entry.labels.items())), _waypoint_config(entry.settings, entry.settings.enable))
        for entry in waypoints.namespaces
    )
    return _waypoint_config(waypoints.cluster, True), entries


def _cni(cluster: Cluster) -> tuple[Setting, ...]:
    defaults = cni_settings(cluster.platform)
    settings: dict[str, str | bool] = {
        "binaryDirectory": defaults.binary_directory,
        "configurationDirectory": defaults.configuration_directory,
        "chained": defaults.chained,
    }
    if defaults.configuration_file_name:
        settings["configurationFileName"] = defaults.configuration_file_name
    if defaults.daemonset_namespace:
        settings["cniDaemonsetNamespace"] = defaults.daemonset_namespace
    settings.update(cluster.cni)
    return tuple(settings.items())


def cni_namespace(cluster: Cluster) -> str:
    """Where istio-cni runs: the profile's or platform's `cniDaemonsetNamespace`, else the Istio namespace."""
    chosen = dict(_cni(cluster)).get("cniDaemonsetNamespace")
    return chosen if isinstance(chosen, str) else cluster.istio_namespace


def _list_sources(cluster: Cluster, edge_dns: bool, namespace_level: bool) -> tuple[tuple[str, ProfilePath], ...]:
    """The lists the ControlPlane template may print, each with the profile setting behind it."""
    sources: list[tuple[str, ProfilePath]] = []
    if edge_dns:
        sources.append(("spec.components.xcp.kubeSpec.overlays", (*cluster.path, "ambient", "edgeDnsResolution")))
    if namespace_level and cluster.waypoints is not None:
        sources.append(("spec.components.istio.ambient.waypoints.namespaceLevel", (*cluster.waypoints.path, "namespaces")))
    return tuple(sources)


def control_plane(cluster: Cluster, base_values: BaseValues) -> Iterator[Output]:
    if not (cluster.ambient or cluster.spm_agent or cluster.base_values):
        return
    cluster_waypoints, namespace_waypoints = _waypoints(cluster)
    edge_dns_resolution = cluster.ambient and cluster.edge_dns_resolution
    ref = cluster.base_values
    base = _loaded(ref, base_values)
    yield Output(
        join_path("clusters", cluster.name, "control-plane", "controlplane-values.yaml"),
        ControlPlaneValuesContext(
            cluster=cluster.name,
            platform=cluster.platform.value,
            istio_namespace=cluster.istio_namespace,
            ambient=cluster.ambient,
            ztunnel_revision=cluster.ztunnel_revision if cluster.ambient else None,
            cni=_cni(cluster) if cluster.ambient else (),
            cluster_waypoints=cluster_waypoints,
            namespace_waypoints=namespace_waypoints,
            spm_agent=cluster.spm_agent,
            edge_dns_resolution=edge_dns_resolution,
            base_file=ref.written if ref else None,
            dropped_secrets=base.dropped if base else (),
            base=base,
            fresh_release=cluster.fresh_release,
            list_sources=_list_sources(cluster, edge_dns_resolution, bool(namespace_waypoints)),
        ),
        cluster.path,
        f"ControlPlane helm values of cluster '{cluster.name}'",
    )
    if cluster.ambient and needs_critical_pods_quota(cluster.platform):
        # ztunnel runs in the Istio namespace; istio-cni where cniDaemonsetNamespace says.
        for namespace in sorted({cluster.istio_namespace, cni_namespace(cluster)} - {KUBE_SYSTEM}):
            yield object_output(
                join_path("clusters", cluster.name, "namespaces", namespace),
                "v1",
                "ResourceQuota",
                CriticalPodsQuotaContext(name="gcp-critical-pods", namespace=namespace),
                (*cluster.path, "platform"),
                f"cluster '{cluster.name}' (GKE admits istio-cni and ztunnel only with this quota)",
            )
