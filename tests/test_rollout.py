"""Issue 18: a migration phase as Git steps (prepare, move, cleanup), each what `gen render` writes
at that step, proven call by call by the rollout simulator; PHASE.md's rollbacks go through Git and
name the engine's commands; `gen plan --explain` prints the simulator's table."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from conftest import PROFILES
from generator import commands
from generator.migration.simulate import finding_problem, simulate
from generator.migration.steps import Position, Step, positions
from generator.pipeline import checked_model, render_profile
from generator.policies.load import load_policies
from generator.problems import ProfileError
from helpers import plan_into, render_into, tree, write_profile

WAYPOINTS = PROFILES / "waypoints.yaml"
LEGACY = "clusters/east-0/namespaces/legacy"
runner = CliRunner()


def _copy(tmp_path: Path, text: str, name: str = "waypoints.yaml") -> Path:
    shutil.copytree(PROFILES / "policies", tmp_path / "policies", dirs_exist_ok=True)
    return write_profile(tmp_path, text, name)


def _namespaces(files: dict[str, bytes]) -> dict[str, bytes]:
    """The namespaces' folders and each cluster's verify script: what a plan folder holds."""
    return {name: data for name, data in files.items()
            if name.startswith("clusters/") and ("/namespaces/" in name or name.endswith("/verify.sh"))}


@pytest.fixture(scope="module")
def planned(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return plan_into(WAYPOINTS, tmp_path_factory.mktemp("plan"))


def _folders(planned: Path) -> dict[str, Path]:
    """Each position's folder, by its `migration.at` text."""
    return {
        "baseline": planned / "00-baseline",
        "legacy/prepare": planned / "01-legacy" / "1-prepare",
        "legacy/move": planned / "01-legacy" / "2-move",
        "legacy/cleanup": planned / "01-legacy" / "3-cleanup",
    }


def test_the_waypoint_example_moves_legacy_in_three_steps(planned: Path) -> None:
    profile, _ = checked_model(WAYPOINTS)
    policies, _ = load_policies(profile)
    assert [p.text(profile) for p in positions(profile, policies)] == list(_folders(planned))
    assert sorted(p.name for p in (planned / "01-legacy").iterdir()) == ["1-prepare", "2-move", "3-cleanup", "PHASE.md"]


@pytest.mark.parametrize("at", ["baseline", "legacy/prepare", "legacy/move", "legacy/cleanup", "legacy"])
def test_every_plan_folder_is_what_render_writes_at_that_step(planned: Path, tmp_path: Path, at: str) -> None:
    """Acceptance 3, and case 2: a step's folder holds the namespaces as `gen render` writes them at
    that step, their AuthorizationPolicies included."""
    root = render_into(WAYPOINTS, tmp_path, phase=at)
    folder = _folders(planned)["legacy/cleanup" if at == "legacy" else at]
    expected = {name: data for name, data in tree(folder).items() if name != "PHASE.md"}
    assert _namespaces(tree(root)) == expected
    assert any("/authorizationpolicy-" in name for name in expected)
    legacy = {name.rsplit("/", 1)[1] for name in expected if name.startswith(LEGACY + "/")}
    assert "authorizationpolicy-httpbin-get-only.yaml" in legacy


def test_the_brownfield_plan_folders_are_what_render_writes(tmp_path: Path) -> None:
    planned = plan_into(PROFILES / "brownfield.yaml", tmp_path / "plan")
    for number, folder in enumerate(["00-baseline", "01-client", "02-httpbin", "03-bookinfo"]):
        root = render_into(PROFILES / "brownfield.yaml", tmp_path / str(number), phase=str(number))
        assert _namespaces(tree(root)) == {k: v for k, v in tree(planned / folder).items() if k != "PHASE.md"}


def _objects(folder: Path, namespace: str = LEGACY) -> dict[str, dict]:  # type: ignore[type-arg]
    found = {}
    for path in sorted((folder / namespace).glob("*.yaml")):
        if path.name != "kustomization.yaml":
            found[path.name] = yaml.safe_load(path.read_text("utf-8"))
    return found


