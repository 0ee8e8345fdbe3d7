"""Ambient under TSB needs TSB >= 1.12.1 and Istio >= 1.24; canonical names across clusters are a
TSB 1.13.0 preview."""

from __future__ import annotations

from collections.abc import Iterator

from ..profile.model import Profile, Version
from ..problems import Problem, Severity

MIN_TSB_FOR_AMBIENT = Version.parse("1.12.1")
MIN_ISTIO_FOR_AMBIENT = Version.parse("1.24.0")
MIN_TSB_FOR_CANONICAL_NAMES = Version.parse("1.13.0")


def ambient_needs_supported_versions(profile: Profile) -> Iterator[Problem]:
    ambient = [cluster for cluster in profile.clusters if cluster.ambient]
    if not ambient:
        return
    if profile.tsb.version < MIN_TSB_FOR_AMBIENT:
        names = ", ".join(cluster.name for cluster in ambient)
        yield Problem(
            f"ambient mode needs TSB 1.12.1 or later, tsb.version is {profile.tsb.version}",
            "version",
            (*profile.tsb.path, "version"),
            f"upgrade TSB first, or set `ambient: {{enabled: false}}` on {names}",
        )
    for cluster in ambient:
        if cluster.istio_version < MIN_ISTIO_FOR_AMBIENT:
            yield Problem(
                f"ambient mode needs Istio 1.24 or later, cluster '{cluster.name}' runs {cluster.istio_version}",
                "version",
                (*cluster.path, "istio", "version"),
                "upgrade Istio on this cluster, or set `ambient: {enabled: false}` on it",
            )


def canonical_names_need_tsb_1_13(profile: Profile) -> Iterator[Problem]:
    if not profile.tsb.canonical_names:
        return
    path = (*profile.tsb.path, "canonicalNames")
    if profile.tsb.version < MIN_TSB_FOR_CANONICAL_NAMES:
        yield Problem(
            f"cross-cluster canonical Kubernetes names need TSB 1.13.0 or later, tsb.version is {profile.tsb.version}",
            "version",
            path,
            "upgrade TSB, or remove `canonicalNames` (non-canonical cross-cluster names work from TSB 1.12.1)",
        )
    else:
        yield Problem(
            "cross-cluster canonical Kubernetes names are a preview in TSB 1.13, not generally available",
            "preview",
            path,
            "keep them out of production until Tetrate declares them GA",
            Severity.WARNING,
        )
