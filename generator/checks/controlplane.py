"""Control-plane rules: ambient settings only where ambient is on, TSB waypoint settings only where
TSB manages waypoints, and the platform notes a team must act on."""

from __future__ import annotations

from collections.abc import Iterator

from ..platforms import NOTES, platform_notes
from ..problems import Problem, Severity
from ..profile.model import Profile, WaypointMode


def ambient_settings_need_ambient(profile: Profile) -> Iterator[Problem]:
    """A cluster without ambient gets what it asks for (the SPM agent), never half an ambient."""
    for cluster in profile.clusters:
        if cluster.ambient:
            continue
        asked = [
            (("ambient", "edgeDnsResolution"), cluster.edge_dns_resolution),
            (("ambient", "ztunnelRevision"), cluster.ztunnel_revision is not None),
            (("ambient", "waypoints"), cluster.waypoints is not None),
            (("cni",), bool(cluster.cni)),
        ]
        for keys, present in asked:
            if present:
                yield Problem(
                    f"'{keys[-1]}' configures ambient, which cluster '{cluster.name}' does not enable",
                    "half-ambient",
                    (*cluster.path, *keys),
                    "set `ambient: {enabled: true}` on this cluster, or remove the setting",
                    at_key=True,
                )


def ambient_needs_the_spm_agent(profile: Profile) -> Iterator[Problem]:
    for cluster in profile.clusters:
        if cluster.ambient and not cluster.spm_agent:
            yield Problem(
                f"cluster '{cluster.name}' runs ambient, which needs the SPM agent",
                "spm-agent",
                (*cluster.path, "spmAgent", "enabled"),
                "remove `spmAgent: {enabled: false}` (ambient under TSB reports through the SPM agent)",
            )


def waypoint_settings_fit_their_mode(profile: Profile) -> Iterator[Problem]:
    declared = {(cluster, ns.name) for ns in profile.namespaces for cluster in ns.clusters}
    for cluster in profile.clusters:
        waypoints = cluster.waypoints
        if waypoints is None or not cluster.ambient:
            continue
        managed = waypoints.mode is WaypointMode.TSB_MANAGED
        settings = waypoints.cluster
        for key, value in (
            ("revision", settings.revision),
            ("resources", settings.resources),
            ("disableLabelManagement", settings.disable_label_management),
            ("namespaces", waypoints.namespaces or None),
        ):
            if value is not None and not managed:
                yield Problem(
                    f"waypoint '{key}' is a setting of TSB-managed waypoints, and this cluster's mode is "
                    f"{waypoints.mode.value}",
                    "waypoint-mode",
                    (*waypoints.path, key),
                    "remove it, or set `mode: tsb-managed`",
                    at_key=True,
                )
        for entry in waypoints.namespaces if managed else ():
            if (entry.name is None) == (not entry.labels):
                yield Problem(
                    "a namespace-level waypoint entry names one namespace (`name`) or selects by `labels`, "
                    "not both and not neither",
                    "waypoint-entry",
                    entry.path,
                    "keep exactly one of `name:` and `labels:`",
                )
            elif entry.name is not None and (cluster.name, entry.name) not in declared:
                yield Problem(
                    f"namespace '{entry.name}' is not declared on cluster '{cluster.name}'",
                    "waypoint-entry",
                    (*entry.path, "name"),
                    "TSB applies the entry if the namespace exists; declare it under `namespaces:` to have gen "
                    "render it",
                    Severity.WARNING,
                )


def platform_notes_are_read(profile: Profile) -> Iterator[Problem]:
    """What a platform needs that gen cannot render, once per ambient cluster until acknowledged."""
    for cluster in profile.clusters:
        notes = platform_notes(cluster.platform)
        for key in sorted(cluster.acknowledged - set(notes)):
            yield Problem(
                f"note '{key}' is about {NOTES[key].platform.value}, not {cluster.platform.value}",
                "platform-note",
                (*cluster.path, "acknowledge"),
                f"notes for {cluster.platform.value}: {', '.join(sorted(notes)) or 'none'}",
                Severity.WARNING,
            )
        if not cluster.ambient:
            continue
        for key, note in sorted(notes.items()):
            if key not in cluster.acknowledged:
                yield Problem(
                    f"{note.message} [{key}]",
                    "platform-note",
                    (*cluster.path, "platform"),
                    f"{note.hint}; then add '{key}' to this cluster's `acknowledge:` list",
                    Severity.WARNING,
                )
