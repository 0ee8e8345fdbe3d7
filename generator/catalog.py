"""The built-in demo apps a namespace can hold (`namespaces[].apps`).

An app is a list of Kubernetes objects, each rendered by one template with a fixed context; the
plan adds what comes from the profile (namespace, dataplane mode). Templates hold the manifest
shape, this module holds what differs between objects of the same shape.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class CatalogObject:
    api_version: str
    kind: str
    name: str
    template: str
    context: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class App:
    name: str
    description: str
    objects: tuple[CatalogObject, ...]


def _service_account(name: str) -> CatalogObject:
    return CatalogObject("v1", "ServiceAccount", name, "k8s/serviceaccount.yaml.j2")


def _http_service(name: str) -> CatalogObject:
    """The caffeine services: port 8000 named http, to container port 8080, selecting `app`."""
    return CatalogObject(
        "v1",
        "Service",
        name,
        "k8s/service.yaml.j2",
        {
            "labels": {"app": name, "service": name},
            "ports": [{"name": "http", "port": 8000, "targetPort": 8080}],
            "selector": {"app": name},
        },
    )


def _python_service(
    deployment: str, app: str, version: str, env: list[tuple[str, str]]
) -> CatalogObject:
    """A caffeine service: python:3.9 running one of the seed's programs (`programs/<deployment>.py`)."""
    return CatalogObject(
        "apps/v1",
        "Deployment",
        deployment,
        "apps/caffeine/deployment-python-service.yaml.j2",
        {
            "app": app,
            "version": version,
            "service_account": app,
            "container": app,
            "program": f"apps/caffeine/programs/{deployment}.py",
            "env": [{"name": "WORKON_HOME", "value": "/tmp"}]
            + [{"name": key, "value": value} for key, value in env],
        },
    )


_COFFEE_BEAN_URL = ("COFFEE_BEAN_URL", "http://coffee-bean:8000")
_INTERVAL = ("INTERVAL", "10")

CAFFEINE = App(
    "caffeine",
    "netshoot calling coffee-shop, which calls barista (v1 healthy, v2 failing 90%) and coffee-bean",
    (
        CatalogObject("v1", "ConfigMap", "curl-format", "apps/caffeine/configmap-curl-format.yaml.j2"),
        _service_account("netshoot"),
        CatalogObject("apps/v1", "Deployment", "netshoot", "apps/caffeine/deployment-netshoot.yaml.j2"),
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
