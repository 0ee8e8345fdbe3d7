"""The resolved `migration:` section: phases, each a list of namespace references.

A reference names a namespace on every cluster that declares it (`cluster` None) or on one
cluster; checks/migration.py makes sure each names sidecar namespaces, once.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from ..problems import ProfilePath


BASELINE = "baseline"  # `migration.at` before the first phase


class Stage(StrEnum):
    """Where a namespace that its phase moves stands within the phase (migration/steps.py)."""

    PREPARE = "prepare"  # still on sidecars; its waypoint, `use-waypoint` labels and new policies added
    MOVE = "move"  # labelled ambient; the sidecars' selector policies kept until the clean-up


@dataclass(frozen=True)
class PhaseItem:
    namespace: str
    cluster: str | None  # None: every cluster that declares the namespace
    path: ProfilePath  # migration.phases[i].namespaces[j]

    def __str__(self) -> str:
        return self.namespace if self.cluster is None else f"{self.cluster}/{self.namespace}"


@dataclass(frozen=True)
class Phase:
    name: str
    items: tuple[PhaseItem, ...]
    path: ProfilePath  # migration.phases[i]


@dataclass(frozen=True)
class Migration:
    phases: tuple[Phase, ...]
    path: ProfilePath
    at: str = BASELINE  # where the migration stands: `baseline`, `<phase>` or `<phase>/<step>`


def resolve_migration(raw: dict[str, Any] | None) -> Migration | None:
    """From validated data (the schema guarantees the shape)."""
    if raw is None:
        return None
    resolved = []
    for i, phase in enumerate(raw["phases"]):
        items = []
        for j, text in enumerate(phase["namespaces"]):
            cluster, _, namespace = text.rpartition("/")
            items.append(PhaseItem(namespace, cluster or None, ("migration", "phases", i, "namespaces", j)))
        resolved.append(Phase(phase["name"], tuple(items), ("migration", "phases", i)))
    return Migration(tuple(resolved), ("migration",), raw.get("at", BASELINE))
