"""The resolved profile: frozen, typed, defaults applied, references resolved.

Every object keeps `path`, where it stands in the profile, so that checks and the plan can point
problems back at the line that caused them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import total_ordering

from packaging.version import InvalidVersion
from packaging.version import Version as PackagingVersion

from ..problems import ProfilePath
from .model_waypoints import NamespaceWaypoint, PolicySource
from .model_migration import Migration, Stage


class Platform(StrEnum):
    GKE = "gke"
    EKS = "eks"
    AKS = "aks"
    OPENSHIFT = "openshift"
    K3S = "k3s"
    K3D = "k3d"
    KIND = "kind"
    MINIKUBE = "minikube"
    MICROK8S = "microk8s"
    GENERIC = "generic"


class Dataplane(StrEnum):
    AMBIENT = "ambient"
    SIDECAR = "sidecar"
    NONE = "none"


class WaypointMode(StrEnum):
    TSB_MANAGED = "tsb-managed"  # TSB deploys waypoints, labels and translated policies
    EXPLICIT = "explicit"  # gen renders the waypoint Gateways
    OFF = "off"  # no waypoints


class AuthorizationMode(StrEnum):
    UNSET = "UNSET"
    NAMESPACE = "NAMESPACE"
    GROUP = "GROUP"
    WORKSPACE = "WORKSPACE"
    CLUSTER = "CLUSTER"
    DISABLED = "DISABLED"
    CUSTOM = "CUSTOM"
    RULES = "RULES"


class PropagationStrategy(StrEnum):
    REPLACE = "REPLACE"
    STRICTER = "STRICTER"


class TrafficMode(StrEnum):
    UNSET = "UNSET"
    OPTIONAL = "OPTIONAL"
    REQUIRED = "REQUIRED"


class TsbForm(StrEnum):
    """How TSB objects are written: `tsb.tetrate.io/v2` + annotations for a GitOps engine, or
    `api.tsb.tetrate.io/v2` + `metadata.organization/tenant/workspace` for `tctl apply`."""

    GITOPS = "gitops"
    TCTL = "tctl"


def _pep440(text: str) -> str:
    """Vendor builds such as `1.24.3-tetrate0` read as the local version `1.24.3+tetrate0`."""
    try:
        PackagingVersion(text)
    except InvalidVersion:
        release, dash, rest = text.partition("-")
        if dash and rest:
            return f"{release}+{rest}"
    return text


@total_ordering
@dataclass(frozen=True)
class Version:
    """A version as written (`text`), compared as packaging compares it: "1.24" == "1.24.0"."""

    text: str = field(compare=False)
    parsed: PackagingVersion = field(repr=False)

    @classmethod
    def parse(cls, text: str) -> Version:
        try:
            return cls(text, PackagingVersion(_pep440(text)))
        except InvalidVersion:
            raise ValueError(f"not a version: {text!r}") from None

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Version):
            return NotImplemented
        return self.parsed < other.parsed

    def __str__(self) -> str:
        return self.text


@dataclass(frozen=True)
class Tsb:
    version: Version
    organization: str
    gitops_namespace: str
    path: ProfilePath
    canonical_names: bool = False
    form: TsbForm = TsbForm.GITOPS


# `baseValues: none`: the release has no live values; the rendered values file alone installs it.
BASE_VALUES_NONE = "none"


@dataclass(frozen=True)
class BaseValuesRef:
    """A saved `helm get values` file named by the profile (`path` as written, relative to it)."""

    written: str
    file: str  # where it is on disk
    path: ProfilePath  # the profile's `baseValues` entry
    not_secret: tuple[str, ...] = ()  # `notSecret`: paths of values to keep that look secret but are not

    @property
    def not_secret_path(self) -> ProfilePath:
        return (*self.path[:-1], "notSecret")


@dataclass(frozen=True)
class ManagementPlane:
    cluster: str
    path: ProfilePath
    base_values: BaseValuesRef | None = None
    fresh_release: bool = False  # `baseValues: none`: the rendered values file alone installs the release


Quantities = Mapping[str, str | int]


@dataclass(frozen=True)
class Resources:
    requests: Quantities
    limits: Quantities


@dataclass(frozen=True)
class WaypointSettings:
    """TSB's waypoint settings (ControlPlane `ambient.waypoints.clusterLevel` or a namespace's `config`)."""

    revision: str | None = None
    resources: Resources | None = None
    disable_label_management: bool | None = None
    enable: bool | None = None


@dataclass(frozen=True)
class NamespaceWaypoints:
    """A `namespaceLevel` entry: settings that replace the cluster's for one namespace, or for the
    namespaces whose labels match."""

    name: str | None
    labels: Mapping[str, str]
    settings: WaypointSettings
    path: ProfilePath


@dataclass(frozen=True)
class Waypoints:
    mode: WaypointMode
    cluster: WaypointSettings
    namespaces: tuple[NamespaceWaypoints, ...]
    path: ProfilePath


# A kit output's settings at one level of the profile (`outputs:` of the estate, a cluster or a
# namespace): (output name, the setting as canonical JSON: `true`, `false` or a parameters mapping).
KitSettings = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Cluster:
    name: str
    platform: Platform
    istio_version: Version
    istio_namespace: str
    ambient: bool
    path: ProfilePath
    # `istio.trustDomain`, else TSB's `<cluster>.tsb.local`: the SPIFFE principals' prefix
    trust_domain: str
    edge_dns_resolution: bool = False
    ztunnel_revision: str | None = None
    waypoints: Waypoints | None = None  # None: TSB-managed with TSB's defaults
    spm_agent: bool = False
    cni: Mapping[str, str | bool] = field(default_factory=dict)  # the profile's overrides, by TSB field
    base_values: BaseValuesRef | None = None
    fresh_release: bool = False  # `baseValues: none`: the rendered values file alone installs the release
    acknowledged: frozenset[str] = frozenset()
    outputs: KitSettings = ()  # kit outputs' settings for this cluster (kit/settings.py)
    trust_domain_set: bool = False  # whether the profile says it (rendered policies say which)
    istio_revision: str | None = None  # sidecar namespaces: `istio.io/rev: <revision>`

    @property
    def waypoint_mode(self) -> WaypointMode:
        return self.waypoints.mode if self.waypoints else WaypointMode.TSB_MANAGED


@dataclass(frozen=True)
class TenancyRef:
    """What an allow or deny rule names: a tenant (`workspace` is None) or one of its workspaces."""

    tenant: str
    workspace: str | None = None

    def fqn(self, organization: str) -> str:
        tenant = f"organizations/{organization}/tenants/{self.tenant}"
        return tenant if self.workspace is None else f"{tenant}/workspaces/{self.workspace}"

    def contains(self, other: TenancyRef) -> bool:
        """Whether everything `other` names is also named by this (a tenant holds its workspaces)."""
        return self.tenant == other.tenant and self.workspace in (None, other.workspace)

    def __str__(self) -> str:
        return self.tenant if self.workspace is None else f"{self.tenant}/{self.workspace}"


@dataclass(frozen=True)
class Rule:
    source: TenancyRef
    target: TenancyRef
    path: ProfilePath


@dataclass(frozen=True)
class Authorization:
    mode: AuthorizationMode
    allow: tuple[Rule, ...]
    deny: tuple[Rule, ...]
    path: ProfilePath
    deny_all: bool = False


@dataclass(frozen=True)
class SecuritySettings:
    """A `defaultSecuritySetting`, of a tenant (TenantSetting) or a workspace (WorkspaceSetting)."""

    setting_name: str
    propagation: PropagationStrategy | None
    authorization: Authorization | None
    path: ProfilePath
    traffic_mode: TrafficMode | None = None


@dataclass(frozen=True)
class Workspace:
    name: str
    tenant: str
    display_name: str | None
    namespace_selectors: tuple[str, ...]
    security: SecuritySettings | None
    path: ProfilePath

    @property
    def ref(self) -> TenancyRef:
        return TenancyRef(self.tenant, self.name)


@dataclass(frozen=True)
class Tenant:
    """`owned`: gen renders the Tenant object; otherwise the tenant exists and is only referenced.
    `security` is None only for a referenced tenant whose settings the profile leaves alone."""

    name: str
    workspaces: tuple[Workspace, ...]
    path: ProfilePath
    owned: bool = False
    display_name: str | None = None
    description: str | None = None
    security: SecuritySettings | None = None


Pairs = tuple[tuple[str, str], ...]  # a mapping as written in the profile, in its order


@dataclass(frozen=True)
class AppResources:
    """Quantities the profile sets, by resource name (`cpu`, `memory`); each replaces the
    catalog's quantity of that name in that section."""

    limits: Pairs = ()
    requests: Pairs = ()


