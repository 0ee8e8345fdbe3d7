"""`out/<profile>/README.md`: the estate at a glance, rendered with the tree (so `--check`, pruning
and the ledger cover it): per cluster a diagram and its namespaces; the tenancy; the calls the
apps make with their path, outcome, rule and enforcing component; the migration, where the profile
has one; and the checks to run once the GitOps engine has synced."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import ClassVar

from ..mesh import WaypointOwner, meshes
from ..migration.steps import Position, positions
from ..plan.outputs import Output, TemplateContext
from ..policies.load import LoadedPolicies
from ..profile.model import Profile, SecuritySettings
from .calls import EstateCall, estate_calls
from .deferred import Deferred
from .diagrams import cluster_diagram, tenancy_diagram

README = "README.md"


@dataclass(frozen=True)
class NamespaceRow:
    name: str
    dataplane: str
    waypoint: str  # "-" for none
    apps: str


@dataclass(frozen=True)
class ClusterView:
    name: str
    platform: str
    istio: str
    ambient: bool
    diagram: str | None  # None: too large for mermaid to draw
    namespaces: tuple[NamespaceRow, ...]
    script: str  # its verify script, relative to the tree


@dataclass(frozen=True)
class WorkspaceRow:
    tenant: str
    workspace: str
    namespaces: str
    authorization: str
    propagation: str


@dataclass(frozen=True)
class MigrationRow:
    position: str
    state: str  # done | current | to do


@dataclass(frozen=True, kw_only=True)
class EstateReadmeContext(TemplateContext):
    template: ClassVar[str] = "graph/README.md.j2"
    format: ClassVar[str] = "markdown"
    clusters: tuple[ClusterView, ...]
    tenancy: str | None  # the diagram
    workspaces: tuple[WorkspaceRow, ...]
    calls: tuple[EstateCall, ...]
    migration: tuple[MigrationRow, ...]
    at: str | None  # where the migration stands
    details: int = 30  # calls shown with their command and expected output (verify.sh has them all)


@dataclass(frozen=True)
class Estate:
    """What the README needs beyond the rendered state: the whole profile (its migration) and where
    the render stands in it."""

    profile: Profile
    position: Position
    policies: LoadedPolicies


def _waypoint_text(owner: WaypointOwner, name: str) -> str:
    return f"{name} ({'TSB-managed' if owner is WaypointOwner.TSB else 'gen'})"


def _clusters(state: Profile) -> tuple[ClusterView, ...]:
    views = []
    for cluster in state.clusters:
        rows = []
        for mesh in meshes(state):
            if mesh.cluster.name != cluster.name:
                continue
            waypoint = mesh.waypoint if mesh.ambient else None
            rows.append(NamespaceRow(
                mesh.namespace.name, "ambient" if mesh.ambient else mesh.namespace.dataplane.value,
                _waypoint_text(waypoint.owner, waypoint.name) if waypoint else "-",
                ", ".join(mesh.namespace.apps) or "-"))
        views.append(ClusterView(cluster.name, cluster.platform.value, str(cluster.istio_version), cluster.ambient,
                                 cluster_diagram(state, cluster), tuple(rows), f"clusters/{cluster.name}/verify.sh"))
    return tuple(views)


def _setting(security: SecuritySettings | None, tenant: SecuritySettings | None) -> tuple[str, str]:
    own = security.authorization.mode.value if security and security.authorization else None
    inherited = tenant.authorization.mode.value if tenant and tenant.authorization else None
    propagation = (security.propagation if security and security.propagation else
                   tenant.propagation if tenant and tenant.propagation else None)
    authorization = own or (f"{inherited} (tenant)" if inherited else "TSB default")
    return authorization, propagation.value if propagation else "TSB default"


def _workspaces(state: Profile) -> tuple[WorkspaceRow, ...]:
    return tuple(
        WorkspaceRow(tenant.name, workspace.name, ", ".join(workspace.namespace_selectors),
                     *_setting(workspace.security, tenant.security))
        for tenant in state.tenants for workspace in tenant.workspaces
    )


def _migration(estate: Estate) -> tuple[tuple[MigrationRow, ...], str | None]:
    if estate.profile.migration is None:
        return (), None
    rows = []
    found = list(positions(estate.profile, estate.policies))
    current = next((index for index, position in enumerate(found) if position == estate.position), 0)
    for index, position in enumerate(found):
        state = "done" if index < current else "current" if index == current else "to do"
        rows.append(MigrationRow(position.text(estate.profile), state))
    return tuple(rows), estate.position.text(estate.profile)


def readme_context(state: Profile, estate: Estate) -> EstateReadmeContext:
    rows, at = _migration(estate)
    return EstateReadmeContext(
        clusters=_clusters(state), tenancy=tenancy_diagram(state), workspaces=_workspaces(state),
        calls=tuple(estate_calls(state)), migration=rows, at=at,
    )


@dataclass(frozen=True, kw_only=True, eq=False)
class DeferredReadme(Deferred):
    template: ClassVar[str] = EstateReadmeContext.template
    format: ClassVar[str] = EstateReadmeContext.format


def readme_outputs(state: Profile, estate: Estate | None) -> Iterator[Output]:
    """The estate's README (only for a full render: `estate` given), its context built where it is
    rendered (graph/deferred.py)."""
    if estate is None:
        return
    # Measured at 1,000 namespaces: building and rendering it takes what 700 objects take, the
    # estate's calls (calls.py) included, which it builds first in its process.
    context = DeferredReadme(build=partial(readme_context, state, estate), estimate=1 + len(state.namespaces) * 7 // 10)
    yield Output(README, context, (), f"the README of estate '{state.name}'")


def rendered_state(path: Path) -> Profile:
    """The estate `gen render PATH` renders (where `migration.at` stands), checked as a render checks
    it (ProfileError with every problem if not)."""
    from ..migration.steps import resolve_position, state_of
    from ..pipeline import check_profile
    from ..policies.load import load_policies
    from ..problems import ProfileError, has_errors
    from ..profile.resolve import resolve

    loaded, planned, problems = check_profile(path)
    if planned is None or has_errors(problems):
        raise ProfileError(problems)
    profile = resolve(loaded.data, path.parent)
    policies, _ = load_policies(profile)
    position = resolve_position(profile, None, policies)
    return state_of(profile, position) if isinstance(position, Position) else profile
