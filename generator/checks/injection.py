"""Never ambient and injection together, on a namespace or on a workload.

A namespace's labels come from its one `dataplane` (plan/namespaces.py), so a namespace cannot
carry both. A workload still can: its pods carry `istio.io/dataplane-mode: ambient` in an ambient
namespace (or with `ambient: true`), and an app's `labels:` may also ask Istio's injector for a
sidecar (`sidecar.istio.io/inject: "true"`, or `istio.io/rev`, which the revisioned injector
selects pods by). Such a pod would get a sidecar and be left out of ambient: refused.
`ambient: true` in a sidecar namespace is checks/apps.py's. Annotations are not checked: the
injector selects pods by label only.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..plan.namespaces import DATAPLANE_MODE_LABEL, REVISION_LABEL, pod_labels
from ..problems import Problem
from ..profile.model import Profile

INJECT_LABEL = "sidecar.istio.io/inject"


def _injection_label(labels: dict[str, str]) -> str | None:
    if labels.get(INJECT_LABEL) == "true":
        return INJECT_LABEL
    return REVISION_LABEL if REVISION_LABEL in labels else None


def ambient_pods_are_never_injected(profile: Profile) -> Iterator[Problem]:
    for namespace in profile.namespaces:
        for app in namespace.app_parameters:
            if pod_labels(namespace.dataplane, app.ambient).get(DATAPLANE_MODE_LABEL) != "ambient":
                continue
            key = _injection_label(dict(app.labels))
            if key is None:
                continue
            yield Problem(
                f"app '{app.name}' in namespace '{namespace.name}' runs in ambient, and its label '{key}' "
                "asks for a sidecar as well",
                "ambient-and-sidecar",
                (*app.path, "labels", key),
                "a pod runs ambient or a sidecar, never both: remove the label (or give the app `ambient: false` "
                "and keep its sidecar)",
                at_key=True,
            )
