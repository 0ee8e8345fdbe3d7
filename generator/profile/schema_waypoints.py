"""The profile's shape for waypoints and DIRECT-mode policies: `namespaces[].waypoint`,
`namespaces[].policies` and `clusters[].istio.trustDomain` (see model_waypoints.py), and the
problems of the formats only these keys use."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


from ..cerberus_validators import cerberus_errors
from ..problems import Problem, ProfilePath
from .model_waypoints import WaypointTraffic
from .schema_types import _enum, _name

WHOLE_NAMESPACE = "namespace"
# An Istio trust domain: a DNS-like name (`cluster.local`, `prod.example.com`).
TRUST_DOMAIN = r"^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?\Z"

FORMATS = {
    "waypoint-use": (
        "a waypoint's users",
        "write `use: namespace` for every Service and pod of the namespace, or a mapping "
        "`use: {services: [productpage], workloads: [ratings-v1]}` (Service and Deployment names)",
    ),
    "trust-domain": (
        "a trust domain",
        "write the mesh's trust domain as istiod has it (meshConfig.trustDomain), such as \"east-0.tsb.local\" "
        "(TSB's default for cluster east-0)",
    ),
    "policy-source": (
        "a policy file or directory",
        "write a path relative to the profile: a YAML file of AuthorizationPolicies, or a directory of them",
    ),
}


def _names() -> dict[str, Any]:
    return {"type": "list", "unique_items": True, "schema": _name()}


NAMESPACE_WAYPOINT: dict[str, Any] = {
    "type": "dict",
    "schema": {
        "for": _enum("waypoint traffic type", [t.value for t in WaypointTraffic], required=False),
        "name": _name(required=False),
        "use": {
            "type": ["string", "dict"],
            "regex": rf"^{WHOLE_NAMESPACE}\Z",
            "meta": {"format": "waypoint-use"},
            "schema": {"services": _names(), "workloads": _names()},
        },
    },
}

POLICIES: dict[str, Any] = {"type": "string", "empty": False, "meta": {"format": "policy-source"}}

TRUST_DOMAIN_RULES: dict[str, Any] = {
    "type": "string",
    "regex": TRUST_DOMAIN,
    "maxlength": 253,
    "meta": {"format": "trust-domain"},
}


def _rules(schema: Mapping[str, Any], schema_path: tuple[Any, ...]) -> Mapping[str, Any]:
    node: Any = schema
    for part in schema_path:
        node = node.get(part, {}) if isinstance(node, Mapping) else {}
    return node if isinstance(node, Mapping) else {}


def waypoint_problem(error: Any, schema: Mapping[str, Any]) -> Problem | None:
    """The problem for a cerberus error about these keys' formats; None for the others."""
    fmt = _rules(schema, tuple(error.schema_path)[:-1]).get("meta", {}).get("format")
    if fmt not in FORMATS or error.code not in (
        cerberus_errors.REGEX_MISMATCH.code,
        cerberus_errors.BAD_TYPE.code,
        cerberus_errors.MAX_LENGTH.code,
    ):
        return None
    path: ProfilePath = tuple(error.document_path)
    what, hint = FORMATS[fmt]
    value = error.value
    shown = repr(value) if isinstance(value, str) else "this value"
    return Problem(f"{shown} is not {what}", fmt, path, hint)
