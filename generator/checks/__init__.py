"""Stage 4, check: cross-object rules over the resolved model.

One small function per rule; each takes the model and yields problems. `CHECKS` is the registry
the pipeline runs, in this order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from ..profile.model import Profile
from ..problems import Problem
from . import apps, controlplane, dataplane, injection, migration, security, tenancy, versions, waypoints

Check = Callable[[Profile], Iterable[Problem]]

CHECKS: tuple[Check, ...] = (
    versions.ambient_needs_supported_versions,
    versions.canonical_names_need_tsb_1_13,
    controlplane.ambient_settings_need_ambient,
    controlplane.ambient_needs_the_spm_agent,
    controlplane.waypoint_settings_fit_their_mode,
    controlplane.platform_notes_are_read,
    dataplane.ambient_namespace_needs_ambient_cluster,
    tenancy.workspaces_own_their_namespaces,
    tenancy.rules_need_rules_mode,
    apps.workload_ambient_fits_the_namespace,
    apps.workload_ambient_needs_ambient_cluster,
    apps.requests_within_limits,
    tenancy.selectors_name_declared_clusters,
    tenancy.tenant_details_need_ownership,
    security.rules_are_unique_and_effective,
    security.weak_settings_name_what_they_expose,
    waypoints.waypoint_fits_the_cluster,
    waypoints.waypoint_name_is_not_reserved,
    waypoints.waypoint_users_exist_and_fit,
    waypoints.use_waypoint_labels_name_a_waypoint,
    injection.ambient_pods_are_never_injected,
    migration.phases_move_sidecar_namespaces,
)


def run_checks(profile: Profile, checks: Iterable[Check] = CHECKS) -> list[Problem]:
    return [problem for check in checks for problem in check(profile)]
