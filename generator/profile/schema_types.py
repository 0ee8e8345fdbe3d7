"""The building blocks of the profile schema: patterns and the rule shapes that recur."""

from __future__ import annotations

from typing import Any

from ..kubernetes import INT64_MAX, QUANTITY

# Patterns end in \Z, not $: `$` also matches before a final newline ("caffeine\n").
DNS_LABEL = r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?\Z"
VERSION = r"^v?\d+\.\d+(\.\d+)?([-+][0-9A-Za-z]+([.-][0-9A-Za-z]+)*)?\Z"  # every match parses (model.Version)
# TSB namespaceSelector.names items: <cluster>/<namespace>, `*` for any, a trailing `*` for a prefix.
NAMESPACE_SELECTOR = r"^(\*|[^/*\s]+)/(\*|[^/*\s]+\*?)\Z"
# A workspace in this tenant (`caffeine-ws`) or in another declared tenant (`other-tenant/ws`).
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


def _pattern(fmt: str, regex: str, maxlength: int, required: bool = False) -> dict[str, Any]:
    return {
        "type": "string",
        "required": required,
        "empty": False,
        "regex": regex,
        "maxlength": maxlength,
        "meta": {"format": fmt},
    }


def _quantity() -> dict[str, Any]:
    """A resource quantity (`100m`, `"0.5"`, `128Mi`, 2) that Kubernetes holds as written: its syntax,
    at most 2^63-1 base units, to 1n (app_rules.AppRules._check_with_quantity). The JSON Schema says
    the syntax and the range of a whole number; the rest is gen's to check."""
    return {
        "type": ["string", "integer"],
        "check_with": "quantity",
        "meta": {"format": "quantity", "json_schema": {"pattern": QUANTITY, "minimum": 0, "maximum": INT64_MAX}},
    }


# `outputs:` of the estate, a cluster or a namespace: kit output name -> `true`, `false` or its
# parameters. Names and parameters are checked against the profile's kits (kit/settings.py).
KIT_OUTPUTS: dict[str, Any] = {
    "type": "dict",
    "keysrules": {"type": "string", "regex": DNS_LABEL, "meta": {"format": "dns-label"}},
    "valuesrules": {"type": ["boolean", "dict"]},
}
