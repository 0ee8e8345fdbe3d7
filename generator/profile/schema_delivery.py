"""The profile's `delivery`: the GitOps engine that syncs the tree, and where the tree lies in Git."""

from __future__ import annotations

from typing import Any

from .model import DeliveryEngine
from .schema_types import _enum, _name, _pattern, _record

REPO_URL = r"^(https://|http://|ssh://|git@)[^\s]+\Z"
REPO_PATH = r"^[^/\s][^\s]*\Z"  # relative to the repository's root

DELIVERY: dict[str, Any] = _record(
    {
        "engine": _enum("delivery engine", [e.value for e in DeliveryEngine]),
        "repoURL": _pattern("repo-url", REPO_URL, 2048, required=True),
        "revision": {"type": "string", "empty": False, "regex": r"^[^\s]+\Z"},
        "path": _pattern("repo-path", REPO_PATH, 1024),
        "namespace": _name(required=False),
        "project": _name(required=False),
    }
)
