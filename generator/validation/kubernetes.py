"""JSON Schemas of core Kubernetes kinds, from the maintained `kubernetes-validate` package.

Its schemas point into one shared `_definitions.json`; each kind is made standalone here (the refs
it needs copied under its own `$defs`), once per kind and run, so that the embedded validator and
kubeconform read the same files without a network.
"""

from __future__ import annotations

import json
from functools import cache
from importlib.util import find_spec
from pathlib import Path
from typing import Any

KUBERNETES_VERSION = "1.30.0"
_LOCAL = "#/$defs/"  # refs into _definitions.json, from a kind's file or from inside it


def _directory(version: str) -> Path:
    # Found, not imported: importing kubernetes_validate loads jsonschema and more (40 ms) for files.
    spec = find_spec("kubernetes_validate")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("kubernetes-validate is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "kubernetes-json-schema" / f"v{version}-local-strict"


@cache
def _definitions(version: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((_directory(version) / "_definitions.json").read_text("utf-8"))["$defs"]
    return loaded


def file_name(api_version: str, kind: str) -> str:
    """kubeconform's name for a Kubernetes kind: `deployment-apps-v1.json`, `namespace-v1.json`."""
    group, _, version = api_version.rpartition("/")
    group_part = f"-{group.split('.')[0]}" if group else ""
    return f"{kind.lower()}{group_part}-{version}.json"


def _refs(node: Any, found: set[str]) -> Any:
    """`node` with shared refs made local; the names it needs are added to `found`."""
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str) and _LOCAL in value:
                name = value.split(_LOCAL, 1)[1]
                found.add(name)
                out[key] = f"#/$defs/{name}"
            else:
                out[key] = _refs(value, found)
        return out
    if isinstance(node, list):
        return [_refs(item, found) for item in node]
    return node


@cache
def kubernetes_schema(api_version: str, kind: str, version: str = KUBERNETES_VERSION) -> dict[str, Any] | None:
    """The standalone strict schema of a core kind, or None if Kubernetes has no such kind."""
    path = _directory(version) / file_name(api_version, kind)
    if not path.is_file():
        return None
    needed: set[str] = set()
    schema: dict[str, Any] = _refs(json.loads(path.read_text("utf-8")), needed)
    definitions = _definitions(version)
    local: dict[str, Any] = {}
    pending = sorted(needed)
    while pending:
        name = pending.pop()
        if name in local:
            continue
        more: set[str] = set()
        local[name] = _refs(definitions[name], more)
        pending.extend(sorted(more - set(local)))
    schema["$defs"] = dict(sorted(local.items()))
    return schema
