"""`gen matrix`: who may call whom, and the rule or default that decided it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import PROFILES, REPO, position_of
from generator import commands
from generator.matrix import Decision, MatrixEntry, namespace_matrix, workspace_matrix
from generator.pipeline import checked_model
from helpers import variant, write_profile
from tenancy_helpers import BROWNFIELD, brownfield

runner = CliRunner()


def decisions(path: Path, namespaces: bool = False) -> dict[tuple[str, str], MatrixEntry]:
    model, _ = checked_model(path)
    entries = namespace_matrix(model) if namespaces else workspace_matrix(model)
    return {(entry.source, entry.target): entry for entry in entries}


def matrix_json(*arguments: str) -> list[dict[str, str]]:
    result = runner.invoke(commands.app, ["matrix", *arguments, "--format", "json"])
    assert result.exit_code == 0, result.output
    records: list[dict[str, str]] = json.loads(result.stdout)
    return records


def record(records: list[dict[str, str]], source: str, target: str) -> dict[str, str]:
    (found,) = [r for r in records if (r["from"], r["to"]) == (source, target)]
    return found


def test_brownfield_client_may_call_bookinfo_but_not_httpbin() -> None:
    records = matrix_json(str(PROFILES / "brownfield.yaml"))
    assert all(set(r) == {"from", "to", "decision", "decidedBy"} for r in records)
    assert len(records) == 9  # every ordered pair of the three workspaces
    denied = record(records, "my-tenant/client-ws", "my-tenant/httpbin-ws")
    assert denied["decision"] == "deny"
    assert denied["decidedBy"].startswith("deny rule tenants[0].security.authorization.deny[0] ")
    allowed = record(records, "my-tenant/client-ws", "my-tenant/bookinfo-ws")
    assert allowed["decision"] == "allow"
    assert allowed["decidedBy"].startswith("allow rule tenants[0].security.authorization.allow[0] ")
    # With allow rules present, what no rule allows is denied (the seed's reason for self-rules).
    other = record(records, "my-tenant/httpbin-ws", "my-tenant/bookinfo-ws")
    assert other["decision"] == "deny"
    assert other["decidedBy"] == "no allow rule of tenants[0].security.authorization matches"


def test_caffeine_cnp_nginx_reaches_caffeine_through_the_workspace_setting_rule(tmp_path: Path) -> None:
    entry = decisions(PROFILES / "caffeine.yaml")[("prod-api/cnp-nginx-ws", "prod-api/caffeine-ws")]
    assert entry.decision is Decision.ALLOW
    assert entry.path == ("tenants", 0, "workspaces", 0, "security", "authorization", "allow", 1)
    assert "tenants[0].workspaces[0].security.authorization.allow[1]" in entry.decided_by

    without, _ = variant(tmp_path, ("        - {from: cnp-nginx-ws, to: caffeine-ws}\n", ""))
    entry = decisions(without)[("prod-api/cnp-nginx-ws", "prod-api/caffeine-ws")]
    assert entry.decision is Decision.DENY
    assert entry.decided_by == "no allow rule of tenants[0].workspaces[0].security.authorization matches"
    # The rule that stays still lets caffeine-ws call itself.
    assert decisions(without)[("prod-api/caffeine-ws", "prod-api/caffeine-ws")].decision is Decision.ALLOW


def test_text_table_for_people() -> None:
    result = runner.invoke(commands.app, ["matrix", str(PROFILES / "brownfield.yaml")])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "workspaces of profile 'brownfield': who may call whom (9 ordered pairs)"
    assert lines[1].split() == ["FROM", "TO", "DECISION", "DECIDED", "BY"]
    row = next(line for line in lines if line.startswith("my-tenant/client-ws    my-tenant/httpbin-ws"))
    assert row.split()[2] == "deny" and "deny[0]" in row
    assert lines[-1] == "4 allow, 5 deny"


def test_namespace_pairs_on_request() -> None:
    records = matrix_json(str(PROFILES / "brownfield.yaml"), "--namespaces")
    # The namespaces the selectors name on the declared cluster.
    namespaces = ["cp-cluster-1/bookinfo", "cp-cluster-1/client", "cp-cluster-1/httpbin"]
    assert sorted({r["from"] for r in records}) == namespaces
    denied = record(records, "cp-cluster-1/client", "cp-cluster-1/httpbin")
    assert denied["decision"] == "deny"
    assert denied["decidedBy"].startswith("my-tenant/client-ws -> my-tenant/httpbin-ws: deny rule")


LEGACY_NAMESPACE = "- name: legacy\n  clusters: [app-blk-east-0]\n  dataplane: none\n"


def test_a_namespace_outside_every_workspace_has_no_tsb_authorization(tmp_path: Path) -> None:
    path, _ = variant(
        tmp_path,
        ("  apps: [caffeine]\n", "  apps: [caffeine]\n" + LEGACY_NAMESPACE),
    )
    found = decisions(path, namespaces=True)
    into = found[("app-blk-east-0/caffeine", "app-blk-east-0/legacy")]
    assert into.decision is Decision.ALLOW and "in no workspace" in into.decided_by
    out_of = found[("app-blk-east-0/legacy", "app-blk-east-0/caffeine")]
    assert out_of.decision is Decision.DENY and "the caller is in no workspace" in out_of.decided_by


def test_an_invalid_profile_gets_the_render_report_and_exit_2(tmp_path: Path) -> None:
    path, text = brownfield(tmp_path, ("{from: client-ws, to: httpbin-ws}", "{from: client-ws, to: httpbn-ws}"))
    result = runner.invoke(commands.app, ["matrix", str(path)])
    assert result.exit_code == 2
    line, column = position_of(text, "httpbn-ws")
    assert f"{path}:{line}:{column}: error: tenants[0].security.authorization.deny[0].to:" in result.stderr
    assert "hint: did you mean 'httpbin-ws'?" in result.stderr
    assert result.stdout == "" and "Traceback" not in result.output

    as_json = runner.invoke(commands.app, ["matrix", str(path), "--format", "json"])
    assert as_json.exit_code == 2
    assert json.loads(as_json.stderr)["problems"][0]["line"] == line


def test_warnings_are_printed_and_the_matrix_still_comes(tmp_path: Path) -> None:
    path, _ = brownfield(tmp_path, ("    trafficMode: REQUIRED", "    trafficMode: OPTIONAL"))
    result = runner.invoke(commands.app, ["matrix", str(path)])
    assert result.exit_code == 0
    assert "warning: tenants[0].security.trafficMode: trafficMode OPTIONAL" in result.stderr
    assert "4 allow, 5 deny" in result.stdout


# Propagation from tenant to workspace: the strategy set on the tenant governs the step.


def estate(tmp_path: Path, tenant_security: str, bookinfo_security: str) -> Path:
    """The brownfield profile with the tenant's and bookinfo-ws's settings replaced."""
    start = BROWNFIELD.index("  security:\n    settingName: tenant-settings\n")
    end = BROWNFIELD.index("  workspaces:\n", start)
    selector = '    namespaces: ["cp-cluster-1/bookinfo"]\n'
    text = BROWNFIELD[:start] + tenant_security + BROWNFIELD[end:]
    text = text.replace(selector, selector + bookinfo_security)
    return write_profile(tmp_path, text)


@pytest.mark.parametrize("strategy", ["REPLACE", "STRICTER"])
def test_workspace_rules_under_a_tenant_workspace_mode(tmp_path: Path, strategy: str) -> None:
    path = estate(
        tmp_path,
        f"  security:\n    propagation: {strategy}\n    authorization: {{mode: WORKSPACE}}\n",
        "    security:\n"
        "      authorization:\n"
        "        mode: RULES\n"
        "        allow: [{from: httpbin-ws, to: bookinfo-ws}]\n",
    )
    found = decisions(path)
    # REPLACE: bookinfo-ws's RULES replace the tenant's mode. STRICTER: RULES is the stricter mode.
    entry = found[("my-tenant/httpbin-ws", "my-tenant/bookinfo-ws")]
    assert entry.decision is Decision.ALLOW
    assert entry.path == ("tenants", 0, "workspaces", 2, "security", "authorization", "allow", 0)
    assert found[("my-tenant/client-ws", "my-tenant/bookinfo-ws")].decision is Decision.DENY
    # Elsewhere the tenant's WORKSPACE mode holds.
    assert found[("my-tenant/client-ws", "my-tenant/httpbin-ws")].decided_by == (
        "mode WORKSPACE (tenants[0].security.authorization.mode): same workspace only"
    )


@pytest.mark.parametrize(
    "strategy,expected",
    [("REPLACE", Decision.ALLOW), ("STRICTER", Decision.DENY)],
)
def test_a_weaker_workspace_mode_holds_only_under_replace(tmp_path: Path, strategy: str, expected: Decision) -> None:
    path = estate(
        tmp_path,
        f"  security:\n    propagation: {strategy}\n    authorization: {{mode: WORKSPACE}}\n",
        "    security:\n      authorization: {mode: DISABLED}\n",
    )
    assert decisions(path)[("my-tenant/client-ws", "my-tenant/bookinfo-ws")].decision is expected


@pytest.mark.parametrize(
    "strategy,expected,decided_by",
    [
        # REPLACE: the workspace's rules alone hold, and they allow httpbin-ws -> bookinfo-ws.
        ("REPLACE", Decision.ALLOW, "allow rule tenants[0].workspaces[2].security.authorization.allow[0]"),
        # STRICTER: both rule sets hold; the tenant's allows do not include httpbin-ws -> bookinfo-ws.
        ("STRICTER", Decision.DENY, "no allow rule of tenants[0].security.authorization matches"),
    ],
)
def test_stricter_keeps_the_tenant_rules_and_the_workspace_rules_narrow_them(
    tmp_path: Path, strategy: str, expected: Decision, decided_by: str
) -> None:
    path = estate(
        tmp_path,
        "  security:\n"
        f"    propagation: {strategy}\n"
        "    authorization:\n"
        "      mode: RULES\n"
        "      allow: [{from: client-ws, to: bookinfo-ws}, {from: client-ws, to: client-ws}]\n"
        "      deny: [{from: client-ws, to: httpbin-ws}]\n",
        "    security:\n"
        "      authorization:\n"
        "        mode: RULES\n"
        "        allow: [{from: httpbin-ws, to: bookinfo-ws}, {from: client-ws, to: bookinfo-ws}]\n",
    )
    found = decisions(path)
    entry = found[("my-tenant/httpbin-ws", "my-tenant/bookinfo-ws")]
    assert entry.decision is expected
    assert entry.decided_by.startswith(decided_by)
    # Allowed by both levels: allowed under both strategies.
    assert found[("my-tenant/client-ws", "my-tenant/bookinfo-ws")].decision is Decision.ALLOW
    # Where the workspace says nothing, the tenant's rules hold under both strategies.
    assert found[("my-tenant/client-ws", "my-tenant/httpbin-ws")].decision is Decision.DENY
    assert found[("my-tenant/client-ws", "my-tenant/client-ws")].decision is Decision.ALLOW


@pytest.mark.parametrize("strategy", ["REPLACE", "STRICTER"])
def test_a_tenant_deny_reaches_a_workspace_with_rules_of_its_own_only_under_stricter(
    tmp_path: Path, strategy: str
) -> None:
    path = estate(
        tmp_path,
        f"  security:\n    propagation: {strategy}\n    authorization:\n      mode: RULES\n"
        "      deny: [{from: my-tenant, to: bookinfo-ws}]\n",
        "    security:\n      authorization: {mode: RULES, allow: [{from: client-ws, to: bookinfo-ws}]}\n",
    )
    entry = decisions(path)[("my-tenant/client-ws", "my-tenant/bookinfo-ws")]
    if strategy == "REPLACE":
        assert entry.decision is Decision.ALLOW
    else:
        assert (entry.decision, entry.path) == (Decision.DENY, ("tenants", 0, "security", "authorization", "deny", 0))
        assert "(my-tenant -> my-tenant/bookinfo-ws)" in entry.decided_by


CAFFEINE_RULES = (
    "mode: RULES\n"
    "        allow:\n"
    "        - {from: caffeine-ws, to: caffeine-ws}\n"
    "        - {from: cnp-nginx-ws, to: caffeine-ws}\n"
)


@pytest.mark.parametrize(
    "mode,same,other",
    [
        ("DISABLED", Decision.ALLOW, Decision.ALLOW),
        ("NAMESPACE", Decision.CONDITIONAL, Decision.DENY),
        ("GROUP", Decision.CONDITIONAL, Decision.DENY),
        ("CLUSTER", Decision.CONDITIONAL, Decision.CONDITIONAL),
        ("CUSTOM", Decision.CONDITIONAL, Decision.CONDITIONAL),
    ],
)
def test_modes_too_coarse_for_workspaces_say_on_what_they_depend(
    tmp_path: Path, mode: str, same: Decision, other: Decision
) -> None:
    path, _ = variant(tmp_path, (CAFFEINE_RULES, f"mode: {mode}\n"))
    found = decisions(path)
    assert found[("prod-api/caffeine-ws", "prod-api/caffeine-ws")].decision is same
    assert found[("prod-api/cnp-nginx-ws", "prod-api/caffeine-ws")].decision is other
    assert f"mode {mode} (tenants[0].workspaces[0].security.authorization.mode)" in found[
        ("prod-api/cnp-nginx-ws", "prod-api/caffeine-ws")
    ].decided_by


def test_namespace_and_cluster_modes_are_exact_for_namespace_pairs(tmp_path: Path) -> None:
    path, _ = variant(
        tmp_path,
        ('namespaces: ["*/caffeine"]', 'namespaces: ["*/caffeine", "*/caffeine-2"]'),
        (CAFFEINE_RULES, "mode: NAMESPACE\n"),
    )
    found = decisions(path, namespaces=True)
    assert found[("app-blk-east-0/caffeine", "app-blk-east-0/caffeine")].decision is Decision.ALLOW
    assert found[("app-blk-east-0/caffeine-2", "app-blk-east-0/caffeine")].decision is Decision.DENY


def test_the_readme_shows_the_current_matrix_of_the_brownfield_profile() -> None:
    readme = (REPO / "README.md").read_text("utf-8")
    prompt = "$ gen matrix profiles/brownfield.yaml\n"
    shown = readme[readme.index(prompt) + len(prompt) :].split("```", 1)[0]
    result = runner.invoke(commands.app, ["matrix", str(PROFILES / "brownfield.yaml")])
    assert result.stdout == shown