def test_an_explicit_waypoint_move_follows_istios_order(planned: Path) -> None:
    """Case 3: waypoint and `use-waypoint` first, with the new policies beside the sidecars' ones;
    then the labels (pods restart); the selector L7 policy goes only in the clean-up."""
    steps = {at: _objects(folder) for at, folder in _folders(planned).items()}
    baseline, prepare, move, cleanup = (steps[k] for k in ("baseline", "legacy/prepare", "legacy/move", "legacy/cleanup"))
    injected = {"istio-injection": "enabled"}
    # prepare: still on sidecars; the waypoint, its label, the targetRefs copy and the ztunnel part added.
    assert prepare["namespace-legacy.yaml"]["metadata"]["labels"] == injected
    assert "gateway-waypoint.yaml" not in baseline and prepare["gateway-waypoint.yaml"]["spec"]["gatewayClassName"] == "istio-waypoint"
    labels = prepare["service-httpbin.yaml"]["metadata"]["labels"]
    assert labels["istio.io/use-waypoint"] == "waypoint" and labels["istio.io/ingress-use-waypoint"] == "true"
    assert prepare["authorizationpolicy-httpbin-get-only.yaml"]["spec"]["selector"] == {"matchLabels": {"app": "httpbin"}}
    copy = prepare["authorizationpolicy-httpbin-get-only-waypoint.yaml"]["spec"]
    assert copy["targetRefs"] == [{"kind": "Service", "group": "", "name": "httpbin"}]
    assert copy["rules"] == baseline["authorizationpolicy-httpbin-get-only.yaml"]["spec"]["rules"]
    ztunnel = prepare["authorizationpolicy-httpbin-get-only-ztunnel.yaml"]["spec"]
    assert ztunnel["rules"] == [{"from": [{"source": {"principals": ["east-0.tsb.local/ns/legacy/sa/waypoint"]}}]}]
    for deployment in ("deployment-httpbin.yaml", "deployment-sleep.yaml"):
        assert prepare[deployment] == baseline[deployment]  # no pod restarts yet
    # move: the labels, and only them: every policy stays.
    assert move["namespace-legacy.yaml"]["metadata"]["labels"] == {"istio.io/dataplane-mode": "ambient"}
    assert {k for k in move if k.startswith("authorizationpolicy-")} == {k for k in prepare if k.startswith("authorizationpolicy-")}
    assert all(move[k] == prepare[k] for k in prepare if k.startswith(("authorizationpolicy-", "gateway-", "service-")))
    # cleanup: the selector policy becomes the targetRefs one in place, the copy goes.
    assert "authorizationpolicy-httpbin-get-only-waypoint.yaml" not in cleanup
    assert cleanup["authorizationpolicy-httpbin-get-only.yaml"]["spec"]["targetRefs"] == copy["targetRefs"]
    assert cleanup["authorizationpolicy-httpbin-get-only-ztunnel.yaml"] == prepare["authorizationpolicy-httpbin-get-only-ztunnel.yaml"]


def test_the_same_move_in_one_step_is_refused_naming_step_pair_component_and_policy_line() -> None:
    """Acceptance 2: Gateway, labels, the policies swapped in one commit: until the pods restart
    they are sidecars that enforce a waypoint-only ALLOW."""
    profile, _ = checked_model(WAYPOINTS)
    policies, _ = load_policies(profile)
    assert simulate(profile, policies) == []  # gen's steps keep every call
    findings = simulate(profile, policies, [Position(0), Position(1, Step.CLEANUP)])
    problems = [finding_problem(profile, finding) for finding in findings]
    refused = next(p for p in problems if "legacy/sleep -> httpbin.legacy (httpbin) GET / :8080" in p.message)
    assert refused.rule == "rollout-step" and refused.is_error
    assert refused.message.startswith("phase 1 'legacy', step 'cleanup' (while it syncs, before pruning): ")
    assert ("is allowed (sidecar of httpbin, httpbin-get-only, policies/legacy/httpbin-get-only.yaml:5) at the "
            "baseline, but denied (sidecar of httpbin, httpbin-get-only-ztunnel, "
            "policies/legacy/httpbin-get-only.yaml:5) here (client pod ambient, destination pod sidecar)") in refused.message
    assert refused.path == ("migration", "phases", 0, "namespaces", 0)
    # Rolled back in one step, the ambient pods' ztunnel would let the whole namespace in.
    assert any("rolled back in Git" in p.message and "denied (sidecar" in p.message and "but allowed" in p.message
               for p in problems)


