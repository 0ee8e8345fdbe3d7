"""Every tenancy and security check: each problem comes with file, line, column, profile path and a
hint. Errors stop the render (exit 2); warnings come with a rendered tree."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import PROFILES
from generator.pipeline import render_profile
from generator.problems import Problem, Severity
from tenancy_helpers import BOOKINFO_WS, CLIENT_WS, HTTPBIN_WS, after, brownfield
from test_errors import assert_at, only, problems_of

TENANT_RULES = ("tenants", 0, "security", "authorization")


def warnings_of(path: Path) -> list[Problem]:
    warnings = list(render_profile(path).warnings)
    assert all(w.severity is Severity.WARNING for w in warnings)
    return warnings


# Rules name declared tenants and workspaces.


def test_a_rule_naming_an_undeclared_workspace_of_another_tenant(tmp_path: Path) -> None:
    path, text = brownfield(tmp_path, ("{from: client-ws, to: httpbin-ws}", "{from: client-ws, to: my-tenant/httpbn-ws}"))
    problem = only(problems_of(path), "undeclared-reference")
    assert problem.path == (*TENANT_RULES, "deny", 0, "to")
    assert_at(problem, path, text, "my-tenant/httpbn-ws")
    assert problem.message == "'my-tenant/httpbn-ws' names no declared workspace of tenant 'my-tenant'"
    assert problem.hint.startswith("did you mean 'httpbin-ws'?")


def test_a_rule_naming_an_undeclared_tenant(tmp_path: Path) -> None:
    path, text = brownfield(tmp_path, ("{from: client-ws, to: bookinfo-ws}", "{from: my-tenat/client-ws, to: bookinfo-ws}"))
    problem = only(problems_of(path), "undeclared-reference")
    assert problem.path == (*TENANT_RULES, "allow", 0, "from")
    assert_at(problem, path, text, "my-tenat/client-ws")
    assert problem.message == "'my-tenat/client-ws' names no declared tenant"
    assert problem.hint.startswith("did you mean 'my-tenant'?")


def test_a_bare_name_is_a_workspace_of_the_own_tenant_or_a_tenant(tmp_path: Path) -> None:
    path, text = brownfield(tmp_path, ("{from: bookinfo-ws, to: bookinfo-ws}", "{from: my-tenat, to: bookinfo-ws}"))
    problem = only(problems_of(path), "undeclared-reference")
    assert problem.path == (*TENANT_RULES, "allow", 1, "from")
    assert_at(problem, path, text, "my-tenat")
    assert problem.message == "'my-tenat' names no declared workspace of tenant 'my-tenant', nor a tenant"
    assert problem.hint == (
        "did you mean 'my-tenant'? declared workspaces of tenant 'my-tenant' and tenants: "
        "bookinfo-ws, client-ws, httpbin-ws, my-tenant"
    )


def test_a_bare_name_that_is_both_a_workspace_and_a_tenant_is_ambiguous(tmp_path: Path) -> None:
    path, text = brownfield(tmp_path, after(BOOKINFO_WS, "- name: client-ws\n"))
    problems = [p for p in problems_of(path) if p.rule == "ambiguous-reference"]
    # Every bare `client-ws` of the tenant's rules: allow[0].from, allow[2].from and .to, deny[0].from.
    assert [p.path[-3:] for p in problems] == [
        ("allow", 0, "from"),
        ("allow", 2, "from"),
        ("allow", 2, "to"),
        ("deny", 0, "from"),
    ]
    problem = problems[0]
    assert problem.path == (*TENANT_RULES, "allow", 0, "from")
    assert_at(problem, path, text, "client-ws, to: bookinfo-ws")
    assert problem.message == "'client-ws' names both a workspace of tenant 'my-tenant' and a tenant"
    assert "write 'my-tenant/client-ws' for the workspace" in problem.hint


# A workspace exclusively owns its namespaces, on declared clusters.


def test_a_namespace_claimed_by_workspaces_of_two_tenants(tmp_path: Path) -> None:
    second_tenant = (
        "- name: platform\n  workspaces:\n  - name: east-client\n"
        '    namespaces: ["cp-cluster-1/client"]\n'
    )
    path, text = brownfield(tmp_path, after(BOOKINFO_WS, second_tenant))
    problem = only(problems_of(path), "namespace-ownership")
    assert problem.path == ("tenants", 1, "workspaces", 0, "namespaces", 0)
    assert_at(problem, path, text, '"cp-cluster-1/client"')
    assert "'cp-cluster-1/client' overlaps '*/client' of workspace my-tenant/client-ws" in problem.message


@pytest.mark.parametrize("selector", ["client", "a/b/c", "*/cli*ent", "east*/client", "/client"])
def test_a_selector_that_is_not_cluster_slash_namespace(tmp_path: Path, selector: str) -> None:
    path, text = brownfield(tmp_path, ('["*/client"]', f'["{selector}"]'))
    problem = only(problems_of(path), "namespace-selector")
    assert problem.path == ("tenants", 0, "workspaces", 0, "namespaces", 0)
    assert_at(problem, path, text, f'"{selector}"')
    assert "<cluster>/<namespace>" in problem.hint


def test_a_selector_naming_an_undeclared_cluster(tmp_path: Path) -> None:
    path, text = brownfield(tmp_path, ('"cp-cluster-1/bookinfo"', '"cp-cluster-2/bookinfo"'))
    problem = only(problems_of(path), "undeclared-reference")
    assert problem.path == ("tenants", 0, "workspaces", 2, "namespaces", 0)
    assert_at(problem, path, text, '"cp-cluster-2/bookinfo"')
    assert problem.message == "'cp-cluster-2/bookinfo' selects namespaces of cluster 'cp-cluster-2', which is not declared"
    assert problem.hint.startswith("did you mean 'cp-cluster-1'? declared clusters: cp-cluster-1")


# Settings that cannot be rendered as written.


def test_only_an_owned_tenant_describes_itself(tmp_path: Path) -> None:
    path, text = brownfield(tmp_path, ("- name: my-tenant ", "- name: my-tenant\n  description: the demo tenant "))
    problem = only(problems_of(path), "tenant-ownership")
    assert problem.path == ("tenants", 0, "description")
    assert_at(problem, path, text, "description:")
    assert "owned: true" in problem.hint


def test_deny_all_needs_rules_mode(tmp_path: Path) -> None:
    path, text = brownfield(
        tmp_path, after(CLIENT_WS, "    security: {authorization: {mode: WORKSPACE, denyAll: true}}\n")
    )
    problem = only(problems_of(path), "rules-mode")
    assert problem.path == ("tenants", 0, "workspaces", 0, "security", "authorization", "denyAll")
    assert_at(problem, path, text, "true}}")


def test_an_unknown_form(tmp_path: Path) -> None:
    path, text = brownfield(tmp_path, ("form: gitops ", "form: kubectl "))
    problem = only(problems_of(path), "enum")
    assert problem.path == ("tsb", "form")
    assert_at(problem, path, text, "kubectl")
    assert problem.hint.endswith("allowed: gitops, tctl")


# Rules that repeat, contain or cancel each other: warnings.


def test_a_repeated_rule(tmp_path: Path) -> None:
    path, text = brownfield(tmp_path, ("      deny:\n", "      - {from: client-ws, to: client-ws}\n      deny:\n"))
    problem = only(warnings_of(path), "duplicate-rule")
    assert problem.path == (*TENANT_RULES, "allow", 4)
    assert_at(problem, path, text, "{from: client-ws, to: client-ws}", occurrence=2)
    assert problem.message == "allow rule my-tenant/client-ws -> my-tenant/client-ws repeats allow[2]"


def test_a_rule_contained_in_a_wider_one(tmp_path: Path) -> None:
    path, text = brownfield(tmp_path, ("      deny:\n", "      - {from: my-tenant, to: client-ws}\n      deny:\n"))
    problem = only(warnings_of(path), "shadowed-rule")
    assert problem.path == (*TENANT_RULES, "allow", 2)
    assert_at(problem, path, text, "{from: client-ws, to: client-ws}")
    assert "is contained in allow[4] (my-tenant -> my-tenant/client-ws)" in problem.message


def test_an_allow_that_a_deny_cancels(tmp_path: Path) -> None:
    path, text = brownfield(tmp_path, ("      deny:\n", "      - {from: client-ws, to: httpbin-ws}\n      deny:\n"))
    problem = only(warnings_of(path), "shadowed-rule")
    assert problem.path == (*TENANT_RULES, "allow", 4)
    assert_at(problem, path, text, "{from: client-ws, to: httpbin-ws}")
    assert "never applies: deny[0]" in problem.message


def test_allow_rules_under_deny_all(tmp_path: Path) -> None:
    path, text = brownfield(tmp_path, ("      mode: RULES\n", "      mode: RULES\n      denyAll: true\n"))
    problems = [w for w in warnings_of(path) if w.rule == "shadowed-rule"]
    assert [p.path for p in problems] == [(*TENANT_RULES, "allow", i) for i in range(4)]
    assert_at(problems[0], path, text, "{from: client-ws, to: bookinfo-ws}")


# Secure by default: weakening settings name what they expose.


def test_optional_traffic_names_the_workspaces_it_opens(tmp_path: Path) -> None:
    path, text = brownfield(tmp_path, ("trafficMode: REQUIRED", "trafficMode: OPTIONAL"))
    problem = only(warnings_of(path), "weak-security")
    assert problem.path == ("tenants", 0, "security", "trafficMode")
    assert_at(problem, path, text, "OPTIONAL")
    assert problem.message.endswith(
        "workspaces it applies to: my-tenant/client-ws, my-tenant/httpbin-ws, my-tenant/bookinfo-ws"
    )


def test_optional_traffic_that_a_stricter_tenant_overrides(tmp_path: Path) -> None:
    path, text = brownfield(
        tmp_path,
        ("    trafficMode: REQUIRED\n", "    trafficMode: REQUIRED\n    propagation: STRICTER\n"),
        after(HTTPBIN_WS, "    security: {trafficMode: OPTIONAL}\n"),
    )
    problem = only(warnings_of(path), "weak-security")
    assert problem.path == ("tenants", 0, "workspaces", 1, "security", "trafficMode")
    assert_at(problem, path, text, "OPTIONAL")
    assert problem.message.endswith("every workspace below overrides it")


def test_disabled_authorization_names_the_workspaces_it_opens(tmp_path: Path) -> None:
    path, text = brownfield(tmp_path, after(CLIENT_WS, "    security: {authorization: {mode: DISABLED}}\n"))
    problem = only(warnings_of(path), "weak-security")
    assert problem.path == ("tenants", 0, "workspaces", 0, "security", "authorization", "mode")
    assert_at(problem, path, text, "DISABLED")
    assert problem.message == (
        "authorization mode DISABLED lets any caller in; workspaces it applies to: my-tenant/client-ws"
    )


def test_the_example_profiles_render_without_warnings() -> None:
    for name in ("caffeine", "greenfield", "brownfield"):
        assert render_profile(PROFILES / f"{name}.yaml").warnings == ()
