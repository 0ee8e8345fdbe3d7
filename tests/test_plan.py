"""What the plan renders for the cases the example profile does not exercise."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from generator.checks.tenancy import selectors_overlap
from generator.profile.model import Version
from helpers import render_into, variant

NAMESPACE_DIR = "clusters/app-blk-east-0/namespaces/caffeine"


def load(root: Path, name: str) -> Any:
    return YAML(typ="safe").load((root / name).read_text("utf-8"))


@pytest.mark.parametrize(
    "dataplane,namespace_labels,pod_label",
    [
        ("ambient", {"istio.io/dataplane-mode": "ambient"}, "ambient"),
        ("sidecar", {"istio-injection": "enabled"}, None),
        ("none", None, None),
    ],
)
def test_dataplane_labels(
    tmp_path: Path, dataplane: str, namespace_labels: dict[str, str] | None, pod_label: str | None
) -> None:
    profile, _ = variant(tmp_path, ("dataplane: ambient", f"dataplane: {dataplane}"))
    root = render_into(profile, tmp_path / "out")
    namespace = load(root, f"{NAMESPACE_DIR}/namespace-caffeine.yaml")
    assert namespace["metadata"].get("labels") == namespace_labels
    for deployment in (root / NAMESPACE_DIR).glob("deployment-*.yaml"):
        labels = load(root, str(deployment.relative_to(root)))["spec"]["template"]["metadata"]["labels"]
        assert labels.get("istio.io/dataplane-mode") == pod_label


def test_a_cluster_without_ambient_gets_no_ambient_overlays(tmp_path: Path) -> None:
    profile, _ = variant(tmp_path, ("enabled: true", "enabled: false"), ("dataplane: ambient", "dataplane: sidecar"))
    root = render_into(profile, tmp_path / "out")
    assert not (root / "clusters/app-blk-east-0/control-plane").exists()
    # The management plane still receives the GitOps-form TSB objects: only that setting remains.
    values = load(root, "management-plane/tsb-mp/managementplane-values.yaml")
    assert values == {"spec": {"components": {"gitops": {"enabled": True}}}}
    assert (root / "management-plane/tsb-mp/tsb/workspace-caffeine-ws.yaml").exists()


def test_a_namespace_on_two_clusters_is_rendered_on_both(tmp_path: Path) -> None:
    profile, _ = variant(
        tmp_path,
        ("clusters:\n- name: app-blk-east-0\n", "clusters:\n- name: app-blk-west-0\n  platform: eks\n  istio: {version: \"1.25.0\"}\n  ambient: {enabled: true}\n- name: app-blk-east-0\n"),
        ("clusters: [app-blk-east-0]", "clusters: [app-blk-east-0, app-blk-west-0]"),
    )
    root = render_into(profile, tmp_path / "out")
    for cluster in ("app-blk-east-0", "app-blk-west-0"):
        assert load(root, f"clusters/{cluster}/namespaces/caffeine/deployment-netshoot.yaml")["metadata"]["namespace"] == "caffeine"


def test_rules_across_tenants_and_deny_rules(tmp_path: Path) -> None:
    profile, _ = variant(
        tmp_path,
        ("        - {from: cnp-nginx-ws, to: caffeine-ws}\n",
         "        - {from: cnp-nginx-ws, to: caffeine-ws}\n        deny:\n        - {from: dev/tools-ws, to: caffeine-ws}\n"),
        ("\nnamespaces:\n", "- name: dev\n  workspaces:\n  - name: tools-ws\n    namespaces: [\"*/tools\"]\n\nnamespaces:\n"),
    )
    root = render_into(profile, tmp_path / "out")
    setting = load(root, "management-plane/tsb-mp/tsb/workspacesetting-default-setting.yaml")
    assert setting["spec"]["defaultSecuritySetting"]["authorization"]["rules"]["deny"] == [
        {
            "from": {"fqn": "organizations/tetrate/tenants/dev/workspaces/tools-ws"},
            "to": {"fqn": "organizations/tetrate/tenants/prod-api/workspaces/caffeine-ws"},
        }
    ]
    tools = load(root, "management-plane/tsb-mp/tsb/workspace-tools-ws.yaml")
    assert tools["metadata"]["annotations"]["tsb.tetrate.io/tenant"] == "dev"


@pytest.mark.parametrize(
    "left,right,overlap",
    [
        ("*/caffeine", "east/caffeine", True),
        ("east/caffeine", "west/caffeine", False),
        ("*/team-*", "*/team-a", True),
        ("*/team-*", "*/tea*", True),
        ("*/team-*", "*/other", False),
        ("east/*", "*/x", True),
        ("*/a", "*/b", False),
    ],
)
def test_selector_overlap(left: str, right: str, overlap: bool) -> None:
    assert selectors_overlap(left, right) is overlap
    assert selectors_overlap(right, left) is overlap


def test_versions_compare_numerically() -> None:
    assert Version.parse("1.24.10") > Version.parse("1.24.9")
    assert Version.parse("1.24") == Version.parse("1.24.0")
    assert str(Version.parse("1.24")) == "1.24"
    assert Version.parse("1.24.3-tetrate0") >= Version.parse("1.24.0")
    assert Version.parse("1.9.0") < Version.parse("1.12.1")


TWO_CLUSTERS = (
    (
        "  ambient:\n    enabled: true\n\ntenants:",
        "  ambient:\n    enabled: true\n- name: app-blk-west-0\n  platform: eks\n  istio:\n    version: \"1.24.3\"\n\ntenants:",
    ),
)


def test_one_namespace_name_can_be_ambient_on_one_cluster_and_sidecar_on_another(tmp_path: Path) -> None:
    profile, _ = variant(
        tmp_path,
        *TWO_CLUSTERS,
        ("  apps: [caffeine]\n", "  apps: [caffeine]\n- name: caffeine\n  clusters: [app-blk-west-0]\n  dataplane: sidecar\n  apps: [caffeine]\n"),
    )
    root = render_into(profile, tmp_path / "out")
    east = load(root, "clusters/app-blk-east-0/namespaces/caffeine/namespace-caffeine.yaml")
    west = load(root, "clusters/app-blk-west-0/namespaces/caffeine/namespace-caffeine.yaml")
    assert east["metadata"]["labels"] == {"istio.io/dataplane-mode": "ambient"}
    assert west["metadata"]["labels"] == {"istio-injection": "enabled"}
    west_pods = load(root, "clusters/app-blk-west-0/namespaces/caffeine/deployment-netshoot.yaml")
    assert "istio.io/dataplane-mode" not in west_pods["spec"]["template"]["metadata"]["labels"]
