"""Resolve `namespaces[].apps` entries: an app's name, or its name and parameters."""

from __future__ import annotations

from typing import Any

from ..problems import ProfilePath
from .model import AppParameters, AppResources, Pairs


def _pairs(raw: dict[str, Any]) -> Pairs:
    return tuple((key, str(value)) for key, value in raw.items())


def app_parameters(raw: str | dict[str, Any], path: ProfilePath, registry: str | None) -> AppParameters:
    """An app by name, or a mapping of its parameters; `catalog.registry` is the default registry."""
    if isinstance(raw, str):
        return AppParameters(name=raw, path=path, registry=registry)
    resources = raw.get("resources", {})
    return AppParameters(
        name=raw["name"],
        path=path,
        replicas=raw.get("replicas"),
        resources=AppResources(_pairs(resources.get("limits", {})), _pairs(resources.get("requests", {}))),
        env=tuple((container, _pairs(variables)) for container, variables in raw.get("env", {}).items()),
        registry=raw.get("registry", registry),
        ambient=raw.get("ambient"),
        labels=_pairs(raw.get("labels", {})),
        annotations=_pairs(raw.get("annotations", {})),
    )
