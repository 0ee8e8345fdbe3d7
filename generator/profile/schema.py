"""The profile's shape, as a cerberus schema.

Besides types and enums the schema says which strings are names (DNS-1123 labels), which are
references to other declared objects (`check_with`), and which lists must hold unique names.
`meta.format` names the kind of string so that error messages can give a hint that fits.
"""

from __future__ import annotations

from typing import Any

from ..plan.catalog import APP_NAMES
from .model import AuthorizationMode, Dataplane, Platform, PropagationStrategy, TrafficMode, TsbForm

# Patterns end in \Z, not $: `$` also matches before a final newline ("caffeine\n").
DNS_LABEL = r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?\Z"
VERSION = r"^v?\d+\.\d+(\.\d+)?([-+][0-9A-Za-z]+([.-][0-9A-Za-z]+)*)?\Z"  # every match parses (model.Version)
# TSB namespaceSelector.names items: <cluster>/<namespace>, `*` for any, a trailing `*` for a prefix.
NAMESPACE_SELECTOR = r"^(\*|[^/*\s]+)/(\*|[^/*\s]+\*?)\Z"
# What a rule names: a workspace of this tenant or a tenant (`caffeine-ws`, `prod-api`), or a
# workspace of a declared tenant (`other-tenant/ws`).
WORKSPACE_REF = r"^([a-z0-9]([-a-z0-9]*[a-z0-9])?/)?[a-z0-9]([-a-z0-9]*[a-z0-9])?\Z"


def _name(required: bool = True) -> dict[str, Any]:
    return {
        "type": "string",
        "required": required,
        "empty": False,
        "regex": DNS_LABEL,
        "maxlength": 63,
        "meta": {"format": "dns-label"},
    }


def _version() -> dict[str, Any]:
    return {"type": "string", "required": True, "regex": VERSION, "meta": {"format": "version"}}


def _enum(noun: str, values: list[str], required: bool = True) -> dict[str, Any]:
    return {"type": "string", "required": required, "allowed": values, "meta": {"noun": noun}}


def _record(fields: dict[str, Any], required: bool = False) -> dict[str, Any]:
    return {"type": "dict", "required": required, "schema": fields}


def _named_list(
    item: dict[str, Any], required: bool = False, minlength: int = 0, unique: bool = True
) -> dict[str, Any]:
    rules: dict[str, Any] = {
        "type": "list",
        "required": required,
        "unique_names": unique,
        "schema": {"type": "dict", "schema": item},
    }
    if minlength:
        rules["minlength"] = minlength
    return rules


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
            "form": _enum("TSB object form", [f.value for f in TsbForm], required=False),
        },
        required=True,
    ),
    "managementPlane": _record({"cluster": _name()}, required=True),
    "clusters": _named_list(
        {
            "name": _name(),
            "platform": _enum("platform", [p.value for p in Platform]),
            "istio": _record(
                {"version": _version(), "namespace": _name(required=False)},
                required=True,
            ),
            "ambient": _record({"enabled": {"type": "boolean", "required": True}}),  # off unless switched on
        },
        required=True,
        minlength=1,
    ),
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
            "apps": {
                "type": "list",
                "unique_items": True,
                "schema": {"type": "string", "allowed": sorted(APP_NAMES), "meta": {"noun": "app of the catalog"}},
            },
        },
        unique=False,
    )
    | {"unique_per_cluster": True},  # a namespace is one per (cluster, name)
}
