"""A namespace can only run in ambient mode on clusters where ambient is switched on."""

from __future__ import annotations

from collections.abc import Iterator

from ..profile.model import Dataplane, Profile
from ..problems import Problem, format_path


def ambient_namespace_needs_ambient_cluster(profile: Profile) -> Iterator[Problem]:
    for namespace in profile.namespaces:
        if namespace.dataplane is not Dataplane.AMBIENT:
            continue
        for index, name in enumerate(namespace.clusters):
            cluster = profile.cluster(name)
            if not cluster.ambient:
                yield Problem(
                    f"namespace '{namespace.name}' is ambient but cluster '{name}' has ambient disabled",
                    "ambient-disabled",
                    (*namespace.path, "clusters", index),
                    f"enable ambient on cluster '{name}' ({format_path(cluster.path)}) "
                    "or give this namespace `dataplane: sidecar`",
                )