PLAINTEXT = """- name: outside
  clusters: [east-0]
  dataplane: none
  apps: [sleep]
"""
NO_DELETE = """apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata:
  name: httpbin-no-delete
spec:
  selector:
    matchLabels:
      app: httpbin
  action: DENY
  rules:
  - to:
    - operation:
        methods: ["DELETE"]
"""


def test_a_move_no_step_can_make_safe_is_refused_at_the_profile_line(tmp_path: Path) -> None:
    """A client outside the mesh never crosses a waypoint: once httpbin's DELETE ban moves there,
    ztunnel must deny whoever bypasses the waypoint, and that is every plaintext caller, GET included.
    No order of steps keeps their calls: the simulator refuses the plan where it first happens."""
    (tmp_path / "policies" / "legacy").mkdir(parents=True)
    text = WAYPOINTS.read_text().replace("policies: policies/legacy/httpbin-get-only.yaml", "policies: no-delete.yaml")
    text = text.replace("\nmigration:", "\n" + PLAINTEXT + "\nmigration:")
    (tmp_path / "no-delete.yaml").write_text(NO_DELETE)
    profile = _copy(tmp_path, text)
    with pytest.raises(ProfileError) as raised:
        render_profile(profile)
    refused = [p for p in raised.value.problems if p.rule == "rollout-step"]
    assert refused, raised.value.problems
    first = refused[0]
    assert first.message.startswith("phase 1 'legacy', step 'move'")
    assert "outside/sleep -> httpbin.legacy (httpbin) GET / :8080" in first.message
    assert "is allowed (sidecar of httpbin, no policy applies) at the baseline" in first.message
    assert "but denied (ztunnel at httpbin, httpbin-no-delete, no-delete.yaml:4) here (client pod none" in first.message
    assert first.location is not None and first.location.file == str(profile)
    assert profile.read_text().splitlines()[first.location.line - 1].strip() == "namespaces: [east-0/legacy]"
    code = runner.invoke(commands.app, ["render", str(profile), "--out", str(tmp_path / "out")]).exit_code
    assert code == 2 and not (tmp_path / "out").exists()


DELIVERY = {
    "argocd": "delivery:\n  engine: argocd\n  repoURL: https://git.example.com/platform/gitops.git\n  revision: main\n  path: out\n",
    "flux": "delivery:\n  engine: flux\n  repoURL: https://git.example.com/platform/gitops.git\n  revision: main\n  path: out\n",
}
SUSPEND = {
    "argocd": ["kubectl patch applicationset waypoints -n argocd --type json -p "
               "'[{\"op\":\"remove\",\"path\":\"/spec/template/spec/syncPolicy/automated\"}]'",
               "kubectl apply -f delivery/applicationset-waypoints.yaml"],
    "flux": ["flux suspend kustomization waypoints-east-0 -n flux-system",
             "flux resume kustomization waypoints-west-0 -n flux-system"],
}


@pytest.mark.parametrize("engine", ["argocd", "flux"])
def test_rollback_goes_through_git_and_names_the_engines_commands(tmp_path: Path, engine: str) -> None:
    """Case 4: Argo CD's selfHeal and Flux re-apply Git, so each step's rollback is a Git change
    (then a restart where pods changed), and stopping the engine is spelled out for the one in use."""
    profile = _copy(tmp_path, WAYPOINTS.read_text() + "\n" + DELIVERY[engine])
    text = (plan_into(profile, tmp_path / "out") / "01-legacy" / "PHASE.md").read_text("utf-8")
    steps = text.split("\n### Step ")[1:]
    assert [s.split(":", 1)[1].split("\n", 1)[0].strip() for s in steps] == ["`prepare`", "`move`", "`cleanup`"]
    for step, previous in zip(steps, ["baseline", "legacy/prepare", "legacy/move"]):
        rollback = step[step.index("Rollback, in Git first") :]
        assert f"revert this step's commit (or set `migration.at: {previous}` and render)" in rollback
        assert "kubectl label" not in rollback
    move = steps[1]
    assert move.index("revert this step's commit") < move.index("\nkubectl rollout restart deployment -n legacy\n", move.index("Rollback"))
    engine_part = text[text.index("### Stopping the engine") :]
    assert all(f"\n{command}\n" in engine_part for command in SUSPEND[engine])
    assert "kubectl wait --for=condition=Programmed gateway/waypoint -n legacy --timeout=300s" in steps[0]


