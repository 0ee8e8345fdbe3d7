"""The built-in demo apps a namespace can hold (`namespaces[].apps`).

An app is a list of Kubernetes objects; each knows its template's typed context and builds it for
a placement (the namespace it lands in, the labels the dataplane asks of its pods). Templates hold
the manifest shape, this module holds what differs between objects of the same shape.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import ClassVar

from .outputs import ObjectContext


@dataclass(frozen=True)
class Placement:
    """Where an app's objects land, and what the namespace's dataplane adds to its pods."""

    namespace: str
    pod_labels: Mapping[str, str]


@dataclass(frozen=True)
class ServicePort:
    name: str
    port: int
    targetPort: int  # noqa: N815 - the Kubernetes field name, as the template prints it


@dataclass(frozen=True)
class EnvVar:
    name: str
    value: str


@dataclass(frozen=True, kw_only=True)
class ServiceAccountContext(ObjectContext):
    template: ClassVar[str] = "k8s/serviceaccount.yaml.j2"


@dataclass(frozen=True, kw_only=True)
class ServiceContext(ObjectContext):
    template: ClassVar[str] = "k8s/service.yaml.j2"
    labels: Mapping[str, str]
    ports: tuple[ServicePort, ...]
    selector: Mapping[str, str]


@dataclass(frozen=True, kw_only=True)
class CurlFormatContext(ObjectContext):
    template: ClassVar[str] = "apps/caffeine/configmap-curl-format.yaml.j2"


@dataclass(frozen=True, kw_only=True)
class NetshootContext(ObjectContext):
    template: ClassVar[str] = "apps/caffeine/deployment-netshoot.yaml.j2"
    pod_labels: Mapping[str, str]


@dataclass(frozen=True, kw_only=True)
class PythonServiceContext(ObjectContext):
    template: ClassVar[str] = "apps/caffeine/deployment-python-service.yaml.j2"
    app: str
    version: str
    service_account: str
    container: str
    program: str  # a file under generator/templates, placed verbatim
    env: tuple[EnvVar, ...]
    pod_labels: Mapping[str, str]


@dataclass(frozen=True)
class CatalogObject:
    api_version: str
    kind: str
    build: Callable[[Placement], ObjectContext]


@dataclass(frozen=True)
class App:
    name: str
    description: str
    objects: tuple[CatalogObject, ...]


def _service_account(name: str) -> CatalogObject:
    return CatalogObject(
        "v1", "ServiceAccount", lambda at: ServiceAccountContext(name=name, namespace=at.namespace)
    )


def _http_service(name: str) -> CatalogObject:
    """The caffeine services: port 8000 named http, to container port 8080, selecting `app`."""
    return CatalogObject(
        "v1",
        "Service",
        lambda at: ServiceContext(
            name=name,
            namespace=at.namespace,
            labels={"app": name, "service": name},
            ports=(ServicePort("http", 8000, 8080),),
            selector={"app": name},
        ),
    )


def _python_service(deployment: str, app: str, version: str, env: list[tuple[str, str]]) -> CatalogObject:
    """A caffeine service: python:3.9 running one of the seed's programs (`programs/<deployment>.py`)."""
    variables = (EnvVar("WORKON_HOME", "/tmp"), *(EnvVar(key, value) for key, value in env))
    return CatalogObject(
        "apps/v1",
        "Deployment",
        lambda at: PythonServiceContext(
            name=deployment,
            namespace=at.namespace,
            app=app,
            version=version,
            service_account=app,
            container=app,
            program=f"apps/caffeine/programs/{deployment}.py",
            env=variables,
            pod_labels=at.pod_labels,
        ),
    )


_COFFEE_BEAN_URL = ("COFFEE_BEAN_URL", "http://coffee-bean:8000")
_INTERVAL = ("INTERVAL", "10")

CAFFEINE = App(
    "caffeine",
    "netshoot calling coffee-shop, which calls barista (v1 healthy, v2 failing 90%) and coffee-bean",
    (
        CatalogObject("v1", "ConfigMap", lambda at: CurlFormatContext(name="curl-format", namespace=at.namespace)),
        _service_account("netshoot"),
        CatalogObject(
            "apps/v1",
            "Deployment",
            lambda at: NetshootContext(name="netshoot", namespace=at.namespace, pod_labels=at.pod_labels),
        ),
        _service_account("coffee-shop"),
        _http_service("coffee-shop"),
        _python_service(
            "coffee-shop",
            "coffee-shop",
            "v1",
            [("BARISTA_URL", "http://barista:8000"), _COFFEE_BEAN_URL, _INTERVAL],
        ),
        _service_account("barista"),
        _http_service("barista"),
        _python_service("barista-v1", "barista", "v1", [_COFFEE_BEAN_URL, ("VERSION", "v1"), _INTERVAL]),
        _python_service(
            "barista-v2",
            "barista",
            "v2",
            [_COFFEE_BEAN_URL, ("VERSION", "v2"), ("SUCCESS_PROBABILITY", "10"), _INTERVAL],
        ),
        _service_account("coffee-bean"),
        _http_service("coffee-bean"),
        _python_service("coffee-bean", "coffee-bean", "v1", []),
    ),
)

APPS: dict[str, App] = {app.name: app for app in (CAFFEINE,)}
APP_NAMES = frozenset(APPS)
