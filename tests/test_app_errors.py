"""Every mistake in an app's parameters: located (file:line:col and profile path), with a hint,
reported all at once, exit 2 and nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import position_of
from generator import commands
from generator.problems import Problem, Severity
from helpers import variant
from test_errors import assert_at, only, problems_of

APPS = "  apps: [caffeine]\n"
AT = ("namespaces", 0, "apps")


def with_apps(tmp_path: Path, apps: str, *more: tuple[str, str]) -> tuple[Path, str]:
    """The caffeine profile whose namespace lists `apps` (YAML lines under `apps:`)."""
    return variant(tmp_path, (APPS, "  apps:\n" + apps), *more)


def assert_after(problem: Problem, text: str, prefix: str) -> None:
    """The problem stands right after the first `prefix` in the profile (at the value it keys)."""
    line, column = position_of(text, prefix)
    assert problem.location is not None
    assert (problem.location.line, problem.location.column) == (line, column + len(prefix))


def test_unknown_app_names_the_closest_one(tmp_path: Path) -> None:
    path, text = with_apps(tmp_path, "  - sleep\n  - {name: htpbin}\n")
    problem = only(problems_of(path), "enum")
    assert problem.path == (*AT, 1, "name")
    assert_at(problem, path, text, "htpbin")
    assert problem.hint.startswith("did you mean 'httpbin'?")
    assert "bookinfo, caffeine, httpbin, netshoot, sleep" in problem.hint


def test_unknown_app_as_a_bare_name(tmp_path: Path) -> None:
    path, text = with_apps(tmp_path, "  - netshot\n")
    problem = only(problems_of(path), "enum")
    assert problem.path == (*AT, 0)
    assert_at(problem, path, text, "netshot")
    assert problem.hint.startswith("did you mean 'netshoot'?")


def test_unknown_parameter_points_at_its_key(tmp_path: Path) -> None:
    path, text = with_apps(tmp_path, "  - name: caffeine\n    replica: 2\n")
    problem = only(problems_of(path), "unknown-key")
    assert problem.path == (*AT, 0, "replica")
    assert_at(problem, path, text, "replica:")
    assert problem.hint.startswith("did you mean 'replicas'?")
    assert "ambient, annotations, env, labels, name, registry, replicas, resources" in problem.hint


def test_env_for_a_container_the_app_does_not_have(tmp_path: Path) -> None:
    path, text = with_apps(tmp_path, '  - name: caffeine\n    env:\n      barrista: {INTERVAL: "5"}\n')
    problem = only(problems_of(path), "unknown-container")
    assert problem.path == (*AT, 0, "env", "barrista")
    assert_at(problem, path, text, "barrista")
    assert "did you mean 'barista'?" in problem.hint
    assert "barista, coffee-bean, coffee-shop, netshoot" in problem.hint


def test_env_names_and_values(tmp_path: Path) -> None:
    path, text = with_apps(tmp_path, "  - name: caffeine\n    env:\n      barista: {2FAST: x, INTERVAL: 5}\n")
    problems = problems_of(path)
    name = only(problems, "env-name")
    assert name.path == (*AT, 0, "env", "barista", "2FAST")
    assert_at(name, path, text, "2FAST")
    value = only(problems, "type")
    assert value.path == (*AT, 0, "env", "barista", "INTERVAL")
    assert_at(value, path, text, "5}")
    assert value.hint.endswith('"5"')


@pytest.mark.parametrize(
    "written,rule,message",
    [
        ("-1", "range", "must be at least 0, got -1"),
        ('"2"', "type", "expected a whole number, got a string ('2')"),
        ("true", "type", "expected a whole number, got a boolean (true)"),
        ("1.5", "type", "expected a whole number, got a number (1.5)"),
    ],
)
def test_replicas_is_a_whole_number_of_at_least_zero(tmp_path: Path, written: str, rule: str, message: str) -> None:
    path, text = with_apps(tmp_path, f"  - name: sleep\n    replicas: {written}\n")
    problem = only(problems_of(path), rule)
    assert problem.path == (*AT, 0, "replicas")
    assert_after(problem, text, "replicas: ")
    assert problem.message == message


@pytest.mark.parametrize("written", ["12x", "-1", "1.5.0", "0.5", "true", "fast"])
def test_resources_are_kubernetes_quantities(tmp_path: Path, written: str) -> None:
    path, text = with_apps(tmp_path, f"  - name: sleep\n    resources:\n      limits: {{cpu: {written}}}\n")
    problem = only(problems_of(path), "quantity")
    assert problem.path == (*AT, 0, "resources", "limits", "cpu")
    assert_after(problem, text, "limits: {cpu: ")
    assert "128Mi" in problem.hint


def test_unknown_resource_name(tmp_path: Path) -> None:
    path, text = with_apps(tmp_path, "  - name: sleep\n    resources:\n      limits: {gpu: 1}\n")
    problem = only(problems_of(path), "unknown-key")
    assert_at(problem, path, text, "gpu")
    assert "cpu, ephemeral-storage, memory" in problem.hint


@pytest.mark.parametrize("written", ["mirror", "Mirror.example.com", "mirror.example.com/", "https://mirror.example.com"])
def test_registry_must_be_a_host_with_optional_path(tmp_path: Path, written: str) -> None:
    path, text = with_apps(tmp_path, f'  - name: sleep\n    registry: "{written}"\n')
    problem = only(problems_of(path), "registry")
    assert problem.path == (*AT, 0, "registry")
    assert_at(problem, path, text, f'"{written}"')
    assert "mirror.example.com/hub" in problem.hint


def test_profile_wide_registry_is_checked_too(tmp_path: Path) -> None:
    path, text = variant(tmp_path, ("namespaces:\n", "catalog:\n  registry: hub\nnamespaces:\n"))
    problem = only(problems_of(path), "registry")
    assert problem.path == ("catalog", "registry")
    assert_at(problem, path, text, "hub")


def test_labels_the_catalog_sets_are_refused(tmp_path: Path) -> None:
    path, text = with_apps(tmp_path, "  - name: caffeine\n    labels: {team: a, version: v9, istio.io/dataplane-mode: none}\n")
    version, dataplane = [p for p in problems_of(path) if p.rule == "reserved-label"]
    assert version.path == (*AT, 0, "labels", "version")
    assert_at(version, path, text, "version: v9")
    assert "selectors rely on it" in version.hint
    assert_at(dataplane, path, text, "istio.io/dataplane-mode")
    assert "ambient: true|false" in dataplane.hint


def test_label_keys_and_values_follow_kubernetes_syntax(tmp_path: Path) -> None:
    path, text = with_apps(tmp_path, '  - name: sleep\n    labels: {"a b": x, team: "-x-"}\n    annotations: {"/x": y}\n')
    problems = problems_of(path)
    keys = [p for p in problems if p.rule == "label-key"]
    assert [p.path for p in keys] == [(*AT, 0, "labels", "a b"), (*AT, 0, "annotations", "/x")]
    assert_at(keys[0], path, text, '"a b"')
    value = only(problems, "label-value")
    assert_at(value, path, text, '"-x-"')


def test_an_app_listed_twice(tmp_path: Path) -> None:
    path, text = with_apps(tmp_path, "  - sleep\n  - {name: sleep, replicas: 2}\n")
    problem = only(problems_of(path), "duplicate-item")
    assert problem.path == (*AT, 1)
    assert "also at apps[0]" in problem.message
    assert_at(problem, path, text, "{name: sleep")


def test_an_entry_that_is_neither_name_nor_mapping(tmp_path: Path) -> None:
    path, text = with_apps(tmp_path, "  - [sleep]\n")
    problem = only(problems_of(path), "type")
    assert problem.message == "expected an app name or a mapping with `name:`, got a list"
    assert problem.path == (*AT, 0)


def test_ambient_enrollment_in_a_sidecar_namespace_is_an_error(tmp_path: Path) -> None:
    path, text = with_apps(tmp_path, "  - name: caffeine\n    ambient: true\n", ("dataplane: ambient", "dataplane: sidecar"))
    problem = only(problems_of(path), "ambient-and-sidecar")
    assert problem.path == (*AT, 0, "ambient")
    assert_after(problem, text, "ambient: ")
    assert "dataplane: none" in problem.hint


def test_ambient_enrollment_needs_a_cluster_with_ambient(tmp_path: Path) -> None:
    path, text = with_apps(
        tmp_path, "  - name: caffeine\n    ambient: true\n",
        ("dataplane: ambient", "dataplane: none"), ("enabled: true", "enabled: false"),
    )
    problem = only(problems_of(path), "ambient-disabled")
    assert problem.path == (*AT, 0, "ambient")
    assert "clusters[0]" in problem.hint


def test_a_request_above_the_limit_is_located_at_the_profile_quantity(tmp_path: Path) -> None:
    path, text = with_apps(tmp_path, "  - name: caffeine\n    resources:\n      requests: {memory: 1Gi}\n")
    problem = only(problems_of(path), "request-over-limit")
    assert problem.path == (*AT, 0, "resources", "requests", "memory")
    assert_at(problem, path, text, "1Gi")
    assert "more than its limit 128Mi" in problem.message


def test_every_problem_at_once_exit_2_nothing_written(tmp_path: Path) -> None:
    path, text = with_apps(
        tmp_path,
        "  - name: cafeine\n  - name: sleep\n    replicas: -2\n    resources: {limits: {cpu: lots}}\n"
        "    env: {curl: {A: b}}\n    registry: nohost\n",
    )
    out = tmp_path / "out"
    result = CliRunner().invoke(commands.app, ["render", str(path), "--out", str(out)])
    assert result.exit_code == 2
    for needle, key in [("cafeine", "apps[0].name"), ("-2", "apps[1].replicas"), ("lots", "apps[1].resources.limits.cpu"),
                        ("curl", "apps[1].env.curl"), ("nohost", "apps[1].registry")]:
        line, column = position_of(text, needle)
        assert f"{path}:{line}:{column}: error: namespaces[0].{key}:" in result.stderr
    assert "5 errors; nothing was written" in result.stderr
    assert "Traceback" not in result.output
    assert not out.exists()


def test_a_redundant_enrollment_is_a_warning_and_renders(tmp_path: Path) -> None:
    path, _ = with_apps(tmp_path, "  - name: caffeine\n    ambient: true\n")
    result = CliRunner().invoke(commands.app, ["render", str(path), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "warning: namespaces[0].apps[0].ambient: app 'caffeine': `ambient: true` changes nothing" in result.stderr
    assert Severity.WARNING.value in result.stderr
