"""`migration.phases` name sidecar namespaces the profile declares, each once.

What must hold at every phase (every other check, who may call whom) is migration/invariant.py's;
this check is about the references, and gates that one.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from ..migration.state import Placement, item_entries, phases_of
from ..problems import Problem, format_path
from ..profile.model import Dataplane, Profile


def _reference_hint(name: str, declared: list[str], where: str) -> str:
    names = sorted(set(declared))
    close = difflib.get_close_matches(name, names, n=1, cutoff=0.6)
    listed = f"declared {where}: {', '.join(names)}" if names else f"no {where} are declared"
    return (f"did you mean '{close[0]}'? " if close else "") + listed


def phases_move_sidecar_namespaces(profile: Profile) -> Iterator[Problem]:
    clusters = [cluster.name for cluster in profile.clusters]
    first: dict[Placement, str] = {}
    for number, phase in enumerate(phases_of(profile), 1):
        for item in phase.items:
            if item.cluster is not None and item.cluster not in clusters:
                yield Problem(
                    f"cluster '{item.cluster}' is not declared", "undeclared-reference", item.path,
                    _reference_hint(item.cluster, clusters, "clusters"),
                )
                continue
            entries = item_entries(profile, item)
            if not entries:
                where = "" if item.cluster is None else f" on cluster '{item.cluster}'"
                names = [ns.name for ns in profile.namespaces if item.cluster in (None, *ns.clusters)]
                yield Problem(
                    f"namespace '{item.namespace}' is not declared{where}", "undeclared-reference", item.path,
                    _reference_hint(item.namespace, names, "namespaces" + where),
                )
            for cluster, namespace in entries:
                placement = (cluster, namespace.name)
                if namespace.dataplane is not Dataplane.SIDECAR:
                    yield Problem(
                        f"namespace '{namespace.name}' on cluster '{cluster}' is `{namespace.dataplane.value}` in "
                        "the profile; a phase moves sidecar namespaces to ambient",
                        "not-sidecar", item.path,
                        "the namespaces' `dataplane:` is the state before the migration: give it `dataplane: "
                        f"sidecar` ({format_path((*namespace.path, 'dataplane'))}), or drop it from the phase"
                        + ("; write <cluster>/<namespace> to move one cluster's" if item.cluster is None else ""),
                    )
                elif placement in first:
                    yield Problem(
                        f"namespace '{namespace.name}' on cluster '{cluster}' is moved already, by {first[placement]}",
                        "duplicate-item", item.path, "a namespace moves to ambient once: remove one of the two",
                    )
                else:
                    first[placement] = f"phase {number} '{phase.name}' ({format_path(item.path)})"
