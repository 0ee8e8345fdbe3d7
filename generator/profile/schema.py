"""The profile's shape, as a cerberus schema.

Besides types and enums the schema says which strings are names (DNS-1123 labels), which are
references to other declared objects (`check_with`), and which lists must hold unique names.
`meta.format` names the kind of string so that error messages can give a hint that fits.
"""

from __future__ import annotations

from typing import Any

from .app_schema import app_list, catalog_settings
from .model import AuthorizationMode, Dataplane, PropagationStrategy, TrafficMode, TsbForm

from .schema_controlplane import CLUSTER, MANAGEMENT_PLANE, NOT_SECRET
from .schema_delivery import DELIVERY
from .schema_waypoints import NAMESPACE_WAYPOINT, POLICIES
from .schema_migration import MIGRATION
from .schema_types import (
    KIT_OUTPUTS,
    DNS_LABEL,
    NAMESPACE_SELECTOR,
    VERSION,
    WORKSPACE_REF,
    _enum,
    _name,
    _named_list,
    _record,
    _version,
)

__all__ = ["DNS_LABEL", "NAMESPACE_SELECTOR", "PROFILE_SCHEMA", "VERSION", "WORKSPACE_REF", "_version"]


KIT = {"type": "list", "schema": {"type": "string", "empty": False}}


def _rule_list() -> dict[str, Any]:
    ref = {
        "type": "string",
        "required": True,
        "regex": WORKSPACE_REF,
        "check_with": "workspace_ref",
        "meta": {"format": "workspace-ref"},
    }
    return {"type": "list", "schema": {"type": "dict", "schema": {"from": ref, "to": dict(ref)}}}


def _security() -> dict[str, Any]:
    """A `defaultSecuritySetting`: the same keys for a tenant and for a workspace."""
    return _record(
        {
            "settingName": _name(required=False),
            "trafficMode": _enum("traffic mode", [t.value for t in TrafficMode], required=False),
            "propagation": _enum("propagation strategy", [s.value for s in PropagationStrategy], required=False),
            "authorization": _record(
                {
                    "mode": _enum("authorization mode", [m.value for m in AuthorizationMode]),
                    "allow": _rule_list(),
                    "deny": _rule_list(),
                    "denyAll": {"type": "boolean"},
                }
            ),
        }
    )


WORKSPACE = {
    "name": _name(),
    "displayName": {"type": "string", "empty": False},
    "namespaces": {
        "type": "list",
        "required": True,
        "minlength": 1,
        "unique_items": True,
        "schema": {"type": "string", "regex": NAMESPACE_SELECTOR, "meta": {"format": "namespace-selector"}},
    },
    "security": _security(),
}

TENANT = {
    "name": _name(),
    "owned": {"type": "boolean"},  # true: gen renders the Tenant object; false (default): it exists already
    "displayName": {"type": "string", "empty": False},
    "description": {"type": "string", "empty": False},
    "security": _security(),
    "workspaces": _named_list(WORKSPACE),
}

PROFILE_SCHEMA: dict[str, Any] = {
    "profile": _name(),
    "tsb": _record(
        {
            "version": _version(),
            "organization": _name(),
            "gitopsNamespace": _name(),
            "canonicalNames": {"type": "boolean"},  # cross-cluster canonical names: TSB >= 1.13.0 preview
            "form": _enum("TSB object form", [f.value for f in TsbForm], required=False),
        },
        required=True,
    ),
    "managementPlane": _record(MANAGEMENT_PLANE, required=True),
    "clusters": _named_list(CLUSTER, required=True, minlength=1),
    "delivery": DELIVERY,
    "tenants": _named_list(TENANT),
    "namespaces": _named_list(
        {
            "name": _name(),
            "clusters": {
                "type": "list",
                "required": True,
                "minlength": 1,
                "unique_items": True,
                "schema": {"type": "string", "check_with": "cluster_ref"},
            },
            "dataplane": _enum("dataplane mode", [d.value for d in Dataplane]),
            "apps": app_list(),  # catalog apps by name, or with parameters (app_schema.py)
            "waypoint": NAMESPACE_WAYPOINT,  # an explicit waypoint (schema_waypoints.py)
            "policies": POLICIES,  # DIRECT-mode AuthorizationPolicy YAML, relative to the profile
            "outputs": KIT_OUTPUTS,  # the kit outputs of this namespace
        },
        unique=False,
    )
    | {"unique_per_cluster": True},  # a namespace is one per (cluster, name)
    "catalog": catalog_settings(),  # defaults for the catalog apps: `registry`
    "migration": MIGRATION,  # ordered phases from sidecars to ambient (schema_migration.py)
    "notSecret": NOT_SECRET,
    "kit": KIT,  # templating kits, relative to the profile (generator/kit/)
    "outputs": KIT_OUTPUTS,  # the kit outputs of the whole estate  # profile paths of values that look secret but are not (secrets/profile.py)
}
