"""The GitOps form is received: the plane the TSB objects are delivered to runs TSB's GitOps
component (`spec.components.gitops.enabled: true`), and the GitOps namespace is created by the same
sync that applies the objects in it (DESIGN.md 5b)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from conftest import GOLDEN
from generator.validation.embedded import shared_validator
from generator.validation.pack import MANAGEMENTPLANE_VALUES
from helpers import CAFFEINE, render_into, variant, write_profile

MP = "management-plane/tsb-mp"
VALUES = f"{MP}/managementplane-values.yaml"
TSB = f"{MP}/tsb"
GITOPS_NAMESPACE = "gitopsNamespace: tsb-gitops"


def load(root: Path, name: str) -> Any:
    return YAML(typ="safe").load((root / name).read_text("utf-8"))


def components(root: Path) -> dict[str, Any]:
    return dict(load(root, VALUES)["spec"]["components"])


def test_the_management_plane_receiving_gitops_objects_runs_the_gitops_component(tmp_path: Path) -> None:
    profile, _ = variant(tmp_path, (GITOPS_NAMESPACE, "gitopsNamespace: tsb-config"))
    root = render_into(profile, tmp_path / "out")
    assert components(root) == {"gitops": {"enabled": True}, "oap": {"spmAgentReceiverEnabled": True}}
    # The objects that need it are the GitOps form's, in the GitOps namespace, synced to that cluster.
    workspace = load(root, f"{TSB}/workspace-caffeine-ws.yaml")
    assert (workspace["apiVersion"], workspace["metadata"]["namespace"]) == ("tsb.tetrate.io/v2", "tsb-config")
    appset = load(root, "delivery/applicationset-caffeine.yaml")
    elements = appset["spec"]["generators"][0]["list"]["elements"]
    assert {"name": "caffeine-tsb-mp", "cluster": "tsb-mp", "path": f"out/caffeine/{MP}"} in elements


def test_the_gitops_namespace_is_rendered_and_listed_with_the_objects_it_holds(tmp_path: Path) -> None:
    profile, _ = variant(tmp_path, (GITOPS_NAMESPACE, "gitopsNamespace: tsb-config"))
    root = render_into(profile, tmp_path / "out")
    namespace = load(root, f"{TSB}/namespace-tsb-config.yaml")
    assert namespace == {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "tsb-config"}}
    assert "namespace-tsb-config.yaml" in load(root, f"{TSB}/kustomization.yaml")["resources"]
    assert load(root, f"{MP}/kustomization.yaml")["resources"] == ["tsb"]
    # Exactly one Namespace object for it in the whole tree.
    found = [path for path in root.rglob("namespace-tsb-config.yaml")]
    assert [str(path.relative_to(root)) for path in found] == [f"{TSB}/namespace-tsb-config.yaml"]


def test_kustomize_applies_the_gitops_namespace_before_the_objects_in_it() -> None:
    kubectl = shutil.which("kubectl")
    if kubectl is None:
        pytest.skip("kubectl is not installed: the kustomize build check needs the kubectl binary")
    built = subprocess.run([kubectl, "kustomize", str(GOLDEN / "caffeine" / MP)], capture_output=True, text=True)
    assert built.returncode == 0, built.stderr
    documents = [doc for doc in YAML(typ="safe").load_all(built.stdout) if doc]
    assert (documents[0]["kind"], documents[0]["metadata"]["name"]) == ("Namespace", "tsb-gitops")
    assert {doc["metadata"]["namespace"] for doc in documents[1:]} == {"tsb-gitops"}


def test_flux_syncs_the_gitops_namespace_with_the_objects(tmp_path: Path) -> None:
    profile, _ = variant(tmp_path, ("engine: argocd", "engine: flux"))
    root = render_into(profile, tmp_path / "out")
    kustomization = load(root, "delivery/kustomization-caffeine-tsb-mp.yaml")
    assert kustomization["spec"]["path"] == f"./out/caffeine/{MP}"
    assert (root / TSB / "namespace-tsb-gitops.yaml").is_file()
    assert components(root)["gitops"] == {"enabled": True}


def test_the_tctl_form_needs_neither_the_component_nor_the_namespace(tmp_path: Path) -> None:
    profile, _ = variant(tmp_path, (GITOPS_NAMESPACE, GITOPS_NAMESPACE + "\n  form: tctl"))
    root = render_into(profile, tmp_path / "out")
    assert components(root) == {"oap": {"spmAgentReceiverEnabled": True}}
    assert not list(root.rglob("namespace-tsb-gitops.yaml"))
    assert (root / MP / "tsb-config.yaml").is_file()


def test_without_tsb_objects_nothing_is_received(tmp_path: Path) -> None:
    start, end = CAFFEINE.index("tenants:\n"), CAFFEINE.index("namespaces:\n")
    profile = write_profile(tmp_path, CAFFEINE[:start] + CAFFEINE[end:])
    root = render_into(profile, tmp_path / "out")
    assert components(root) == {"oap": {"spmAgentReceiverEnabled": True}}
    assert not (root / TSB).exists()


def test_a_namespace_folder_that_renders_the_gitops_namespace_is_not_doubled(tmp_path: Path) -> None:
    mp_cluster = "- name: tsb-mp\n  platform: aks\n  istio: {version: \"1.24.3\"}\n"
    gitops_namespace = "- name: tsb-gitops\n  clusters: [tsb-mp]\n  dataplane: none\n"
    profile, _ = variant(
        tmp_path,
        ("clusters:\n", "clusters:\n" + mp_cluster),
        ("namespaces:\n", "namespaces:\n" + gitops_namespace),
    )
    root = render_into(profile, tmp_path / "out")
    found = sorted(str(path.relative_to(root)) for path in root.rglob("namespace-tsb-gitops.yaml"))
    assert found == ["clusters/tsb-mp/namespaces/tsb-gitops/namespace-tsb-gitops.yaml"]
    assert "namespace-tsb-gitops.yaml" not in load(root, f"{TSB}/kustomization.yaml")["resources"]
    assert components(root)["gitops"] == {"enabled": True}


def test_the_gitops_setting_is_merged_into_the_live_management_plane_values(tmp_path: Path) -> None:
    live = (
        "# live MP values\n"
        "spec:\n"
        "  components:\n"
        "    gitops:\n"
        "      enabled: false   # switched off at install\n"
        "      reconcileInterval: 30s\n"
    )
    (tmp_path / "mp.yaml").write_text(live, "utf-8")
    profile, _ = variant(tmp_path, ("  cluster: tsb-mp\n", "  cluster: tsb-mp\n  baseValues: mp.yaml\n"))
    root = render_into(profile, tmp_path / "out")
    assert components(root)["gitops"] == {"enabled": True, "reconcileInterval": "30s"}
    text = (root / VALUES).read_text("utf-8")
    assert "      reconcileInterval: 30s\n" in text and "# live MP values\n" in text


def test_the_values_schema_checks_the_gitops_key() -> None:
    validator = shared_validator()
    good = {"spec": {"components": {"gitops": {"enabled": True}}}}
    assert validator.validate_values(good, MANAGEMENTPLANE_VALUES) == []
    bad = {"spec": {"components": {"gitops": {"enabled": "yes"}}}}
    (finding,) = validator.validate_values(bad, MANAGEMENTPLANE_VALUES)
    assert finding.path == ("spec", "components", "gitops", "enabled")


def test_every_committed_gitops_tree_enables_the_component_where_it_delivers_tsb_objects() -> None:
    for root in sorted(path for path in GOLDEN.iterdir() if path.is_dir()):
        for objects in root.glob("management-plane/*/tsb"):
            workspace = next(objects.glob("workspace-*.yaml"))
            if load(objects, workspace.name)["apiVersion"] != "tsb.tetrate.io/v2":
                continue
            values = load(objects.parent, "managementplane-values.yaml")
            assert values["spec"]["components"]["gitops"] == {"enabled": True}, root.name
            assert (objects / "namespace-tsb-gitops.yaml").is_file(), root.name
