"""What each Kubernetes platform needs for Istio ambient: where its CNI lives, what else it asks."""

from __future__ import annotations

from dataclasses import dataclass

from .profile.model import Platform

K3S_CONF_DIR = "/var/lib/rancher/k3s/agent/etc/cni/net.d"


@dataclass(frozen=True)
class CniSettings:
    """`spec.components.istio.kubeSpec.CNI` of the ControlPlane."""

    binary_directory: str
    configuration_directory: str
    chained: bool
    configuration_file_name: str | None = None


DEFAULT_CNI = CniSettings("/opt/cni/bin", "/etc/cni/net.d", chained=True)

CNI_BY_PLATFORM: dict[Platform, CniSettings] = {
    Platform.GKE: CniSettings("/home/kubernetes/bin", "/etc/cni/net.d", chained=True),
    Platform.OPENSHIFT: CniSettings(
        "/var/lib/cni/bin", "/etc/cni/multus/net.d", chained=False, configuration_file_name="istio-cni.conf"
    ),
    Platform.K3S: CniSettings("/var/lib/rancher/k3s/data/current/bin/", K3S_CONF_DIR, chained=True),
    Platform.K3D: CniSettings("/bin", K3S_CONF_DIR, chained=True),
    Platform.MICROK8S: CniSettings(
        "/var/snap/microk8s/current/opt/cni/bin", "/var/snap/microk8s/current/args/cni-network", chained=True
    ),
}


def cni_settings(platform: Platform) -> CniSettings:
    return CNI_BY_PLATFORM.get(platform, DEFAULT_CNI)


def needs_critical_pods_quota(platform: Platform) -> bool:
    """GKE admits system-node-critical pods (istio-cni, ztunnel) outside kube-system only in
    namespaces that hold a ResourceQuota for that priority class."""
    return platform is Platform.GKE
