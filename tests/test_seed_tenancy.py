"""Seed 004's two tsb-config.yaml Lists, compared field by field with what gen renders from
profiles/greenfield.yaml (tctl form) and profiles/brownfield.yaml (GitOps form).

How the seed is reconciled with one consistent profile (the profiles' header comments say why):
- greenfield: the seed's List mixes organizations; the profile uses `my-organization`, so the
  test maps httpbin-ws's `tetrate` to it before comparing. Nothing else is changed.
- brownfield: the seed's List is applied with tctl and so gives no namespace; a GitOps tree must
  carry the GitOps namespace in each object, so the test adds `metadata.namespace: tsb-gitops`.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from conftest import FIXTURES, PROFILES
from helpers import render_into
from tenancy_helpers import brownfield, greenfield
from test_seed_caffeine import differences

SEEDS = FIXTURES / "seeds"
TSB = "management-plane/tsb-mp"


def load(path: Path) -> Any:
    return YAML(typ="safe").load(path.read_text("utf-8"))


def seed_items(name: str) -> list[dict[str, Any]]:
    document = load(SEEDS / name)
    assert (document["apiVersion"], document["kind"]) == ("v1", "List")
    items: list[dict[str, Any]] = document["items"]
    return items


@pytest.fixture(scope="module")
def greenfield_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return render_into(PROFILES / "greenfield.yaml", tmp_path_factory.mktemp("greenfield"))


@pytest.fixture(scope="module")
def brownfield_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return render_into(PROFILES / "brownfield.yaml", tmp_path_factory.mktemp("brownfield"))


def greenfield_seed() -> list[dict[str, Any]]:
    items = copy.deepcopy(seed_items("seed004-greenfield.yaml"))
    for item in items:  # the profile's one organization (see the module docstring)
        if item["metadata"]["organization"] == "tetrate":
            item["metadata"]["organization"] = "my-organization"
    return items


def test_the_greenfield_list_is_the_seeds_tsb_config(greenfield_root: Path) -> None:
    rendered = load(greenfield_root / TSB / "tsb-config.yaml")
    seed = greenfield_seed()
    assert (rendered["apiVersion"], rendered["kind"]) == ("v1", "List")
    # Same objects in the same (apply) order: Tenant, TenantSetting, Workspaces.
    assert [(i["kind"], i["metadata"]["name"]) for i in rendered["items"]] == [
        ("Tenant", "my-tenant"),
        ("TenantSetting", "tenant-settings"),
        ("Workspace", "client-ws"),
        ("Workspace", "httpbin-ws"),
    ]
    for expected, actual in zip(seed, rendered["items"]):
        assert differences(expected, actual) == [], expected["metadata"]["name"]


def test_greenfield_tenant_setting_requires_mutual_tls(greenfield_root: Path) -> None:
    setting = load(greenfield_root / TSB / "tsb/tenantsetting-tenant-settings.yaml")
    assert setting["spec"] == {"defaultSecuritySetting": {"authenticationSettings": {"trafficMode": "REQUIRED"}}}
    assert setting["metadata"] == {"name": "tenant-settings", "organization": "my-organization", "tenant": "my-tenant"}


def test_greenfield_files_hold_the_list_items_one_per_file(greenfield_root: Path) -> None:
    items = load(greenfield_root / TSB / "tsb-config.yaml")["items"]
    files = {path.name: load(path) for path in sorted((greenfield_root / TSB / "tsb").glob("*.yaml"))}
    kustomization = files.pop("kustomization.yaml")
    assert sorted(files) == sorted(f"{i['kind'].lower()}-{i['metadata']['name']}.yaml" for i in items)
    for item in items:
        assert files[f"{item['kind'].lower()}-{item['metadata']['name']}.yaml"] == item
    # The List is in no kustomization: nothing applies its objects twice.
    assert kustomization["resources"] == sorted(files)
    assert not (greenfield_root / TSB / "kustomization.yaml").exists()


@pytest.mark.parametrize("seed", seed_items("seed004-brownfield.yaml"), ids=lambda item: item["kind"])
def test_brownfield_objects_equal_the_seed(brownfield_root: Path, seed: dict[str, Any]) -> None:
    expected = copy.deepcopy(seed)
    expected["metadata"]["namespace"] = "tsb-gitops"  # a GitOps tree carries the namespace
    rendered = load(brownfield_root / TSB / f"tsb/{seed['kind'].lower()}-{seed['metadata']['name']}.yaml")
    assert differences(expected, rendered) == []


def test_brownfield_rules_are_the_seeds_four_allows_and_one_deny(brownfield_root: Path) -> None:
    rules = load(brownfield_root / TSB / "tsb/tenantsetting-tenant-settings.yaml")["spec"]["defaultSecuritySetting"][
        "authorization"
    ]["rules"]
    prefix = "organizations/tetrate/tenants/my-tenant/workspaces/"
    pairs = {
        kind: [(r["from"]["fqn"].removeprefix(prefix), r["to"]["fqn"].removeprefix(prefix)) for r in rules[kind]]
        for kind in rules
    }
    assert pairs == {
        "allow": [
            ("client-ws", "bookinfo-ws"),
            ("bookinfo-ws", "bookinfo-ws"),
            ("client-ws", "client-ws"),
            ("httpbin-ws", "httpbin-ws"),
        ],
        "deny": [("client-ws", "httpbin-ws")],
    }


def test_brownfield_references_its_tenant_without_rendering_it(brownfield_root: Path) -> None:
    names = sorted(path.name for path in (brownfield_root / TSB / "tsb").iterdir())
    assert names == [
        "kustomization.yaml",
        "namespace-tsb-gitops.yaml",  # the GitOps namespace, created by the sync that fills it
        "tenantsetting-tenant-settings.yaml",
        "workspace-bookinfo-ws.yaml",
        "workspace-client-ws.yaml",
        "workspace-httpbin-ws.yaml",
    ]
    assert not (brownfield_root / TSB / "tsb-config.yaml").exists()  # the List is the tctl form's


def _objects(root: Path) -> dict[tuple[str, str], dict[str, Any]]:
    found = {}
    for path in (root / TSB / "tsb").glob("*.yaml"):
        document = load(path)
        if document["kind"] not in ("Kustomization", "Namespace"):  # TSB objects only
            found[(document["kind"], document["metadata"]["name"])] = document
    return found


@pytest.mark.parametrize("profile", ["brownfield", "greenfield"])
def test_both_forms_carry_identical_specs_and_the_same_hierarchy(tmp_path: Path, profile: str) -> None:
    """gitops: tsb.tetrate.io/v2, annotations, GitOps namespace; tctl: api.tsb.tetrate.io/v2,
    metadata.organization/tenant/workspace. The specs do not differ by one byte of meaning."""
    swap = {"brownfield": ("form: gitops ", "form: tctl "), "greenfield": ("form: tctl ", "form: gitops ")}[profile]
    path, _ = (brownfield if profile == "brownfield" else greenfield)(tmp_path, swap)
    original = _objects(render_into(PROFILES / f"{profile}.yaml", tmp_path / "one"))
    swapped = _objects(render_into(path, tmp_path / "two"))
    gitops, tctl = (original, swapped) if profile == "brownfield" else (swapped, original)
    assert sorted(gitops) == sorted(tctl) and len(gitops) >= 4
    for key, ops in gitops.items():
        cli = tctl[key]
        assert ops["spec"] == cli["spec"], key
        assert (ops["apiVersion"], cli["apiVersion"]) == ("tsb.tetrate.io/v2", "api.tsb.tetrate.io/v2")
        annotations = ops["metadata"].pop("annotations")
        assert ops["metadata"].pop("namespace") == "tsb-gitops"
        assert {f"tsb.tetrate.io/{k}": v for k, v in cli["metadata"].items() if k != "name"} == annotations
        assert ops["metadata"] == {"name": cli["metadata"]["name"]}
