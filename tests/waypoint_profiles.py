"""A small estate for the waypoint and policy tests: bookinfo, sleep and netshoot (which has no
Service) in one ambient namespace of a cluster with explicit waypoints, and its policies as files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from generator.pipeline import RenderResult, render_profile
from generator.problems import Problem, ProfileError

PROFILE = """\
profile: wp
tsb: {version: "1.12.1", organization: tetrate, gitopsNamespace: tsb-gitops}
managementPlane: {cluster: tsb-mp}
clusters:
- name: east
  platform: kind
  istio: {version: "1.24.3"}
  ambient:
    enabled: true
    waypoints: {mode: explicit}
namespaces:
- name: bookinfo
  clusters: [east]
  dataplane: ambient
  apps: [bookinfo, sleep, netshoot]
  waypoint:
    for: service
    use: {services: [productpage, reviews]}
  policies: policies
"""

NAMESPACE_DIR = "clusters/east/namespaces/bookinfo"


def estate(tmp_path: Path, policies: dict[str, str], *replacements: tuple[str, str],
           profile: str = PROFILE) -> tuple[Path, str]:
    """The profile (with each `old` replaced by `new`) and its policy files under policies/."""
    text = profile
    for old, new in replacements:
        assert old in text, f"{old!r} is not in the test profile"
        text = text.replace(old, new, 1)
    (tmp_path / "policies").mkdir(exist_ok=True)
    for name, body in policies.items():
        (tmp_path / "policies" / name).write_text(body, "utf-8")
    path = tmp_path / "profile.yaml"
    path.write_text(text, "utf-8")
    return path, text


def rendered(result: RenderResult, directory: str = NAMESPACE_DIR) -> dict[str, Any]:
    """The objects of one namespace folder, by file name."""
    yaml = YAML(typ="safe")
    prefix = directory + "/"
    return {f.path[len(prefix):]: yaml.load(f.text) for f in result.files if f.path.startswith(prefix)
            and "/" not in f.path[len(prefix):]}


def texts(result: RenderResult, directory: str = NAMESPACE_DIR) -> dict[str, str]:
    prefix = directory + "/"
    return {f.path[len(prefix):]: f.text for f in result.files if f.path.startswith(prefix)}


def policies_of(result: RenderResult, directory: str = NAMESPACE_DIR) -> dict[str, Any]:
    """The AuthorizationPolicies rendered in the folder, by name."""
    return {doc["metadata"]["name"]: doc for doc in rendered(result, directory).values()
            if doc.get("kind") == "AuthorizationPolicy"}


def problems_of(path: Path) -> list[Problem]:
    with pytest.raises(ProfileError) as raised:
        render_profile(path)
    return raised.value.problems


def policy(name: str, spec: str, namespace: str = "bookinfo", api: str = "security.istio.io/v1") -> str:
    """An AuthorizationPolicy document; `spec` is its spec block, indented by two spaces."""
    return (f"apiVersion: {api}\nkind: AuthorizationPolicy\nmetadata:\n  name: {name}\n"
            f"  namespace: {namespace}\nspec:\n{spec}")


def comment_of(text: str) -> str:
    """gen's comment above a rendered object, after the header line, as one paragraph."""
    return " ".join(line[2:] for line in text.splitlines()[1:] if line.startswith("# "))
