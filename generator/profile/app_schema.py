"""The profile's shape for catalog apps: `namespaces[].apps` entries and the `catalog:` defaults.

An entry of `namespaces[].apps` is an app's name, or a mapping of its name and parameters:

    apps:
    - sleep
    - name: caffeine
      replicas: 2                                  # every Deployment of the app
      resources: {limits: {memory: 256Mi}}         # replaces these quantities in every container
      env: {barista: {SUCCESS_PROBABILITY: "50"}}  # by container name
      registry: mirror.example.com/hub             # pull every image of the app from a mirror
      ambient: true                                # label the pods into (false: out of) ambient
      labels: {team: payments}                     # on every object and pod
      annotations: {owner: payments@example.com}   # on every object and pod

The rules that need the catalog (`catalog_app`, `unique_apps`, `check_with`) are in app_rules.py.
"""

from __future__ import annotations

from typing import Any

from ..images import REGISTRY
from ..kubernetes import ENV_NAME, INT32_MAX, LABEL_VALUE, QUALIFIED_NAME
from ..plan.catalog_schema import RESOURCE_NAMES
from .schema_types import _quantity

# The formats of strings in app parameters, for messages and hints (see app_rules.py).
FORMATS = {
    "registry": (
        "an image registry prefix",
        "write a registry host, with a port or path if needed: mirror.example.com/hub, "
        "registry.local:5000, localhost:5000 (the host needs a '.' or a ':' or is localhost)",
    ),
    "env-name": (
        "an environment variable name",
        "use letters, digits, '_', '-' and '.', not starting with a digit (INTERVAL, BARISTA_URL)",
    ),
    "label-key": (
        "a label or annotation key",
        "write a name of at most 63 letters, digits, '-', '_' and '.', starting and ending with a "
        "letter or digit, optionally after a DNS prefix and '/' (team, example.com/team)",
    ),
    "label-value": (
        "a label value",
        "at most 63 letters, digits, '-', '_' and '.', starting and ending with a letter or digit (or empty)",
    ),
}

_QUANTITIES = {"type": "dict", "schema": {name: _quantity() for name in RESOURCE_NAMES}}
_KEY = {"type": "string", "regex": QUALIFIED_NAME, "meta": {"format": "label-key"}}
REGISTRY_RULES = {"type": "string", "regex": REGISTRY, "meta": {"format": "registry"}}

APP_PARAMETERS: dict[str, Any] = {
    "name": {"type": "string", "required": True, "catalog_app": True},
    # Deployment.spec.replicas is an int32 in Kubernetes.
    "replicas": {"type": "integer", "min": 0, "max": INT32_MAX, "check_with": "not_boolean"},
    "resources": {"type": "dict", "schema": {"limits": _QUANTITIES, "requests": _QUANTITIES}},
    "env": {
        "type": "dict",
        "check_with": "app_containers",
        "valuesrules": {
            "type": "dict",
            "keysrules": {"type": "string", "regex": ENV_NAME, "meta": {"format": "env-name"}},
            "valuesrules": {"type": "string"},
        },
    },
    "registry": REGISTRY_RULES,
    "ambient": {"type": "boolean"},
    "labels": {
        "type": "dict",
        "check_with": "free_labels",
        "keysrules": _KEY,
        "valuesrules": {"type": "string", "regex": LABEL_VALUE, "meta": {"format": "label-value"}},
    },
    "annotations": {"type": "dict", "keysrules": _KEY, "valuesrules": {"type": "string"}},
}


def app_list() -> dict[str, Any]:
    """`namespaces[].apps`: names or mappings, each app at most once."""
    return {
        "type": "list",
        "unique_apps": True,
        "schema": {"type": ["string", "dict"], "catalog_app": True, "schema": APP_PARAMETERS, "meta": {"format": "app"}},
    }


def catalog_settings() -> dict[str, Any]:
    """`catalog:`: defaults for every app of the profile."""
    return {"type": "dict", "schema": {"registry": REGISTRY_RULES}}
