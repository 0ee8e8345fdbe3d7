"""`gen schemas export DIR`: the pack and the Kubernetes schemas in kubeconform's layout, for teams
that run kubeconform themselves (offline: no schema is fetched)."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path, PurePosixPath
from typing import Any

from ..cli_paths import output_folder_problem
from ..files import replace_file

from .kubernetes import KUBERNETES_VERSION, file_name, kubernetes_schema
from ..kit.active import active_kit
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


def _schemas(kubernetes_version: str) -> dict[PurePosixPath, dict[str, Any]]:
    """Every schema of the export, by its path in the folder."""
    schemas: dict[PurePosixPath, dict[str, Any]] = {}
    for (api_version, kind), schema in sorted(resource_schemas().items()):
        if api_version == "v1":  # core group: kubeconform looks in the Kubernetes folder
            continue
        schemas[PurePosixPath("pack") / pack_path(api_version, kind)] = schema
    kit = active_kit()  # `--profile`: its kits' schemas, in the pack's layout (the kit's own)
    for (api_version, kind), kit_schema in sorted((kit.schemas if kit is not None else {}).items()):
        schemas[PurePosixPath("pack") / pack_path(api_version, kind)] = dict(kit_schema)
    for name, schema in sorted(VALUES_SCHEMAS.items()):
        schemas[PurePosixPath("pack/helm") / f"{name}.json"] = schema
    kubernetes = PurePosixPath("kubernetes") / f"v{kubernetes_version}-standalone-strict"
    for api_version, kind in KUBERNETES_KINDS:
        core = kubernetes_schema(api_version, kind, kubernetes_version)
        assert core is not None, f"kubernetes-validate has no {kind} {api_version}"
        schemas[kubernetes / file_name(api_version, kind)] = core
    schemas[kubernetes / file_name("v1", "List")] = V1_LIST
    return schemas


def export_problem(directory: Path, kubernetes_version: str = KUBERNETES_VERSION) -> tuple[Path, str] | None:
    """Why the export may not be written under `directory` (the path and the reason), found before
    anything is written: the folder itself (cli_paths), or, inside it, a symbolic link or a file where
    a folder goes, or a link or a folder where a schema goes."""
    problem = output_folder_problem(directory)
    if problem is not None:
        return directory, problem
    for relative in _schemas(kubernetes_version):
        path = directory
        for index, part in enumerate(relative.parts):
            path = path / part
            try:
                mode = os.lstat(path).st_mode
            except FileNotFoundError:
                break
            except OSError as error:
                return path, f"cannot be checked: {error.strerror}"
            last = index == len(relative.parts) - 1
            if stat.S_ISLNK(mode):
                return path, "is a symbolic link: gen does not write through one"
            if last and not stat.S_ISREG(mode):
                return path, "is not a regular file"
            if not last and not stat.S_ISDIR(mode):
                return path, "is not a folder"
    return None


def export_schemas(directory: Path, kubernetes_version: str = KUBERNETES_VERSION) -> list[Path]:
    """Write every schema under `directory` (checked with `export_problem`: each file is written
    beside its place and renamed there, never through a link); returns the files written."""
    written = []
    for relative, schema in _schemas(kubernetes_version).items():
        target = directory / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        replace_file(target, (json.dumps(schema, indent=2, sort_keys=True) + "\n").encode("utf-8"))
        written.append(target)
    return written


def kubeconform_locations(directory: Path) -> list[str]:
    """The `-schema-location` values that point kubeconform at an exported folder."""
    return [PACK_LOCATION.format(dir=directory), KUBERNETES_LOCATION.format(dir=directory)]
