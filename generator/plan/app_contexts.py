"""The typed contexts of the catalog apps' Kubernetes objects, and the values inside them.

Each kind has one context class (`ServiceAccountContext`, `ServiceContext`, `DeploymentContext`,
`ConfigMapContext`) whose fields are everything an app entry (`templates/apps/<app>/app.yaml`) can
say about an object of that kind. The generic templates under `k8s/` print them. An app that needs
a template of its own adds a subclass here that only names that template (as caffeine does, to
keep the seed's exact layout); `TEMPLATE_CONTEXTS` lists every class the catalog may name.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from functools import lru_cache
from types import MappingProxyType
from typing import ClassVar

from ..kubernetes import Quantity
from .outputs import ObjectContext


@dataclass(frozen=True)
class ServicePort:
    name: str
    port: int
    targetPort: int | None = None  # noqa: N815 - the Kubernetes field; None: Kubernetes' default, the port


@dataclass(frozen=True)
class EnvVar:
    name: str
    value: str


@dataclass(frozen=True)
class VolumeMount:
    name: str
    mount_path: str


@dataclass(frozen=True)
class Volume:
    """A pod volume: an emptyDir, or a ConfigMap or Secret by name (`optional` only when given)."""

    name: str
    source: str  # "emptyDir" | "configMap" | "secret"
    reference: str | None = None  # the ConfigMap's name or the Secret's secretName
    optional: bool | None = None


VOLUME_SOURCES = ("emptyDir", "configMap", "secret")


@dataclass(frozen=True)
class Resources:
    """Quantities by resource name, sorted; an empty section is left out."""

    limits: tuple[tuple[str, Quantity], ...] = ()
    requests: tuple[tuple[str, Quantity], ...] = ()

    def sections(self) -> tuple[tuple[str, tuple[tuple[str, Quantity], ...]], ...]:
        return tuple((name, items) for name, items in (("limits", self.limits), ("requests", self.requests)) if items)


@dataclass(frozen=True)
class Container:
    name: str
    image: str
    image_pull_policy: str = "IfNotPresent"
    command: tuple[str, ...] = ()
    env: tuple[EnvVar, ...] = ()
    ports: tuple[int, ...] = ()  # containerPort
    volume_mounts: tuple[VolumeMount, ...] = ()
    resources: Resources = field(default_factory=Resources)

    def __repr__(self) -> str:
        """The dataclass's own form, built once per distinct container (`_described`): every cache
        key (output/cache.py) holds its Deployment's containers, programs included."""
        return _described(self)


@lru_cache(maxsize=4096)
def _described(container: Container) -> str:
    items = ", ".join(f"{item.name}={getattr(container, item.name)!r}" for item in fields(container) if item.repr)
    return f"{type(container).__qualname__}({items})"


@dataclass(frozen=True, kw_only=True)
class AppObjectContext(ObjectContext):
    """An object of a catalog app: every one carries labels and annotations (the catalog's and
    the profile's)."""

    api_version: ClassVar[str]
    kind: ClassVar[str]
    labels: Mapping[str, str] = field(default_factory=dict)
    annotations: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, kw_only=True)
class ServiceAccountContext(AppObjectContext):
    template: ClassVar[str] = "k8s/serviceaccount.yaml.j2"
    api_version: ClassVar[str] = "v1"
    kind: ClassVar[str] = "ServiceAccount"


@dataclass(frozen=True, kw_only=True)
class ServiceContext(AppObjectContext):
    template: ClassVar[str] = "k8s/service.yaml.j2"
    api_version: ClassVar[str] = "v1"
    kind: ClassVar[str] = "Service"
    ports: tuple[ServicePort, ...]
    selector: Mapping[str, str]


@dataclass(frozen=True, kw_only=True)
class DeploymentContext(AppObjectContext):
    template: ClassVar[str] = "k8s/deployment.yaml.j2"
    api_version: ClassVar[str] = "apps/v1"
    kind: ClassVar[str] = "Deployment"
    replicas: int = 1
    selector: Mapping[str, str]  # spec.selector.matchLabels
    pod_labels: Mapping[str, str]
    pod_annotations: Mapping[str, str] = field(default_factory=dict)
    service_account: str
    termination_grace_period_seconds: int | None = None
    containers: tuple[Container, ...]
    volumes: tuple[Volume, ...] = ()


@dataclass(frozen=True, kw_only=True)
class ConfigMapContext(AppObjectContext):
    """A ConfigMap whose data its template holds (there is no generic ConfigMap template)."""

    api_version: ClassVar[str] = "v1"
    kind: ClassVar[str] = "ConfigMap"


@dataclass(frozen=True, kw_only=True)
class CurlFormatContext(ConfigMapContext):
    template: ClassVar[str] = "apps/caffeine/configmap-curl-format.yaml.j2"


@dataclass(frozen=True, kw_only=True)
class NetshootContext(DeploymentContext):
    """Caffeine's netshoot client, in the seed's key order."""

    template: ClassVar[str] = "apps/caffeine/deployment-netshoot.yaml.j2"


@dataclass(frozen=True, kw_only=True)
class PythonServiceContext(DeploymentContext):
    """A caffeine service (python:3.9 running one program), in the seed's key order."""

    template: ClassVar[str] = "apps/caffeine/deployment-python-service.yaml.j2"


# The kinds an app entry may hold, and their context classes.
KINDS: Mapping[str, type[AppObjectContext]] = MappingProxyType(
    {cls.kind: cls for cls in (ServiceAccountContext, ServiceContext, DeploymentContext, ConfigMapContext)}
)
# Every template an app entry may name, and its context class (a subclass of its kind's).
TEMPLATE_CONTEXTS: Mapping[str, type[AppObjectContext]] = MappingProxyType(
    {
        cls.template: cls
        for cls in (
            ServiceAccountContext,
            ServiceContext,
            DeploymentContext,
            CurlFormatContext,
            NetshootContext,
            PythonServiceContext,
        )
    }
)