def test_plan_explain_prints_each_calls_outcome_at_each_step(tmp_path: Path) -> None:
    result = runner.invoke(commands.app, ["plan", str(WAYPOINTS), "--explain", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert not any(tmp_path.iterdir())  # --explain writes nothing
    lines = result.stdout.splitlines()
    assert lines[0] == "steps: baseline, legacy/prepare, legacy/move, legacy/cleanup"
    at = lines.index("east-0: legacy/sleep -> httpbin.legacy (httpbin) GET / :8080")
    rows = lines[at + 1 : at + 5]
    assert rows[0].split() [:2] == ["baseline", "allowed:"] and "sidecar of httpbin" in rows[0]
    assert "[httpbin-get-only, policies/legacy/httpbin-get-only.yaml:5]" in rows[1]
    assert rows[2].split()[0] == "legacy/move" and "waypoint 'waypoint', then ztunnel at httpbin" in rows[2]
    at = lines.index("east-0: bookinfo/sleep -> httpbin.legacy (httpbin) GET / :8080")
    assert [row.split()[1] for row in lines[at + 1 : at + 5]] == ["denied:"] * 4
    assert "denied: waypoint 'waypoint' [httpbin-get-only-waypoint" in lines[at + 3]
    same = "east-0: bookinfo/sleep -> productpage.bookinfo (productpage-v1) GET /productpage :9080: at every step allowed"
    assert any(line.startswith(same) for line in lines)  # a call no step changes: one line
    as_json = runner.invoke(commands.app, ["plan", str(WAYPOINTS), "--explain", "--format", "json"])
    record = json.loads(as_json.stdout)
    assert record["steps"][0] == "baseline" and record["moments"] == 13
    call = next(c for c in record["calls"] if c["call"].startswith("bookinfo/sleep -> httpbin.legacy (httpbin) GET / "))
    assert {step["outcome"] for step in call["steps"].values()} == {"denied"}


def test_the_readme_shows_what_a_refused_step_prints(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    readme = (PROFILES.parent / "README.md").read_text("utf-8")
    block = readme[readme.index("\nwaypoints.yaml:87:18: error:") + 1 :].split("\n```", 1)[0]
    text = WAYPOINTS.read_text().replace("policies: policies/legacy/httpbin-get-only.yaml", "policies: no-delete.yaml")
    (tmp_path / "no-delete.yaml").write_text(NO_DELETE)
    _copy(tmp_path, text.replace("\nmigration:", "\n" + PLAINTEXT + "\nmigration:"))
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(commands.app, ["render", "waypoints.yaml", "--out", "out"])
    assert result.exit_code == 2 and result.stderr.startswith(block + "\n")


def test_a_waypoint_copy_whose_name_is_taken_is_refused(tmp_path: Path) -> None:
    """The prepare step adds `<name>-waypoint` beside each policy that moves: a team policy of that
    name would be overwritten, so the profile is refused at the policy's name."""
    clash = NO_DELETE.replace("name: httpbin-no-delete", "name: httpbin-get-only-waypoint").replace(
        "app: httpbin", "app: sleep").replace('methods: ["DELETE"]', 'ports: ["9999"]')
    (tmp_path / "policies" / "legacy").mkdir(parents=True)
    (tmp_path / "policies" / "legacy" / "clash.yaml").write_text(clash)
    text = WAYPOINTS.read_text().replace("policies: policies/legacy/httpbin-get-only.yaml", "policies: policies/legacy")
    profile = _copy(tmp_path, text)
    with pytest.raises(ProfileError) as raised:
        render_profile(profile)
    (problem,) = [p for p in raised.value.problems if p.is_error]
    assert problem.rule == "policy-name-in-migration"
    assert problem.message == ("gen names the waypoint copy of policy httpbin-get-only 'httpbin-get-only-waypoint' "
                               "while its namespace moves, which another policy uses")
    assert problem.location is not None and problem.location.file.endswith("httpbin-get-only.yaml")
