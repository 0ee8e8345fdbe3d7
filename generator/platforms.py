"""What each Kubernetes platform needs for Istio ambient: where its CNI lives, what else it asks,
and what gen cannot render but a platform team must know (notes, printed as warnings)."""

from __future__ import annotations

from dataclasses import dataclass

from .profile.model import Platform

K3S_CONF_DIR = "/var/lib/rancher/k3s/agent/etc/cni/net.d"
KUBE_SYSTEM = "kube-system"


@dataclass(frozen=True)
class CniSettings:
    """`spec.components.istio.kubeSpec.CNI` of the ControlPlane, as the platform needs it."""

    binary_directory: str
    configuration_directory: str
    chained: bool
    configuration_file_name: str | None = None
    # Where istio-cni runs; None leaves TSB's default (the Istio namespace, in ambient).
    daemonset_namespace: str | None = None


DEFAULT_CNI = CniSettings("/opt/cni/bin", "/etc/cni/net.d", chained=True)

CNI_BY_PLATFORM: dict[Platform, CniSettings] = {
    Platform.GKE: CniSettings("/home/kubernetes/bin", "/etc/cni/net.d", chained=True),
    Platform.OPENSHIFT: CniSettings(
        "/var/lib/cni/bin",
        "/etc/cni/multus/net.d",
        chained=False,
        configuration_file_name="istio-cni.conf",
        daemonset_namespace=KUBE_SYSTEM,
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


@dataclass(frozen=True)
class PlatformNote:
    """Something an ambient cluster on this platform needs that gen does not render."""

    platform: Platform
    message: str
    hint: str


NOTES: dict[str, PlatformNote] = {
    "eks-pod-security-groups": PlatformNote(
        Platform.EKS,
        "with the VPC CNI's security groups for pods, ambient traffic is dropped unless aws-node runs "
        "with POD_SECURITY_GROUP_ENFORCING_MODE=standard",
        "kubectl set env daemonset aws-node -n kube-system POD_SECURITY_GROUP_ENFORCING_MODE=standard "
        "(only if you use security groups for pods)",
    ),
    "minikube-netns": PlatformNote(
        Platform.MINIKUBE,
        "minikube with the docker driver keeps network namespaces in /var/run/docker/netns, which istio-cni "
        "must be told",
        "set the Istio CNI value cniNetnsDir: /var/run/docker/netns on this cluster",
    ),
    "k3s-bundled-cni": PlatformNote(
        Platform.K3S,
        "the k3s CNI paths gen renders hold for k3s's bundled flannel only",
        "with another CNI (Cilium, Calico installed separately), set `cni.binaryDirectory` and "
        "`cni.configurationDirectory` to that CNI's paths",
    ),
    "openshift-unverified": PlatformNote(
        Platform.OPENSHIFT,
        "ambient on OpenShift under TSB is not publicly documented: Istio needs ztunnel and istio-cni in "
        "kube-system, global.platform=openshift, the multus CNI provider and SELinux type spc_t; gen renders "
        "the multus paths and cniDaemonsetNamespace kube-system, the rest is unverified",
        "check TSB's OpenShift ambient guidance with Tetrate before rollout",
    ),
}


def platform_notes(platform: Platform) -> dict[str, PlatformNote]:
    return {key: note for key, note in NOTES.items() if note.platform is platform}
