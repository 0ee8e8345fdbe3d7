"""The estate as of a phase: phase 0 is the profile as written (the baseline); phase N has every
namespace that phases 1..N list moved from `sidecar` to `ambient`.

A namespace is one per (cluster, name), a placement. A phase item names a namespace on every
cluster that declares it, or on one cluster; an entry of `namespaces:` on several clusters of
which a phase moves only some is split in two, each keeping the entry's profile path.
"""

from __future__ import annotations

from collections.abc import Set as AbstractSet
from dataclasses import replace

from ..problems import Problem
from ..profile.model import Dataplane, Namespace, Profile
from ..profile.model_migration import Phase, PhaseItem, Stage

Placement = tuple[str, str]  # (cluster, namespace)


def phases_of(profile: Profile) -> tuple[Phase, ...]:
    return profile.migration.phases if profile.migration else ()


def phase_folder(number: int, profile: Profile) -> str:
    """`00-baseline`, `01-<name>`, ..."""
    return "00-baseline" if number == 0 else f"{number:02d}-{phases_of(profile)[number - 1].name}"


def item_entries(profile: Profile, item: PhaseItem) -> list[tuple[str, Namespace]]:
    """(cluster, namespace entry) of every declared namespace the item names."""
    return [
        (cluster, namespace)
        for namespace in profile.namespaces
        if namespace.name == item.namespace
        for cluster in namespace.clusters
        if item.cluster in (None, cluster)
    ]


def phase_moves(profile: Profile, phase: Phase) -> list[tuple[PhaseItem, Placement]]:
    """Each placement the phase moves, with the item that names it, in the phase's order."""
    moves: list[tuple[PhaseItem, Placement]] = []
    for item in phase.items:
        for cluster, namespace in item_entries(profile, item):
            if (cluster, namespace.name) not in {placement for _, placement in moves}:
                moves.append((item, (cluster, namespace.name)))
    return moves


def moved_until(profile: Profile, number: int) -> set[Placement]:
    """The placements phases 1..number move."""
    return {placement for phase in phases_of(profile)[:number] for _, placement in phase_moves(profile, phase)}


def _split(namespace: Namespace, moved: set[Placement], staged: AbstractSet[Placement] = frozenset(),
           stage: Stage | None = None) -> list[Namespace]:
    """The entry split by where each of its clusters stands: as written, moved (ambient), or
    within the phase that moves it (`stage`: prepare keeps the sidecars, move labels ambient)."""
    done = tuple(cluster for cluster in namespace.clusters if (cluster, namespace.name) in moved)
    within = tuple(cluster for cluster in namespace.clusters if (cluster, namespace.name) in staged)
    if not done and not within:
        return [namespace]
    staying = tuple(cluster for cluster in namespace.clusters if cluster not in done and cluster not in within)
    parts = [replace(namespace, clusters=staying)] if staying else []
    if done:
        parts.append(replace(namespace, clusters=done, dataplane=Dataplane.AMBIENT))
    if within:
        dataplane = Dataplane.AMBIENT if stage is Stage.MOVE else namespace.dataplane
        parts.append(replace(namespace, clusters=within, dataplane=dataplane, stage=stage))
    return parts


def state_at(profile: Profile, number: int | None = None) -> Profile:
    """The profile as of phase `number` (None: after the last one), without migration: a plain
    profile in that state, which checks and planners take as they take any."""
    count = len(phases_of(profile))
    if count == 0:
        return profile  # nothing moves: the same model (and whatever was derived from it already)
    moved = moved_until(profile, count if number is None else number)
    namespaces = tuple(entry for namespace in profile.namespaces for entry in _split(namespace, moved))
    return replace(profile, namespaces=namespaces, migration=None)


def staged_state(profile: Profile, number: int, stage: Stage) -> Profile:
    """The profile within phase `number` (at least 1): the phases before it done, the namespaces it
    moves at `stage`."""
    done = moved_until(profile, number - 1)
    staged = {placement for _, placement in phase_moves(profile, phases_of(profile)[number - 1])}
    namespaces = tuple(entry for namespace in profile.namespaces for entry in _split(namespace, done, staged, stage))
    return replace(profile, namespaces=namespaces, migration=None)


def phase_number_problems(profile: Profile, number: int | None) -> list[Problem]:
    """A phase the profile does not have (`gen render --phase N`)."""
    count = len(phases_of(profile))
    if number is None or 0 <= number <= count:
        return []
    if profile.migration is None:
        return [Problem(f"--phase {number}: the profile has no `migration:`, only its state as written (phase 0)",
                        "phase", (), "leave --phase out, or add `migration.phases`")]
    return [Problem(f"--phase {number}: the profile has phases 0 (the baseline) to {count}", "phase",
                    (*profile.migration.path, "phases"), f"pick a phase from 0 to {count}, or leave --phase out "
                    "for the state after the last one")]
