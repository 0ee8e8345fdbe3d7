"""Catalog apps in their namespaces: workload-level ambient enrollment, resource quantities.

`ambient: true` on an app labels its pods `istio.io/dataplane-mode: ambient` (seed 000 enrolls
workloads that way). In a sidecar namespace that would put the pods in ambient and inject
sidecars into them: refused. In an ambient namespace the pods are enrolled already: a warning.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..plan.apps import resources_with
from ..plan.catalog import catalog
from ..profile.model import AppParameters, Dataplane, Namespace, Profile
from ..problems import Problem, Severity, format_path


def _apps(profile: Profile) -> Iterator[tuple[Namespace, AppParameters]]:
    for namespace in profile.namespaces:
        for app in namespace.app_parameters:
            yield namespace, app


def workload_ambient_fits_the_namespace(profile: Profile) -> Iterator[Problem]:
    for namespace, app in _apps(profile):
        where = (*app.path, "ambient")
        if app.ambient is True and namespace.dataplane is Dataplane.SIDECAR:
            yield Problem(
                f"app '{app.name}' enrolls its pods in ambient, but namespace '{namespace.name}' injects sidecars",
                "ambient-and-sidecar",
                where,
                "a pod runs ambient or a sidecar, never both: give the namespace `dataplane: none` (or "
                "`ambient`), or drop `ambient: true` from the app",
            )
        elif app.ambient is True and namespace.dataplane is Dataplane.AMBIENT:
            yield Problem(
                f"app '{app.name}': `ambient: true` changes nothing, namespace '{namespace.name}' is ambient",
                "redundant-ambient",
                where,
                "the namespace's pods are in ambient already; remove the key",
                Severity.WARNING,
            )
        elif app.ambient is False and namespace.dataplane is not Dataplane.AMBIENT:
            yield Problem(
                f"app '{app.name}': `ambient: false` changes nothing, namespace '{namespace.name}' is not ambient",
                "redundant-ambient",
                where,
                "only pods of an ambient namespace can opt out of ambient; remove the key",
                Severity.WARNING,
            )


def workload_ambient_needs_ambient_cluster(profile: Profile) -> Iterator[Problem]:
    """Ambient namespaces are checked by dataplane.py; this covers pods enrolled one by one."""
    for namespace, app in _apps(profile):
        if app.ambient is not True or namespace.dataplane is not Dataplane.NONE:
            continue
        for name in namespace.clusters:
            cluster = profile.cluster(name)
            if not cluster.ambient:
                yield Problem(
                    f"app '{app.name}' enrolls its pods in ambient, but cluster '{name}' has ambient disabled",
                    "ambient-disabled",
                    (*app.path, "ambient"),
                    f"enable ambient on cluster '{name}' ({format_path(cluster.path)}) or drop `ambient: true`",
                )


def requests_within_limits(profile: Profile) -> Iterator[Problem]:
    """Kubernetes refuses a container whose request exceeds its limit; the profile may change either."""
    for _, app in _apps(profile):
        changed = dict(app.resources.limits) | dict(app.resources.requests)
        if not changed:
            continue
        reported: set[str] = set()
        for deployment in catalog()[app.name].deployments:
            for container in deployment.containers:
                resources = resources_with(container.resources, app.resources)
                limits = dict(resources.limits)
                for name, request in resources.requests:
                    if name in reported or name not in limits or request.amount() <= limits[name].amount():
                        continue
                    reported.add(name)
                    section = "requests" if name in dict(app.resources.requests) else "limits"
                    yield Problem(
                        f"container '{container.name}' of app '{app.name}' would request {request} {name}, "
                        f"more than its limit {limits[name]}",
                        "request-over-limit",
                        (*app.path, "resources", section, name),
                        f"Kubernetes refuses a request above the limit: set `resources.limits.{name}` "
                        f"to at least {request}, or lower the request",
                    )
