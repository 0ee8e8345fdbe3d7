"""Each class of profile error: reported with file, line, column, profile path and a hint."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import position_of
from generator.pipeline import render_profile
from generator.problems import Problem, ProfileError
from helpers import variant, write_profile


def problems_of(path: Path) -> list[Problem]:
    with pytest.raises(ProfileError) as raised:
        render_profile(path)
    return raised.value.problems


def only(problems: list[Problem], rule: str) -> Problem:
    matching = [problem for problem in problems if problem.rule == rule]
    assert len(matching) == 1, f"expected one {rule} problem, got {problems}"
    return matching[0]


def assert_at(problem: Problem, path: Path, text: str, needle: str, occurrence: int = 1) -> None:
    assert problem.location is not None
    assert problem.location.file == str(path)
    assert (problem.location.line, problem.location.column) == position_of(text, needle, occurrence)


def test_unknown_key_names_the_closest_valid_key(tmp_path: Path) -> None:
    path, text = variant(tmp_path, ("  gitopsNamespace:", "  gitopsNamespce:"))
    problems = problems_of(path)
    unknown = only(problems, "unknown-key")
    assert unknown.path == ("tsb", "gitopsNamespce")
    assert_at(unknown, path, text, "gitopsNamespce")
    assert "did you mean 'gitopsNamespace'?" in unknown.hint
    # The misspelt key also leaves the real one missing: both are said.
    assert only(problems, "required").path == ("tsb", "gitopsNamespace")


def test_wrong_type_shows_how_to_quote_the_value(tmp_path: Path) -> None:
    path, text = variant(tmp_path, ('version: "1.24.3"', "version: 1.20"))
    problem = only(problems_of(path), "type")
    assert problem.path == ("clusters", 0, "istio", "version")
    assert_at(problem, path, text, "1.20")
    assert problem.message == "expected a string, got a number (1.2)"
    assert problem.hint.endswith('"1.20"')


def test_boolean_written_as_yes_is_a_type_error(tmp_path: Path) -> None:
    path, text = variant(tmp_path, ("enabled: true", "enabled: yes"))
    problem = only(problems_of(path), "type")
    assert problem.path == ("clusters", 0, "ambient", "enabled")
    assert_at(problem, path, text, "yes")
    assert "true or false" in problem.hint


def test_value_outside_an_enum_suggests_the_right_spelling(tmp_path: Path) -> None:
    path, text = variant(tmp_path, ("platform: aks", "platform: AKS"), ("mode: RULES", "mode: rule"))
    problems = problems_of(path)
    platform, mode = [p for p in problems if p.rule == "enum"]
    assert platform.path == ("clusters", 0, "platform")
    assert_at(platform, path, text, "AKS", occurrence=2)
    assert platform.hint.startswith("did you mean 'aks'?")
    assert mode.path == ("tenants", 0, "workspaces", 0, "security", "authorization", "mode")
    assert_at(mode, path, text, "rule")
    assert "RULES" in mode.hint


def test_name_that_is_not_a_dns_label(tmp_path: Path) -> None:
    path, text = variant(tmp_path, ("- name: cnp-nginx-ws", "- name: CNP_Nginx_WS"))
    problems = problems_of(path)
    problem = only(problems, "dns-label")
    assert problem.path == ("tenants", 0, "workspaces", 1, "name")
    assert_at(problem, path, text, "CNP_Nginx_WS")
    assert "'cnp-nginx-ws'" in problem.hint


def test_duplicate_name_points_at_the_second_one(tmp_path: Path) -> None:
    path, text = variant(tmp_path, ("- name: cnp-nginx-ws", "- name: caffeine-ws"))
    problem = only(problems_of(path), "duplicate-name")
    assert problem.path == ("tenants", 0, "workspaces", 1, "name")
    assert_at(problem, path, text, "caffeine-ws", occurrence=5)
    assert "workspaces[0]" in problem.message


def test_rule_naming_an_undeclared_workspace(tmp_path: Path) -> None:
    path, text = variant(tmp_path, ("{from: cnp-nginx-ws,", "{from: cnp-nginks-ws,"))
    problem = only(problems_of(path), "undeclared-reference")
    assert problem.path == ("tenants", 0, "workspaces", 0, "security", "authorization", "allow", 1, "from")
    assert_at(problem, path, text, "cnp-nginks-ws")
    assert problem.hint.startswith("did you mean 'cnp-nginx-ws'?")


def test_rule_naming_an_undeclared_tenant(tmp_path: Path) -> None:
    path, text = variant(tmp_path, ("{from: cnp-nginx-ws,", "{from: dev-api/cnp-nginx-ws,"))
    problem = only(problems_of(path), "undeclared-reference")
    assert_at(problem, path, text, "dev-api/cnp-nginx-ws")
    assert "tenant" in problem.message


def test_namespace_on_an_undeclared_cluster(tmp_path: Path) -> None:
    path, text = variant(tmp_path, ("clusters: [app-blk-east-0]", "clusters: [app-blk-east-0, app-blk-west-1]"))
    problem = only(problems_of(path), "undeclared-reference")
    assert problem.path == ("namespaces", 0, "clusters", 1)
    assert_at(problem, path, text, "app-blk-west-1")
    assert "declared clusters: app-blk-east-0" in problem.hint


def test_all_problems_are_reported_together_in_file_order(tmp_path: Path) -> None:
    path, text = variant(
        tmp_path,
        ("organization: tetrate", "organisation: tetrate"),
        ("platform: aks", "platform: aws"),
        ("- name: cnp-nginx-ws", "- name: Cnp"),
        ("clusters: [app-blk-east-0]", "clusters: [east]"),
        ("apps: [caffeine]", "apps: [caffeine, caffeine]"),
    )
    found = [(p.rule, p.location.line, p.location.column) for p in problems_of(path) if p.location]
    assert found == [
        ("required", *position_of(text, "tsb:")),
        ("unknown-key", *position_of(text, "organisation")),
        ("enum", *position_of(text, "aws")),
        # The rule that names cnp-nginx-ws now names no workspace: said too, at its own line.
        ("undeclared-reference", *position_of(text, "cnp-nginx-ws, to")),
        ("dns-label", *position_of(text, "Cnp")),
        ("undeclared-reference", *position_of(text, "east]")),
        ("duplicate-item", *position_of(text, "caffeine]")),
    ]


def test_yaml_syntax_error_has_its_position(tmp_path: Path) -> None:
    path, text = variant(tmp_path, ('namespaces: ["*/caffeine"]', 'namespaces: ["*/caffeine"'))
    problem = only(problems_of(path), "yaml")
    assert problem.location is not None
    # The flow sequence runs on to the next line, where the parser finds `security:` instead of `]`.
    assert (problem.location.line, problem.location.column) == position_of(text, "security:")
    assert problem.message.startswith("invalid YAML")


def test_duplicate_key_is_refused(tmp_path: Path) -> None:
    path, text = variant(tmp_path, ("  platform: aks\n", "  platform: aks\n  platform: eks\n"))
    problem = only(problems_of(path), "yaml")
    assert problem.location is not None
    assert problem.location.line == position_of(text, "platform: eks")[0]
    assert "duplicate key" in problem.message


def test_every_duplicate_key_is_reported_at_its_own_position(tmp_path: Path) -> None:
    path, text = variant(
        tmp_path,
        ("  platform: aks\n", "  platform: aks\n  platform: eks\n"),
        ("  dataplane: ambient\n", "  dataplane: ambient\n  dataplane: none\n"),
    )
    problems = problems_of(path)
    assert [p.message for p in problems] == ["invalid YAML: duplicate key 'platform'", "invalid YAML: duplicate key 'dataplane'"]
    assert_at(problems[0], path, text, "platform: eks")
    assert_at(problems[1], path, text, "dataplane: none")


def test_the_same_namespace_twice_on_one_cluster_is_located(tmp_path: Path) -> None:
    path, text = variant(
        tmp_path,
        ("  apps: [caffeine]\n", "  apps: [caffeine]\n- name: caffeine\n  clusters: [app-blk-east-0]\n  dataplane: sidecar\n"),
    )
    problem = only(problems_of(path), "duplicate-name")
    assert problem.path == ("namespaces", 1, "clusters", 0)
    assert "namespace 'caffeine' is declared twice on cluster 'app-blk-east-0' (also at namespaces[0])" in problem.message
    assert_at(problem, path, text, "app-blk-east-0", occurrence=3)


def test_a_version_hint_quotes_the_value_as_written(tmp_path: Path) -> None:
    path, text = variant(tmp_path, ('version: "1.24.3"', "version: 1.20"))
    problem = only(problems_of(path), "type")
    assert problem.hint.endswith(': "1.20"')
    assert_at(problem, path, text, "1.20")


@pytest.mark.parametrize(
    "content,expected",
    [("", "holds nothing"), ("- a\n", "holds a list"), ("just text\n", "holds a string")],
)
def test_a_profile_must_be_a_mapping(tmp_path: Path, content: str, expected: str) -> None:
    path = write_profile(tmp_path, content)
    assert expected in only(problems_of(path), "type").message


def test_nested_aliases_cannot_blow_up_the_loader(tmp_path: Path) -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 9)]
    path = write_profile(tmp_path, "\n".join(lines) + "\n")
    assert "more than" in only(problems_of(path), "size").message


# Rules over the whole model (generator/checks/).


def test_ambient_namespace_on_a_cluster_without_ambient(tmp_path: Path) -> None:
    path, text = variant(tmp_path, ("enabled: true", "enabled: false"))
    problem = only(problems_of(path), "ambient-disabled")
    assert problem.path == ("namespaces", 0, "clusters", 0)
    assert_at(problem, path, text, "app-blk-east-0]")


def test_ambient_needs_tsb_1_12_1_and_istio_1_24(tmp_path: Path) -> None:
    path, text = variant(tmp_path, ('version: "1.12.1"', 'version: "1.11.4"'), ('version: "1.24.3"', 'version: "1.23.0"'))
    problems = [p for p in problems_of(path) if p.rule == "version"]
    assert [p.path for p in problems] == [("tsb", "version"), ("clusters", 0, "istio", "version")]
    assert_at(problems[0], path, text, '"1.11.4"')
    assert_at(problems[1], path, text, '"1.23.0"')


def test_a_namespace_belongs_to_one_workspace(tmp_path: Path) -> None:
    path, text = variant(tmp_path, ('namespaces: ["*/cnp-nginx"]', 'namespaces: ["app-blk-east-0/caff*"]'))
    problem = only(problems_of(path), "namespace-ownership")
    assert problem.path == ("tenants", 0, "workspaces", 1, "namespaces", 0)
    assert_at(problem, path, text, '"app-blk-east-0/caff*"')
    assert "caffeine-ws" in problem.message


def test_rules_outside_rules_mode(tmp_path: Path) -> None:
    path, text = variant(tmp_path, ("mode: RULES", "mode: WORKSPACE"))
    problem = only(problems_of(path), "rules-mode")
    assert problem.path == ("tenants", 0, "workspaces", 0, "security", "authorization", "allow")
    assert_at(problem, path, text, "allow:")


def test_two_workspace_settings_of_one_name_collide(tmp_path: Path) -> None:
    path, text = variant(
        tmp_path,
        ('namespaces: ["*/cnp-nginx"]', 'namespaces: ["*/cnp-nginx"]\n    security: {settingName: default-setting}'),
    )
    problem = only(problems_of(path), "object-collision")
    assert problem.path == ("tenants", 0, "workspaces", 1, "security", "settingName")
    assert_at(problem, path, text, "default-setting", occurrence=2)
    assert "workspacesetting-default-setting.yaml" in problem.message


# Hostile YAML: every one is a located problem and exit code 2, never a crash.


@pytest.mark.parametrize(
    "value",
    ["2025-02-30", "!!int abc", "!!float abc", "!!bool maybe", "9" * 5000, "2020-01-01 25:00:00"],
)
def test_values_yaml_cannot_construct_are_located(tmp_path: Path, value: str) -> None:
    text = f"profile: caffeine\ntsb:\n  organization: tetrate\n  version: {value}\n"
    problem = only(problems_of(write_profile(tmp_path, text)), "yaml")
    assert problem.message.startswith("invalid YAML value")
    assert problem.location is not None
    assert (problem.location.line, problem.location.column) == (4, 12)


@pytest.mark.parametrize("style", ["flow", "block"])
def test_deep_nesting_is_refused_where_it_gets_too_deep(tmp_path: Path, style: str) -> None:
    if style == "flow":
        text = "profile: " + "[" * 300 + "]" * 300 + "\n"
    else:
        text = "profile:\n" + "".join("  " * depth + f"k{depth}:\n" for depth in range(1, 300))
    problem = only(problems_of(write_profile(tmp_path, text)), "size")
    assert "deeper than 64" in problem.message
    assert problem.location is not None and problem.location.line >= 1


def test_keys_that_are_not_strings_are_located_and_reported_with_the_rest(tmp_path: Path) -> None:
    path, text = variant(tmp_path, ("managementPlane:\n", "1.5: x\n~: y\n? [a, b]\n: z\nmanagementPlane:\n"), ("platform: aks", "platform: ask"))
    problems = problems_of(path)
    keys = [p for p in problems if p.rule == "key-type"]
    assert [(p.location.line, p.location.column) for p in keys if p.location] == [
        position_of(text, "1.5: x"),
        position_of(text, "~: y"),
        (position_of(text, "? [a, b]")[0], 3),
    ]
    assert only(problems, "enum").path == ("clusters", 0, "platform")


def test_an_empty_value_is_reported_at_its_key(tmp_path: Path) -> None:
    path, text = variant(tmp_path, ("organization: tetrate", "organization:"))
    problem = only(problems_of(path), "type")
    assert problem.path == ("tsb", "organization")
    assert problem.message == "value is empty (null)"
    assert_at(problem, path, text, "organization:")


def test_values_merged_with_an_anchor_are_reported_where_they_are_written(tmp_path: Path) -> None:
    path, text = variant(
        tmp_path,
        ('tsb:\n  version: "1.12.1"\n  organization: tetrate\n', 'tsb:\n  <<: {version: "1.12.1", organization: Tetrate}\n'),
    )
    problem = only(problems_of(path), "dns-label")
    assert problem.path == ("tsb", "organization")
    assert_at(problem, path, text, "Tetrate")


@pytest.mark.parametrize(
    "old,new,rule",
    [
        ("profile: caffeine", "profile: |\n  caffeine", "dns-label"),
        ("- name: caffeine\n", '- name: "caffeine\\n"\n', "dns-label"),
        ('namespaces: ["*/caffeine"]', 'namespaces: ["*/caffeine\\n"]', "namespace-selector"),
        ('version: "1.24.3"', 'version: "1.24.3\\n"', "version"),
    ],
)
def test_a_trailing_newline_does_not_pass_for_a_name(tmp_path: Path, old: str, new: str, rule: str) -> None:
    path, _ = variant(tmp_path, (old, new))
    assert only(problems_of(path), rule).rule == rule
