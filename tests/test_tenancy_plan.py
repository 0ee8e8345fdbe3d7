"""What gen renders for tenants: owned or referenced, secure by default, rules as full FQNs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from conftest import PROFILES
from helpers import render_into, variant
from tenancy_helpers import BOOKINFO_WS, after, brownfield, greenfield
from test_errors import assert_at, only, problems_of

TSB = "management-plane/tsb-mp/tsb"


def load(path: Path) -> Any:
    return YAML(typ="safe").load(path.read_text("utf-8"))


def tsb_files(root: Path) -> list[str]:
    return sorted(path.name for path in (root / TSB).iterdir())


def test_a_referenced_tenant_without_settings_gets_neither_tenant_nor_setting(tmp_path: Path) -> None:
    root = render_into(PROFILES / "caffeine.yaml", tmp_path)
    assert not any(name.startswith("tenant") for name in tsb_files(root))


def test_an_owned_tenant_without_settings_requires_mutual_tls(tmp_path: Path) -> None:
    path, _ = variant(tmp_path, ("- name: prod-api\n", "- name: prod-api\n  owned: true\n  description: APIs in production\n"))
    root = render_into(path, tmp_path / "out")
    tenant = load(root / TSB / "tenant-prod-api.yaml")
    assert tenant["metadata"] == {
        "name": "prod-api",
        "namespace": "tsb-gitops",
        "annotations": {"tsb.tetrate.io/organization": "tetrate"},
    }
    assert tenant["spec"] == {"description": "APIs in production"}
    setting = load(root / TSB / "tenantsetting-prod-api-setting.yaml")
    assert setting["metadata"]["annotations"] == {"tsb.tetrate.io/organization": "tetrate", "tsb.tetrate.io/tenant": "prod-api"}
    assert setting["spec"] == {"defaultSecuritySetting": {"authenticationSettings": {"trafficMode": "REQUIRED"}}}


def test_settings_given_for_a_referenced_tenant_default_to_mutual_tls(tmp_path: Path) -> None:
    path, _ = brownfield(tmp_path, ("    trafficMode: REQUIRED\n", ""))
    root = render_into(path, tmp_path / "out")
    security = load(root / TSB / "tenantsetting-tenant-settings.yaml")["spec"]["defaultSecuritySetting"]
    assert security["authenticationSettings"] == {"trafficMode": "REQUIRED"}
    assert "tenant-my-tenant.yaml" not in tsb_files(root)


def test_an_explicit_optional_is_rendered_as_written(tmp_path: Path) -> None:
    path, _ = greenfield(tmp_path, after("    settingName: tenant-settings\n", "    trafficMode: OPTIONAL\n"))
    root = render_into(path, tmp_path / "out")
    security = load(root / TSB / "tenantsetting-tenant-settings.yaml")["spec"]["defaultSecuritySetting"]
    assert security == {"authenticationSettings": {"trafficMode": "OPTIONAL"}}


@pytest.mark.parametrize(
    "reference,fqn",
    [
        ("my-tenant", "organizations/tetrate/tenants/my-tenant"),
        ("bookinfo-ws", "organizations/tetrate/tenants/my-tenant/workspaces/bookinfo-ws"),
        ("platform/gateways", "organizations/tetrate/tenants/platform/workspaces/gateways"),
    ],
)
def test_rules_name_tenants_and_workspaces_by_full_fqn(tmp_path: Path, reference: str, fqn: str) -> None:
    other_tenant = '- name: platform\n  workspaces:\n  - name: gateways\n    namespaces: ["*/gateways"]\n'
    path, _ = brownfield(
        tmp_path,
        ("{from: client-ws, to: bookinfo-ws}", f"{{from: {reference}, to: bookinfo-ws}}"),
        after(BOOKINFO_WS, other_tenant),
    )
    root = render_into(path, tmp_path / "out")
    rules = load(root / TSB / "tenantsetting-tenant-settings.yaml")["spec"]["defaultSecuritySetting"]["authorization"]["rules"]
    assert rules["allow"][0]["from"] == {"fqn": fqn}


def test_deny_all_is_rendered_under_rules(tmp_path: Path) -> None:
    path, _ = variant(tmp_path, after('["*/cnp-nginx"]', "\n    security: {authorization: {mode: RULES, denyAll: true}}"))
    root = render_into(path, tmp_path / "out")
    setting = load(root / TSB / "workspacesetting-cnp-nginx-ws-setting.yaml")
    assert setting["spec"] == {"defaultSecuritySetting": {"authorization": {"mode": "RULES", "rules": {"denyAll": True}}}}


def test_workspace_traffic_mode_is_rendered(tmp_path: Path) -> None:
    path, _ = variant(tmp_path, after("      settingName: default-setting\n", "      trafficMode: REQUIRED\n"))
    root = render_into(path, tmp_path / "out")
    security = load(root / TSB / "workspacesetting-default-setting.yaml")["spec"]["defaultSecuritySetting"]
    assert list(security) == ["propagationStrategy", "authenticationSettings", "authorization"]
    assert security["authenticationSettings"] == {"trafficMode": "REQUIRED"}


def test_two_tenant_settings_of_one_name_collide_in_the_gitops_namespace(tmp_path: Path) -> None:
    other_tenant = "- name: platform\n  security: {settingName: tenant-settings}\n"
    path, text = brownfield(tmp_path, after(BOOKINFO_WS, other_tenant))
    problem = only(problems_of(path), "object-collision")
    assert problem.path == ("tenants", 1, "security", "settingName")
    assert_at(problem, path, text, "tenant-settings", occurrence=3)
    assert "tenantsetting-tenant-settings.yaml" in problem.message


@pytest.mark.parametrize("form", ["gitops", "tctl"])
def test_tenant_texts_cannot_change_the_structure_of_either_form(tmp_path: Path, form: str) -> None:
    hostile = 'x\\n---\\nkind: Secret\\ndata: {a: b}\\n\\"#: yes'  # as written in the YAML profile
    path, _ = greenfield(
        tmp_path,
        ("form: tctl ", f"form: {form} "),
        ("  displayName: my-tenant\n", f'  displayName: "{hostile}"\n  description: "yes"\n'),
    )
    root = render_into(path, tmp_path / "out")
    expected = {"displayName": 'x\n---\nkind: Secret\ndata: {a: b}\n"#: yes', "description": "yes"}
    assert load(root / TSB / "tenant-my-tenant.yaml")["spec"] == expected
    if form == "tctl":
        assert load(root / "management-plane/tsb-mp/tsb-config.yaml")["items"][0]["spec"] == expected
