"""A migration that cannot hold is refused with located problems naming the phase: broken
references, a phase that breaks a check of the render pipeline, a phase that changes who may call
whom. And what the dataplane labels refuse on their own: a workload both ambient and injected."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
import yaml

from conftest import PROFILES
from generator.checks import CHECKS
from generator.matrix import Decision, MatrixEntry, workspace_matrix
from generator.migration.invariant import phase_problems
from generator.migration.state import state_at
from generator.pipeline import checked_model, render_profile
from generator.problems import Problem, Severity
from generator.profile.model import Dataplane, Profile
from helpers import write_profile
from test_errors import assert_at, only, problems_of

BROWNFIELD = (PROFILES / "brownfield.yaml").read_text("utf-8")
PHASES = "migration:\n  phases:\n"
LEGACY = '- name: legacy\n  platform: generic\n  istio: {version: "1.22.0"}\n'


def brownfield(tmp_path: Path, *replacements: tuple[str, str]) -> tuple[Path, str]:
    text = BROWNFIELD
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new, 1)
    return write_profile(tmp_path, text), text


def with_phases(tmp_path: Path, phases: str, *replacements: tuple[str, str]) -> tuple[Path, str]:
    head = BROWNFIELD[: BROWNFIELD.index(PHASES)]
    text = head + PHASES + phases
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new, 1)
    return write_profile(tmp_path, text), text


def test_every_broken_reference_at_once(tmp_path: Path) -> None:
    path, text = with_phases(
        tmp_path,
        "  - name: first\n    namespaces: [clinet, nowhere/httpbin, client]\n"
        "  - name: again\n    namespaces: [cp-cluster-1/client, sleepy]\n",
        ("- name: bookinfo\n  clusters: [cp-cluster-1]\n  dataplane: sidecar", "- name: bookinfo\n  clusters: [cp-cluster-1]\n  dataplane: ambient"),
    )
    problems = problems_of(path)
    undeclared = [p for p in problems if p.rule == "undeclared-reference"]
    assert [p.message for p in undeclared] == [
        "namespace 'clinet' is not declared", "cluster 'nowhere' is not declared", "namespace 'sleepy' is not declared",
    ]
    assert undeclared[0].hint.startswith("did you mean 'client'?")
    assert_at(undeclared[0], path, text, "clinet")
    assert_at(undeclared[1], path, text, "nowhere/httpbin")
    twice = only(problems, "duplicate-item")
    assert twice.path == ("migration", "phases", 1, "namespaces", 0)
    assert "moved already, by phase 1 'first' (migration.phases[0].namespaces[2])" in twice.message
    assert_at(twice, path, text, "cp-cluster-1/client")


def test_a_namespace_that_is_not_sidecar_in_the_baseline(tmp_path: Path) -> None:
    path, text = brownfield(
        tmp_path,
        ("- name: bookinfo\n  clusters: [cp-cluster-1]\n  dataplane: sidecar", "- name: bookinfo\n  clusters: [cp-cluster-1]\n  dataplane: ambient"),
    )
    problem = only(problems_of(path), "not-sidecar")
    assert problem.message == (
        "namespace 'bookinfo' on cluster 'cp-cluster-1' is `ambient` in the profile; a phase moves sidecar "
        "namespaces to ambient"
    )
    assert "the state before the migration" in problem.hint and "namespaces[2].dataplane" in problem.hint
    assert_at(problem, path, text, "bookinfo]", occurrence=2)  # after `apps: [bookinfo]`


def test_phase_shapes_are_checked_by_the_schema(tmp_path: Path) -> None:
    path, text = with_phases(tmp_path, "  - name: First\n    namespaces: [a/b/c]\n  - name: first\n    namespaces: []\n")
    problems = problems_of(path)
    assert only(problems, "dns-label").path == ("migration", "phases", 0, "name")
    reference = only(problems, "namespace-ref")
    assert reference.message == "'a/b/c' is not a namespace reference"
    assert_at(reference, path, text, "a/b/c")
    assert only(problems, "empty").path == ("migration", "phases", 1, "namespaces")


def _two_clusters(tmp_path: Path, item: str) -> tuple[Path, str]:
    return brownfield(
        tmp_path,
        ("clusters:\n- name: cp-cluster-1\n", f"clusters:\n{LEGACY}- name: cp-cluster-1\n"),
        ("- name: client\n  clusters: [cp-cluster-1]", "- name: client\n  clusters: [cp-cluster-1, legacy]"),
        ("    namespaces: [client]", f"    namespaces: [{item}]"),
    )


def test_a_phase_that_breaks_a_check_is_refused_naming_the_phase(tmp_path: Path) -> None:
    """The baseline is valid; phase 1 would make `client` ambient on a cluster without ambient,
    which the render's own check refuses on the state after the phase."""
    path, text = _two_clusters(tmp_path, "client")
    problem = only(problems_of(path), "ambient-disabled")
    assert problem.message == (
        "phase 1 'client': namespace 'client' is ambient but cluster 'legacy' has ambient disabled"
    )
    assert problem.path == ("migration", "phases", 0, "namespaces", 0)
    assert_at(problem, path, text, "client]")
    assert "`gen render --phase 1`" in problem.hint and "namespaces[0].clusters[1]" in problem.hint


def test_the_same_phase_moving_one_clusters_namespace_passes(tmp_path: Path) -> None:
    path, _ = _two_clusters(tmp_path, "cp-cluster-1/client")
    for phase in ("0", "1", "3", None):  # None: where `migration.at` stands, the baseline
        labels = {
            f.path.split("/")[1]: yaml.safe_load(f.text)["metadata"]["labels"]
            for f in render_profile(path, phase=phase).files
            if f.path.endswith("/namespaces/client/namespace-client.yaml")
        }
        ambient = {"istio.io/dataplane-mode": "ambient"}
        assert labels == {"cp-cluster-1": ambient if phase not in ("0", None) else {"istio-injection": "enabled"},
                          "legacy": {"istio-injection": "enabled"}}


