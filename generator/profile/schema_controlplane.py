"""The profile's clusters and management plane: what each cluster runs (Istio, ambient, waypoints,
CNI, SPM agent) and the live helm values gen merges its overlays into."""

from __future__ import annotations

from typing import Any

from ..kubernetes import LABEL_VALUE, QUALIFIED_NAME
from ..platforms import NOTES
from .model import BASE_VALUES_NONE, Platform, WaypointMode
from .schema_types import KIT_OUTPUTS, _enum, _name, _pattern, _quantity, _record, _version
from .schema_waypoints import TRUST_DOMAIN_RULES

# Istio revision names (ztunnel, waypoints, CNI): DNS-1123 label characters, at most 56 long.
REVISION = r"^[a-z0-9](?:[-a-z0-9]*[a-z0-9])?\Z"
REVISION_MAX = 56
ABSOLUTE_PATH = r"^/[^\s]*\Z"


def _revision() -> dict[str, Any]:
    return _pattern("revision", REVISION, REVISION_MAX)


def _flag() -> dict[str, Any]:
    return {"type": "boolean"}


def _quantities() -> dict[str, Any]:
    return _record({name: _quantity() for name in ("cpu", "memory", "ephemeral-storage")})


RESOURCES = _record({"requests": _quantities(), "limits": _quantities()})

# What TSB accepts for its managed waypoints, at cluster level or for some namespaces.
WAYPOINT_SETTINGS: dict[str, Any] = {
    "revision": _revision(),
    "resources": RESOURCES,
    "disableLabelManagement": _flag(),
}

WAYPOINTS = _record(
    {
        "mode": _enum("waypoint mode", [m.value for m in WaypointMode], required=False),
        **WAYPOINT_SETTINGS,
        "namespaces": {
            "type": "list",
            "schema": {
                "type": "dict",
                "schema": {
                    "name": _name(required=False),
                    # Namespace labels, as Kubernetes spells them: a key or value it would refuse matches nothing.
                    "labels": {
                        "type": "dict",
                        "keysrules": {"type": "string", "regex": QUALIFIED_NAME, "meta": {"format": "label-key"}},
                        "valuesrules": {"type": "string", "regex": LABEL_VALUE, "meta": {"format": "label-value"}},
                    },
                    "enable": _flag(),
                    **WAYPOINT_SETTINGS,
                },
            },
        },
    }
)

CNI = _record(
    {
        "binaryDirectory": _pattern("absolute-path", ABSOLUTE_PATH, 4096),
        "configurationDirectory": _pattern("absolute-path", ABSOLUTE_PATH, 4096),
        "chained": _flag(),
        "configurationFileName": {"type": "string", "empty": False, "regex": r"^[^/\s]+\Z"},
        "cniDaemonsetNamespace": _name(required=False),
        "clusterRole": {"type": "string", "empty": False},
        "revision": _revision(),
    }
)

# A saved `helm get values` file (relative to the profile), or `none`: the rendered file alone
# installs the release. Any other spelling of none (`None`, `NONE`) is refused, not read as a file name.
BASE_VALUES = {
    "type": "string",
    "empty": False,
    "regex": rf"^({BASE_VALUES_NONE}|(?![Nn][Oo][Nn][Ee]\Z).+)\Z",
    "meta": {"format": "base-values"},
}

# Paths of values that look secret but are not, to keep: beside `baseValues`, paths in that file
# (`spec.components.oap.tokenTtl`); at the top of the profile, paths in the profile.
NOT_SECRET = {
    "type": "list",
    "unique_items": True,
    "schema": {"type": "string", "empty": False, "regex": r"^\S+\Z", "meta": {"format": "not-secret-path"}},
}

CLUSTER: dict[str, Any] = {
    "name": _name(),
    "outputs": KIT_OUTPUTS,  # the kit outputs of this cluster
    "platform": _enum("platform", [p.value for p in Platform]),
    "istio": _record(
        {"version": _version(), "namespace": _name(required=False), "trustDomain": TRUST_DOMAIN_RULES,
         # revision: sidecar namespaces are labelled `istio.io/rev: <revision>` instead of `istio-injection`
         "revision": _revision()},
        required=True,
    ),
    "ambient": _record(
        {
            "enabled": {"type": "boolean", "required": True},  # off unless switched on
            "edgeDnsResolution": _flag(),
            "ztunnelRevision": _revision(),
            "waypoints": WAYPOINTS,
        }
    ),
    "spmAgent": _record({"enabled": {"type": "boolean", "required": True}}),
    "cni": CNI,
    "baseValues": BASE_VALUES,
    "notSecret": NOT_SECRET,
    "acknowledge": {
        "type": "list",
        "unique_items": True,
        "schema": {"type": "string", "allowed": sorted(NOTES), "meta": {"noun": "platform note"}},
    },
}

MANAGEMENT_PLANE: dict[str, Any] = {"cluster": _name(), "baseValues": BASE_VALUES, "notSecret": NOT_SECRET}
