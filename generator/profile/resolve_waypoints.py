"""Resolve `namespaces[].waypoint` and `namespaces[].policies` (model_waypoints.py)."""

from __future__ import annotations

from pathlib import PurePath
from typing import Any

from ..problems import ProfilePath
from .model_waypoints import DEFAULT_WAYPOINT_NAME, NamespaceWaypoint, PolicySource, WaypointTraffic
from .schema_waypoints import WHOLE_NAMESPACE


def namespace_waypoint(raw: dict[str, Any] | None, path: ProfilePath) -> NamespaceWaypoint | None:
    """Defaults: `for: service` (Istio's), `name: waypoint`, `use: namespace`."""
    if raw is None:
        return None
    use = raw.get("use", WHOLE_NAMESPACE)
    listed = use if isinstance(use, dict) else {}
    return NamespaceWaypoint(
        name=raw.get("name", DEFAULT_WAYPOINT_NAME),
        traffic=WaypointTraffic(raw.get("for", WaypointTraffic.SERVICE.value)),
        whole_namespace=use == WHOLE_NAMESPACE,
        services=tuple(listed.get("services", ())),
        workloads=tuple(listed.get("workloads", ())),
        path=path,
    )


def policy_source(written: str | None, path: ProfilePath, profile_dir: PurePath) -> PolicySource | None:
    if written is None:
        return None
    return PolicySource(written, str(profile_dir / written), path)