@dataclass(frozen=True)
class AppParameters:
    """One entry of `namespaces[].apps`: a catalog app and what the profile changes about it.
    None and empty mean "as the catalog has it"."""

    name: str
    path: ProfilePath
    replicas: int | None = None
    resources: AppResources = AppResources()
    env: tuple[tuple[str, Pairs], ...] = ()  # container -> variables
    registry: str | None = None  # the image registry prefix (the app's, else `catalog.registry`)
    ambient: bool | None = None  # workload-level enrollment: label the pods in or out of ambient
    labels: Pairs = ()
    annotations: Pairs = ()


@dataclass(frozen=True)
class Namespace:
    name: str
    clusters: tuple[str, ...]
    dataplane: Dataplane
    apps: tuple[str, ...]
    path: ProfilePath
    app_parameters: tuple[AppParameters, ...] = ()  # one per name in `apps`, in order
    waypoint: NamespaceWaypoint | None = None  # explicit waypoint (model_waypoints.py)
    policies: PolicySource | None = None  # DIRECT-mode AuthorizationPolicies to translate
    stage: Stage | None = None  # within the migration phase that moves it (None: at rest)
    outputs: KitSettings = ()  # kit outputs' settings for this namespace (kit/settings.py)


class DeliveryEngine(StrEnum):
    ARGOCD = "argocd"
    FLUX = "flux"