def test_a_phase_that_would_inject_ambient_pods_names_the_phase_and_the_app(tmp_path: Path) -> None:
    pinned = '  apps: [{name: httpbin, labels: {sidecar.istio.io/inject: "true"}}]'
    path, text = brownfield(tmp_path, ("  apps: [httpbin]", pinned))
    problem = only(problems_of(path), "ambient-and-sidecar")
    assert problem.message.startswith("phase 2 'httpbin': app 'httpbin' in namespace 'httpbin' runs in ambient")
    assert_at(problem, path, text, "httpbin]")
    assert "namespaces[1].apps[0].labels.sidecar.istio.io/inject" in problem.hint
    # Without the pin the same phases pass.
    assert render_profile(brownfield(tmp_path, ("  apps: [httpbin]", "  apps: [{name: httpbin}]"))[0]).files


def test_an_ambient_workload_that_asks_for_a_sidecar_is_refused(tmp_path: Path) -> None:
    path, text = brownfield(
        tmp_path,
        ("- name: client\n  clusters: [cp-cluster-1]\n  dataplane: sidecar\n  apps: [sleep]",
         "- name: client\n  clusters: [cp-cluster-1]\n  dataplane: ambient\n  apps: [{name: sleep, labels: {istio.io/rev: canary}}]"),
        ("    namespaces: [client]", "    namespaces: [httpbin]\n  - name: other\n    namespaces: [bookinfo]"),
        ("  - name: httpbin\n    namespaces: [httpbin]\n", ""),
        ("  - name: bookinfo\n    namespaces: [bookinfo]\n", ""),
    )
    problem = only(problems_of(path), "ambient-and-sidecar")
    assert problem.message == (
        "app 'sleep' in namespace 'client' runs in ambient, and its label 'istio.io/rev' asks for a sidecar as well"
    )
    assert problem.path == ("namespaces", 0, "apps", 0, "labels", "istio.io/rev")
    assert_at(problem, path, text, "istio.io/rev")


def test_a_check_added_to_the_registry_runs_at_every_phase() -> None:
    """How a later check (the waypoints issue's L7 policy detector) is enforced per phase: any
    check of the registry sees each phase's state."""
    profile, _ = checked_model(PROFILES / "brownfield.yaml")

    def no_ambient_httpbin(state: Profile) -> list[Problem]:
        return [
            Problem(f"policy 'l7' in namespace '{ns.name}' needs a waypoint", "l7-policy", (*ns.path, "name"))
            for ns in state.namespaces
            if ns.name == "httpbin" and ns.dataplane is Dataplane.AMBIENT
        ]

    (problem,) = phase_problems(profile, (*CHECKS, no_ambient_httpbin))
    assert problem.message == "phase 2 'httpbin': policy 'l7' in namespace 'httpbin' needs a waypoint"
    assert problem.path == ("migration", "phases", 1, "namespaces", 0)
    assert problem.severity is Severity.ERROR
    assert phase_problems(profile) == []


def test_a_phase_that_changes_who_may_call_whom_is_refused_naming_the_pair() -> None:
    profile, _ = checked_model(PROFILES / "brownfield.yaml")

    def ambient_denies_the_client(state: Profile) -> list[MatrixEntry]:
        """A matrix in which an ambient client-ws would be denied its own calls."""
        ambient = any(ns.name == "client" and ns.dataplane is Dataplane.AMBIENT for ns in state.namespaces)
        return [
            replace(e, decision=Decision.DENY, decided_by="made up")
            if ambient and e.source == e.target == "my-tenant/client-ws" else e
            for e in workspace_matrix(state)
        ]

    (problem,) = phase_problems(profile, matrices=[("workspaces", ambient_denies_the_client)])
    assert problem.rule == "matrix-changed"
    assert problem.message.startswith(
        "phase 1 'client' changes who may call whom (workspaces): my-tenant/client-ws -> my-tenant/client-ws is "
        "allow before the migration (allow rule tenants[0].security.authorization.allow[2]"
    )
    assert problem.message.endswith("deny after this phase (made up)")
    assert problem.path == ("migration", "phases", 0, "name")


def test_every_phase_keeps_the_matrix_of_the_example() -> None:
    profile, _ = checked_model(PROFILES / "brownfield.yaml")
    baseline = workspace_matrix(state_at(profile, 0))
    assert all(workspace_matrix(state_at(profile, n)) == baseline for n in range(4))


@pytest.mark.parametrize("phase,where", [(4, ("migration", "phases")), (7, ("migration", "phases"))])
def test_a_phase_the_profile_does_not_have(phase: int, where: tuple[str, ...]) -> None:
    with pytest.raises(Exception) as raised:
        render_profile(PROFILES / "brownfield.yaml", phase=str(phase))
    (problem,) = raised.value.problems  # type: ignore[attr-defined]
    assert problem.message == f"--phase {phase}: the migration has no such phase (phases 0, the baseline, to 3)"
    assert problem.hint.startswith("write one of: baseline, client, httpbin, bookinfo")
    assert problem.path == where and problem.location is not None


def test_phase_0_of_a_profile_without_migration_is_the_profile() -> None:
    caffeine = PROFILES / "caffeine.yaml"
    assert render_profile(caffeine, phase="0").files == render_profile(caffeine).files
    assert render_profile(caffeine, phase="baseline").files == render_profile(caffeine).files
    with pytest.raises(Exception) as raised:
        render_profile(caffeine, phase="1")
    assert raised.value.problems[0].rule == "phase"  # type: ignore[attr-defined]
