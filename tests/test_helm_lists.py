"""Helm replaces lists (helm issue 3486): gen never tells the user to layer a values file that holds
a list over live values it did not merge itself. The profile gives the live values (`baseValues:
FILE`, merged by identity) or says the file alone installs the release (`baseValues: none`); else a
list is an error at the setting that makes it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from ruamel.yaml import YAML
from typer.testing import CliRunner

from conftest import GOLDEN, REPO
from generator import commands
from generator.output.layering import layering_problems, lists_in
from generator.plan import Output, Plan
from generator.plan.controlplane import ControlPlaneValuesContext
from generator.problems import Problem
from helpers import render_into, variant
from test_errors import assert_at, only, problems_of

AMBIENT = "  ambient:\n    enabled: true\n"
EDGE_DNS = AMBIENT + "    edgeDnsResolution: true\n"
NAMESPACE_LEVEL = AMBIENT + "    waypoints:\n      namespaces:\n      - {name: caffeine, revision: canary}\n"
CONTROL_PLANE = "clusters/app-blk-east-0/control-plane/controlplane-values.yaml"
MANAGEMENT_PLANE = "management-plane/tsb-mp/managementplane-values.yaml"
PLATFORM = "  platform: aks\n"  # a key added after it belongs to the cluster


def base_values(written: str) -> tuple[str, str]:
    return PLATFORM, f"{PLATFORM}  baseValues: {written}\n"


def load(root: Path, name: str) -> Any:
    return YAML(typ="safe").load((root / name).read_text("utf-8"))


def header(root: Path, name: str) -> str:
    return "".join(line for line in (root / name).read_text("utf-8").splitlines(keepends=True) if line.startswith("#"))


def test_edge_dns_without_base_values_is_an_error_at_the_setting(tmp_path: Path) -> None:
    path, text = variant(tmp_path, (AMBIENT, EDGE_DNS))
    problem = only(problems_of(path), "helm-list")
    assert problem.path == ("clusters", 0, "ambient", "edgeDnsResolution")
    assert_at(problem, path, text, "true", occurrence=2)  # edgeDnsResolution's value
    assert "spec.components.xcp.kubeSpec.overlays" in problem.message
    assert "-f live-values.yaml -f controlplane-values.yaml" in problem.message
    assert problem.hint.startswith("give `baseValues:` at clusters[0]")
    assert "helm get values controlplane -n istio-system" in problem.hint
    assert "`baseValues: none`" in problem.hint


def test_namespace_level_waypoints_without_base_values_are_an_error_at_the_setting(tmp_path: Path) -> None:
    path, text = variant(tmp_path, (AMBIENT, NAMESPACE_LEVEL))
    problem = only(problems_of(path), "helm-list")
    assert problem.path == ("clusters", 0, "ambient", "waypoints", "namespaces")
    assert_at(problem, path, text, "namespaces:\n      - {name: caffeine")
    assert "spec.components.istio.ambient.waypoints.namespaceLevel" in problem.message


def test_the_cli_reports_every_list_with_the_other_errors_exits_2_and_writes_nothing(tmp_path: Path) -> None:
    both = EDGE_DNS + "    waypoints:\n      namespaces:\n      - {name: caffeine, revision: canary}\n"
    path, text = variant(tmp_path, (AMBIENT, both + "  spmAgent: {enabled: false}\n"))
    out = tmp_path / "out"
    result = CliRunner().invoke(commands.app, ["render", str(path), "--out", str(out)])
    assert result.exit_code == 2
    edge_line, edge_column = text.splitlines().index("    edgeDnsResolution: true") + 1, 24
    assert (
        f"{path}:{edge_line}:{edge_column}: error: clusters[0].ambient.edgeDnsResolution: puts the list "
        "spec.components.xcp.kubeSpec.overlays into the ControlPlane helm values of cluster 'app-blk-east-0'"
    ) in result.stderr
    assert "error: clusters[0].ambient.waypoints.namespaces: puts the list" in result.stderr
    assert "error: clusters[0].spmAgent.enabled:" in result.stderr  # a check's error, in the same report
    assert "hint: give `baseValues:` at clusters[0]" in result.stderr
    assert "3 errors; nothing was written" in result.stderr
    assert not out.exists()


def test_base_values_none_renders_the_lists_and_says_apply_this_file_alone(tmp_path: Path) -> None:
    path, _ = variant(tmp_path, (AMBIENT, NAMESPACE_LEVEL), base_values("none"))
    edge, _ = variant(tmp_path, (AMBIENT, EDGE_DNS), base_values("none"),
                      name="edge.yaml")
    root = render_into(path, tmp_path / "out")
    ambient = load(root, CONTROL_PLANE)["spec"]["components"]["istio"]["ambient"]
    assert ambient["waypoints"]["namespaceLevel"] == [{"name": "caffeine", "config": {"revision": "canary"}}]
    edge_root = render_into(edge, tmp_path / "edge-out")
    (overlay,) = load(edge_root, CONTROL_PLANE)["spec"]["components"]["xcp"]["kubeSpec"]["overlays"]
    assert overlay["name"] == "edge-xcp"
    for tree in (root, edge_root):
        note = header(tree, CONTROL_PLANE)
        assert "#   helm upgrade --install controlplane <controlplane chart> -n istio-system -f controlplane-values.yaml\n" in note
        assert "live-values.yaml" not in note and "helm get values" not in note


def test_base_values_none_on_the_management_plane_changes_its_command(tmp_path: Path) -> None:
    path, _ = variant(tmp_path, ("  cluster: tsb-mp\n", "  cluster: tsb-mp\n  baseValues: none\n"))
    root = render_into(path, tmp_path / "out")
    note = header(root, MANAGEMENT_PLANE)
    assert "#   helm upgrade --install managementplane <managementplane chart> -n tsb -f managementplane-values.yaml\n" in note
    assert "live-values.yaml" not in note
    # The cluster without a declaration is still layered: its file says so, and holds no list.
    assert "-f live-values.yaml -f controlplane-values.yaml" in header(root, CONTROL_PLANE)


def test_with_base_values_the_lists_are_merged_and_the_file_applied_alone(tmp_path: Path) -> None:
    (tmp_path / "live.yaml").write_text(
        "spec:\n  components:\n    xcp:\n      kubeSpec:\n        overlays:\n"
        "        - apiVersion: install.xcp.tetrate.io/v1alpha1\n          kind: CentralXcp\n          name: central\n",
        "utf-8",
    )
    path, _ = variant(tmp_path, (AMBIENT, EDGE_DNS), base_values("live.yaml"))
    root = render_into(path, tmp_path / "out")
    overlays = load(root, CONTROL_PLANE)["spec"]["components"]["xcp"]["kubeSpec"]["overlays"]
    assert [overlay["name"] for overlay in overlays] == ["central", "edge-xcp"]  # the live entry is kept
    assert "live-values.yaml" not in header(root, CONTROL_PLANE)


@pytest.mark.parametrize(
    "written,rule,message,needle",
    [
        ("None", "base-values", "'None' is not a values file or `none`", "None"),
        ("NONE", "base-values", "'NONE' is not a values file or `none`", "NONE"),
        ("false", "type", "expected a string, got a boolean (false)", "false"),
        ("~", "type", "value is empty (null)", "baseValues"),
    ],
)
def test_a_bad_base_values_declaration_is_located_with_a_hint(
    tmp_path: Path, written: str, rule: str, message: str, needle: str
) -> None:
    path, text = variant(tmp_path, base_values(written))
    problem = only(problems_of(path), rule)
    assert problem.path == ("clusters", 0, "baseValues")
    assert problem.message == message
    assert_at(problem, path, text, needle, occurrence=text.count(needle))
    assert "`none` (lower case)" in problem.hint and "helm get values" in problem.hint


def test_a_missing_base_values_file_names_the_none_declaration(tmp_path: Path) -> None:
    path, text = variant(tmp_path, base_values("nowhere.yaml"))
    problem = only(problems_of(path), "base-values")
    assert_at(problem, path, text, "nowhere.yaml")
    assert "`baseValues: none`" in problem.hint


def test_the_editor_schema_takes_none_and_refuses_its_misspellings() -> None:
    schema = Draft202012Validator(YAML(typ="safe").load((REPO / "schema" / "profile.schema.json").read_text()))
    profile = YAML(typ="safe").load((REPO / "profiles" / "caffeine.yaml").read_text())
    for value, valid in (("none", True), ("values/east-0.yaml", True), ("./None", True), ("None", False)):
        profile["clusters"][0]["baseValues"] = value
        assert schema.is_valid(profile) is valid, value


def test_every_list_of_any_values_overlay_is_found_and_located() -> None:
    """A list no planner declared still stops the render, at the file's profile entry."""
    assert list(lists_in({"a": {"b": [1, [2]], "c": {"d": []}}, "e": 1})) == [("a", "b"), ("a", "c", "d")]
    context = ControlPlaneValuesContext(
        cluster="c", platform="aks", istio_namespace="istio-system", ambient=False, ztunnel_revision=None, cni=(),
        cluster_waypoints=None, namespace_waypoints=(), spm_agent=True, edge_dns_resolution=True,
        base_file=None, dropped_secrets=(), base=None,
    )
    output = Output(CONTROL_PLANE, context, ("clusters", 3), "ControlPlane helm values of cluster 'c'")
    (problem,) = layering_problems(Plan("p", (output,)))
    assert isinstance(problem, Problem) and problem.path == ("clusters", 3)
    assert "spec.components.xcp.kubeSpec.overlays" in problem.message
    declared = Output(output.path, ControlPlaneValuesContext(**{**vars(context), "fresh_release": True}), (), "")
    assert layering_problems(Plan("p", (declared,))) == []


def test_no_committed_values_file_layered_over_live_values_holds_a_list() -> None:
    layered = 0
    for path in sorted(GOLDEN.rglob("*-values.yaml")):
        text = path.read_text("utf-8")
        if "-f live-values.yaml" in text:
            layered += 1
            assert list(lists_in(YAML(typ="safe").load(text))) == [], path
    assert layered > 0