@dataclass(frozen=True)
class Delivery:
    """How a GitOps engine picks the tree up: one Argo CD ApplicationSet, or Flux Kustomizations."""

    engine: DeliveryEngine
    repo_url: str
    revision: str
    path: str  # where the output folder lies in the repository
    namespace: str  # where the engine's objects live
    project: str  # Argo CD project
    source: ProfilePath


@dataclass(frozen=True)
class Profile:
    name: str
    tsb: Tsb
    management_plane: ManagementPlane
    clusters: tuple[Cluster, ...]
    tenants: tuple[Tenant, ...]
    namespaces: tuple[Namespace, ...]
    delivery: Delivery | None = None
    # Phases from sidecars to ambient; `namespaces` is the state before them (the baseline).
    migration: Migration | None = None
    kit: tuple[str, ...] = ()  # kit folders, relative to the profile (generator/kit/)
    outputs: KitSettings = ()  # kit outputs' settings for the whole estate

    def cluster(self, name: str) -> Cluster:
        return next(cluster for cluster in self.clusters if cluster.name == name)

    @property
    def base_value_refs(self) -> tuple[BaseValuesRef, ...]:
        """The live helm values files the profile names (management plane first)."""
        refs = (self.management_plane.base_values, *(cluster.base_values for cluster in self.clusters))
        return tuple(ref for ref in refs if ref is not None)

    @property
    def workspaces(self) -> tuple[Workspace, ...]:
        return tuple(ws for tenant in self.tenants for ws in tenant.workspaces)
