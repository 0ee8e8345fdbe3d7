"""`gen schemas export DIR`: the pack and the Kubernetes schemas in kubeconform's layout, for teams
that run kubeconform themselves (offline: no schema is fetched)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .kubernetes import KUBERNETES_VERSION, file_name, kubernetes_schema
from .pack import V1_LIST, VALUES_SCHEMAS, pack_path, resource_schemas

# The core kinds gen writes (apps of the catalog, namespaces, GKE's quota).
KUBERNETES_KINDS = (
    ("v1", "Namespace"),
    ("v1", "ServiceAccount"),
    ("v1", "Service"),
    ("v1", "ConfigMap"),
    ("v1", "ResourceQuota"),
    ("apps/v1", "Deployment"),
)
PACK_LOCATION = "{dir}/pack/{{{{ .Group }}}}/{{{{ .ResourceKind }}}}_{{{{ .ResourceAPIVersion }}}}.json"
KUBERNETES_LOCATION = (
    "{dir}/kubernetes/{{{{ .NormalizedKubernetesVersion }}}}-standalone{{{{ .StrictSuffix }}}}/"
    "{{{{ .ResourceKind }}}}{{{{ .KindSuffix }}}}.json"
)


def _write(path: Path, schema: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(schema, indent=2, sort_keys=True) + "\n", "utf-8")


def export_schemas(directory: Path, kubernetes_version: str = KUBERNETES_VERSION) -> list[Path]:
    """Write every schema under `directory`; returns the files written."""
    written = []
    for (api_version, kind), schema in sorted(resource_schemas().items()):
        if api_version == "v1":  # core group: kubeconform looks in the Kubernetes folder
            continue
        target = directory / "pack" / pack_path(api_version, kind)
        _write(target, schema)
        written.append(target)
    for name, schema in sorted(VALUES_SCHEMAS.items()):
        target = directory / "pack" / "helm" / f"{name}.json"
        _write(target, schema)
        written.append(target)
    kubernetes = directory / "kubernetes" / f"v{kubernetes_version}-standalone-strict"
    for api_version, kind in KUBERNETES_KINDS:
        core = kubernetes_schema(api_version, kind, kubernetes_version)
        assert core is not None, f"kubernetes-validate has no {kind} {api_version}"
        target = kubernetes / file_name(api_version, kind)
        _write(target, core)
        written.append(target)
    target = kubernetes / file_name("v1", "List")
    _write(target, V1_LIST)
    written.append(target)
    return written


def kubeconform_locations(directory: Path) -> list[str]:
    """The `-schema-location` values that point kubeconform at an exported folder."""
    return [PACK_LOCATION.format(dir=directory), KUBERNETES_LOCATION.format(dir=directory)]
