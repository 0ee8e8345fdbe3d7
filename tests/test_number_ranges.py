"""Numbers in range (issue 19, case 6): every number a profile hands to Kubernetes is one Kubernetes
holds, or a located profile error (exit 2, nothing written), never a crash (exit 3) and never an
output Kubernetes refuses or silently changes.

What reaches output: an app's `replicas` (Deployment.spec.replicas, an int32) and resource
quantities (apps' `resources`, waypoint `resources` at cluster and namespace level), which
Kubernetes holds as at most 2^63-1 base units, to 1n; it caps a larger one and rounds a finer one
up without a word.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from ruamel.yaml import YAML
from typer.testing import CliRunner

from conftest import REPO
from generator import commands
from generator.kubernetes import INT32_MAX, INT64_MAX, quantity_fault
from helpers import render_into, variant
from test_errors import assert_at, only, problems_of

APPS = "  apps: [caffeine]\n"
AMBIENT = "  ambient:\n    enabled: true\n"


def app(parameters: str) -> tuple[str, str]:
    return APPS, f"  apps:\n  - name: caffeine\n    {parameters}\n"


def waypoints(resources: str) -> tuple[str, str]:
    return AMBIENT, f"{AMBIENT}    waypoints:\n      resources: {resources}\n"


@pytest.mark.parametrize(
    ("replacement", "needle", "path", "rule", "message"),
    [
        (app(f"replicas: {10**30}"), str(10**30), ("replicas",), "range",
         f"must be at most {INT32_MAX}, got {10**30}"),
        (app(f"replicas: {2**63}"), str(2**63), ("replicas",), "range", f"must be at most {INT32_MAX}, got {2**63}"),
        (app(f"replicas: {2**31}"), str(2**31), ("replicas",), "range", f"must be at most {INT32_MAX}, got {2**31}"),
        (app('resources: {limits: {memory: "1e30"}}'), '"1e30"', ("resources", "limits", "memory"), "range",
         f"'1e30' is more than Kubernetes holds: a quantity is at most 2^63-1 ({INT64_MAX}) cores or bytes"),
        (app(f"resources: {{limits: {{cpu: {2**64}}}}}"), str(2**64), ("resources", "limits", "cpu"), "range",
         f"{2**64} is more than Kubernetes holds: a quantity is at most 2^63-1 ({INT64_MAX}) cores or bytes"),
        (app("resources: {limits: {memory: 8Ei}}"), "8Ei", ("resources", "limits", "memory"), "range",
         f"'8Ei' is more than Kubernetes holds: a quantity is at most 2^63-1 ({INT64_MAX}) cores or bytes"),
        (app("resources: {requests: {cpu: 0.1n}}"), "0.1n", ("resources", "requests", "cpu"), "range",
         "'0.1n' is finer than Kubernetes holds: a quantity counts in steps of 1n (a billionth)"),
        # Compared with its limit as a decimal of ten million digits: an Overflow, exit 3, before.
        (app('resources: {limits: {memory: 1Gi}, requests: {memory: "1e9999999"}}'), '"1e9999999"',
         ("resources", "requests", "memory"), "range",
         f"'1e9999999' is more than Kubernetes holds: a quantity is at most 2^63-1 ({INT64_MAX}) cores or bytes"),
    ],
    ids=["replicas-1e30", "replicas-2^63", "replicas-2^31", "memory-1e30", "cpu-2^64", "memory-8Ei", "cpu-0.1n",
         "memory-1e9999999"],
)
def test_an_app_number_kubernetes_cannot_hold_is_a_located_error(
    tmp_path: Path, replacement: tuple[str, str], needle: str, path: tuple[str, ...], rule: str, message: str
) -> None:
    profile, text = variant(tmp_path, replacement)
    problem = only(problems_of(profile), rule)
    assert problem.path == ("namespaces", 0, "apps", 0, *path)
    assert problem.message == message
    assert problem.hint.startswith("Kubernetes ")
    assert_at(problem, profile, text, needle)


@pytest.mark.parametrize(
    ("resources", "needle", "key", "rule"),
    [
        ("{requests: {memory: 8Ei}}", "8Ei", ("requests", "memory"), "range"),
        (f"{{limits: {{cpu: {2**63}}}}}", str(2**63), ("limits", "cpu"), "range"),
        ('{limits: {cpu: "-1"}}', '"-1"', ("limits", "cpu"), "quantity"),  # the old pattern took a sign
        ("{requests: {cpu: true}}", "true", ("requests", "cpu"), "quantity"),  # printed `cpu: true` before
    ],
)
def test_a_waypoint_quantity_kubernetes_cannot_hold_is_a_located_error(
    tmp_path: Path, resources: str, needle: str, key: tuple[str, ...], rule: str
) -> None:
    profile, text = variant(tmp_path, waypoints(resources))
    problem = only(problems_of(profile), rule)
    assert problem.path == ("clusters", 0, "ambient", "waypoints", "resources", *key)
    assert_at(problem, profile, text, needle, occurrence=text.count(needle))


def test_a_namespace_waypoint_quantity_is_checked_too(tmp_path: Path) -> None:
    namespaces = '{limits: {cpu: 1}}\n      namespaces:\n      - {name: caffeine, resources: {limits: {memory: "9.3e18"}}}'
    profile, text = variant(tmp_path, waypoints(namespaces))
    problem = only(problems_of(profile), "range")
    assert problem.path == ("clusters", 0, "ambient", "waypoints", "namespaces", 0, "resources", "limits", "memory")
    assert_at(problem, profile, text, '"9.3e18"')


def test_the_cli_reports_every_number_at_once_exits_2_and_writes_nothing(tmp_path: Path) -> None:
    profile, _ = variant(
        tmp_path,
        app(f'replicas: {10**30}\n    resources: {{limits: {{memory: "1e30", cpu: {2**64}}}}}'),
        waypoints("{requests: {memory: 8Ei}}"),
    )
    out = tmp_path / "out"
    result = CliRunner().invoke(commands.app, ["render", str(profile), "--out", str(out)])
    assert result.exit_code == 2, result.output
    assert "internal error" not in result.stderr
    assert "4 errors; nothing was written" in result.stderr
    assert not out.exists()


def test_the_largest_numbers_kubernetes_holds_render(tmp_path: Path) -> None:
    profile, _ = variant(
        tmp_path,
        app(f"replicas: {INT32_MAX}\n    resources: {{limits: {{memory: {INT64_MAX}, cpu: 7Ei}}, requests: {{cpu: 1n}}}}"),
    )
    root = render_into(profile, tmp_path / "out")
    deployment = (root / "clusters/app-blk-east-0/namespaces/caffeine/deployment-barista-v1.yaml").read_text("utf-8")
    assert f"replicas: {INT32_MAX}\n" in deployment
    assert f'memory: "{INT64_MAX}"\n' in deployment


@pytest.mark.parametrize(
    ("value", "fault"),
    [
        ("50m", None), ("0", None), ("0e999999999999", None), ("1n", None), ("1u", None), ("0.5Ki", None),
        ("7Ei", None), (str(INT64_MAX), None), (INT64_MAX, None), ("9223372036854775807000m", None),
        ("0." + "0" * 300 + "1e301", None),  # 1, with many digits
        ("8Ei", "too-large"), (str(INT64_MAX + 1), "too-large"), (INT64_MAX + 1, "too-large"),
        ("9223372036854775807001m", "too-large"), ("1e19", "too-large"), ("1e" + "9" * 5000, "too-large"),
        ("0.1n", "too-precise"), ("1e-10", "too-precise"), ("1.5n", "too-precise"), ("1e-" + "9" * 5000, "too-precise"),
        ("1" + "0" * 300 + ".5n", "too-large"),
        (-1, "syntax"), ("-1", "syntax"), (True, "syntax"), ("12x", "syntax"), ("", "syntax"), (0.5, "syntax"),
    ],
)
def test_what_kubernetes_holds_as_a_quantity(value: object, fault: str | None) -> None:
    assert quantity_fault(value) == fault


def test_the_editor_schema_bounds_quantities() -> None:
    """(It says nothing of app entries yet: `apps` items are a name or a mapping, which it leaves open.)"""
    schema = Draft202012Validator(YAML(typ="safe").load((REPO / "schema" / "profile.schema.json").read_text()))
    profile = YAML(typ="safe").load((REPO / "profiles" / "caffeine.yaml").read_text())
    for quantity, valid in (("128Mi", True), (INT64_MAX, True), (INT64_MAX + 1, False), ("-1", False), (-1, False)):
        profile["clusters"][0]["ambient"]["waypoints"] = {"resources": {"limits": {"memory": quantity}}}
        assert schema.is_valid(profile) is valid, quantity
