"""The GitOps workflow: --check and --diff, pruning by the ledger, kill-safe writes, delivery
objects and kustomizations, the profile's JSON Schema, `gen init`, several profiles in one run."""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from ruamel.yaml import YAML
from typer.testing import CliRunner

from conftest import GOLDEN, PROFILES, REPO
from generator import commands
from helpers import CAFFEINE, render_into, rendered_part, tree, variant, write_profile

runner = CliRunner()
EXAMPLES = sorted(PROFILES.glob("*.yaml"))
NETSHOOT = "clusters/app-blk-east-0/namespaces/caffeine/deployment-netshoot.yaml"


def invoke(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(commands.app, list(args))
    return result.exit_code, result.stdout, result.stderr


# --- --check and --diff ------------------------------------------------------------------------

def test_check_on_the_committed_trees_exits_0() -> None:
    code, stdout, _ = invoke("render", *map(str, EXAMPLES), "--out", str(GOLDEN), "--check")
    assert code == 0, stdout
    assert stdout.count("up to date") == len(EXAMPLES)


def _copy_of_golden(tmp_path: Path) -> Path:
    out = tmp_path / "out"
    shutil.copytree(GOLDEN / "caffeine", out / "caffeine")
    return out


def test_check_names_an_edited_output_file_and_diff_shows_it(tmp_path: Path) -> None:
    out = _copy_of_golden(tmp_path)
    target = out / "caffeine" / NETSHOOT
    target.write_text(target.read_text().replace("replicas: 1", "replicas: 3"))
    before = tree(out)
    code, stdout, _ = invoke("render", str(PROFILES / "caffeine.yaml"), "--out", str(out), "--check")
    assert code == 1
    assert f"edited   {NETSHOOT}" in stdout
    code, stdout, _ = invoke("render", str(PROFILES / "caffeine.yaml"), "--out", str(out), "--diff")
    assert code == 1
    assert f"--- a/{NETSHOOT}\n+++ b/{NETSHOOT}\n" in stdout
    assert "-  replicas: 3\n+  replicas: 1\n" in stdout
    assert tree(out) == before, "--check and --diff write nothing"


def test_check_names_the_files_a_new_namespace_adds(tmp_path: Path) -> None:
    out = _copy_of_golden(tmp_path)
    profile, _ = variant(
        tmp_path,
        ("  apps: [caffeine]\n", "  apps: [caffeine]\n- name: extra\n  clusters: [app-blk-east-0]\n  dataplane: ambient\n"),
        name="caffeine.yaml",
    )
    code, stdout, _ = invoke("render", str(profile), "--out", str(out), "--check")
    assert code == 1
    assert "missing  clusters/app-blk-east-0/namespaces/extra/namespace-extra.yaml" in stdout
    assert "changed  clusters/app-blk-east-0/kustomization.yaml" in stdout
    code, stdout, _ = invoke("render", str(profile), "--out", str(out), "--diff")
    assert "+++ b/clusters/app-blk-east-0/namespaces/extra/namespace-extra.yaml" in stdout
    assert "+  name: extra\n" in stdout


# --- pruning -----------------------------------------------------------------------------------

def test_pruning_removes_a_dropped_namespace_keeps_foreign_files_and_reports_edits(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert invoke("render", str(PROFILES / "caffeine.yaml"), "--out", str(out))[0] == 0
    root = out / "caffeine"
    notes = root / "clusters/app-blk-east-0/namespaces/caffeine/NOTES.md"
    notes.write_text("ours, not gen's\n")
    edited = root / "management-plane/tsb-mp/tsb/workspace-cnp-nginx-ws.yaml"
    edited.write_text(edited.read_text() + "# reviewed by the platform team\n")
    smaller, _ = variant(
        tmp_path,
        ("namespaces:\n- name: caffeine\n  clusters: [app-blk-east-0]\n  dataplane: ambient\n  apps: [caffeine]\n", ""),
        ("  - name: cnp-nginx-ws               # the sidecar clients of scenario B\n    namespaces: [\"*/cnp-nginx\"]\n", ""),
        ("        - {from: cnp-nginx-ws, to: caffeine-ws}\n", ""),
        name="caffeine.yaml",
    )
    code, stdout, stderr = invoke("render", str(smaller), "--out", str(out))
    assert code == 0, stderr
    assert not (root / NETSHOOT).exists(), "the namespace's files are removed"
    assert notes.read_text() == "ours, not gen's\n", "a file placed by hand survives"
    assert f"{notes}: warning: was not written by gen; left alone" in stderr
    assert edited.read_text().endswith("# reviewed by the platform team\n"), "a hand-edited gen file is kept"
    assert f"{edited}: warning: was edited by hand since gen wrote it; kept as it is" in stderr
    assert "1 kept" in stdout
    code, _, stderr = invoke("render", str(smaller), "--out", str(out), "--force")
    assert code == 0 and not edited.exists()


def test_another_profile_with_the_same_name_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert invoke("render", str(PROFILES / "caffeine.yaml"), "--out", str(out))[0] == 0
    before = tree(out)
    other = write_profile(tmp_path, CAFFEINE.replace("organization: tetrate", "organization: other"), "other.yaml")
    code, _, stderr = invoke("render", str(other), "--out", str(out))
    assert code == 2
    assert "was rendered from caffeine.yaml, not from other.yaml (both name profile 'caffeine')" in stderr
    assert tree(out) == before


def test_several_profiles_render_in_one_run_each_to_its_own_tree(tmp_path: Path) -> None:
    code, stdout, stderr = invoke("render", *map(str, EXAMPLES), "--out", str(tmp_path))
    assert code == 0, stderr
    for profile in EXAMPLES:
        name = YAML(typ="safe").load(profile.read_text())["profile"]
        assert tree(tmp_path / name) == rendered_part(tree(GOLDEN / name))


# --- kill safety -------------------------------------------------------------------------------

def _estate(namespaces: int, organization: str) -> str:
    text = CAFFEINE.replace("organization: tetrate", f"organization: {organization}")
    extra = "".join(
        f"- name: team-{i}\n  clusters: [app-blk-east-0]\n  dataplane: ambient\n  apps: [caffeine]\n"
        for i in range(namespaces)
    )
    return text.replace("  apps: [caffeine]\n", "  apps: [caffeine]\n" + extra, 1)


def test_a_render_killed_at_any_instant_leaves_the_old_tree_or_the_new_one(tmp_path: Path) -> None:
    """SIGKILL at random instants of renders of a large tree: every time, the tree is byte for byte
    the previous render or the new one, never a mix."""
    old_profile = write_profile(tmp_path / "old", _estate(10, "tetrate"), "caffeine.yaml") if (tmp_path / "old").mkdir() is None else None
    new_profile = write_profile(tmp_path / "new", _estate(14, "acme"), "caffeine.yaml") if (tmp_path / "new").mkdir() is None else None
    assert old_profile and new_profile
    old_tree = tree(render_into(old_profile, tmp_path / "old-out"))
    new_tree = tree(render_into(new_profile, tmp_path / "new-out"))
    command = [sys.executable, "-m", "generator", "render", str(new_profile), "--out", str(tmp_path / "out")]
    environment = {**os.environ, "PYTHONPATH": str(REPO)}
    started = time.monotonic()
    subprocess.run(command, env=environment, check=True, capture_output=True)
    duration = time.monotonic() - started
    rng = random.Random(20261124)
    outcomes = {"old": 0, "new": 0}
    for _ in range(20):
        shutil.rmtree(tmp_path / "out")
        shutil.copytree(tmp_path / "old-out", tmp_path / "out", symlinks=True)
        process = subprocess.Popen(command, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.4, 1.1) * duration)
        process.send_signal(signal.SIGKILL)
        process.wait()
        found = tree(tmp_path / "out" / "caffeine")
        assert found in (old_tree, new_tree), "a killed render left a mix of two trees"
        outcomes["old" if found == old_tree else "new"] += 1
    # The next render clears what a killed one left beside the tree.
    subprocess.run(command, env=environment, check=True, capture_output=True)
    assert sorted(path.name for path in (tmp_path / "out").iterdir()) == ["caffeine"]
    assert tree(tmp_path / "out" / "caffeine") == new_tree
    print(f"kills that left the old tree: {outcomes['old']}, the new one: {outcomes['new']}")


def test_unchanged_files_keep_their_mtime_when_others_change(tmp_path: Path) -> None:
    out = tmp_path / "out"
    root = render_into(PROFILES / "caffeine.yaml", out)
    before = {path: path.stat().st_mtime_ns for path in root.rglob("*.yaml")}
    time.sleep(0.01)
    changed, _ = variant(tmp_path, ("platform: aks", "platform: eks"), name="caffeine.yaml")
    assert invoke("render", str(changed), "--out", str(out))[0] == 0
    values = root / "clusters/app-blk-east-0/control-plane/controlplane-values.yaml"
    after = {path: path.stat().st_mtime_ns for path in root.rglob("*.yaml")}
    assert after[values] != before[values]
    assert {p: t for p, t in after.items() if p != values} == {p: t for p, t in before.items() if p != values}


# --- kustomize and delivery --------------------------------------------------------------------

KUSTOMIZATIONS = sorted(GOLDEN.rglob("kustomization.yaml"))


@pytest.mark.parametrize("kustomization", KUSTOMIZATIONS, ids=lambda p: str(p.parent.relative_to(GOLDEN)))
def test_kubectl_kustomize_builds_every_generated_kustomization(kustomization: Path) -> None:
    kubectl = shutil.which("kubectl")
    if kubectl is None:
        pytest.skip("kubectl is not installed: the kustomize build check needs the kubectl binary")
    built = subprocess.run([kubectl, "kustomize", str(kustomization.parent)], capture_output=True, text=True)
    assert built.returncode == 0, built.stderr
    documents = [doc for doc in YAML(typ="safe").load_all(built.stdout) if doc]
    listed = YAML(typ="safe").load(kustomization.read_text())["resources"]
    assert len(documents) >= len(listed)


def test_every_synced_directory_has_a_kustomization_and_the_applicationset_points_at_them() -> None:
    root = GOLDEN / "caffeine"
    appset = YAML(typ="safe").load((root / "delivery/applicationset-caffeine.yaml").read_text())
    elements = appset["spec"]["generators"][0]["list"]["elements"]
    assert [(e["cluster"], e["path"]) for e in elements] == [
        ("tsb-mp", "out/caffeine/management-plane/tsb-mp"),
        ("app-blk-east-0", "out/caffeine/clusters/app-blk-east-0"),
    ]
    for element in elements:
        assert (REPO / element["path"] / "kustomization.yaml").is_file()
    assert appset["spec"]["template"]["spec"]["destination"] == {"name": "{{.cluster}}"}


def test_flux_gets_a_source_and_one_kustomization_per_synced_directory() -> None:
    root = GOLDEN / "multi-platform" / "delivery"
    objects = [YAML(typ="safe").load(path.read_text()) for path in sorted(root.glob("*-*.yaml"))]
    kinds = sorted((o["kind"], o["metadata"]["name"]) for o in objects)
    assert kinds == [
        ("GitRepository", "multi-platform"),
        ("Kustomization", "multi-platform-eks-prod-east-0"),
        ("Kustomization", "multi-platform-gke-prod-west-0"),
        ("Kustomization", "multi-platform-ocp-legacy-0"),
        ("Kustomization", "multi-platform-tsb-mp"),
    ]
    for obj in objects:
        if obj["kind"] == "Kustomization":
            path = obj["spec"]["path"].removeprefix("./")
            assert (REPO / path / "kustomization.yaml").is_file()
            assert obj["spec"]["sourceRef"] == {"kind": "GitRepository", "name": "multi-platform"}


# --- editor schema, init, pre-commit -----------------------------------------------------------

def _schema() -> Draft202012Validator:
    code, stdout, _ = invoke("schema")
    assert code == 0
    schema = json.loads(stdout)
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def test_the_committed_schema_is_what_gen_schema_prints() -> None:
    assert (REPO / "schema" / "profile.schema.json").read_text() == invoke("schema")[1]


@pytest.mark.parametrize("profile", EXAMPLES, ids=lambda p: p.name)
def test_gen_schema_accepts_every_example_profile(profile: Path) -> None:
    assert profile.read_text().startswith("# yaml-language-server: $schema=../schema/profile.schema.json\n")
    errors = [error.message for error in _schema().iter_errors(YAML(typ="safe").load(profile.read_text()))]
    assert errors == []


def test_gen_schema_rejects_an_unknown_key() -> None:
    data = YAML(typ="safe").load((PROFILES / "caffeine.yaml").read_text())
    data["clusters"][0]["plattform"] = "aks"
    (error,) = list(_schema().iter_errors(data))
    assert "'plattform' was unexpected" in error.message
    assert list(error.absolute_path) == ["clusters", 0]


@pytest.mark.parametrize("platform", ["gke", "eks", "openshift", "k3d"])
def test_gen_init_output_renders(tmp_path: Path, platform: str) -> None:
    profile = tmp_path / "estate.yaml"
    code, _, stderr = invoke("init", platform, "--cluster", "east-1", "--cluster", "west-1", "-o", str(profile))
    assert code == 0, stderr
    code, stdout, stderr = invoke("render", str(profile), "--out", str(tmp_path / "out"))
    assert code == 0, stderr
    assert (tmp_path / "out/my-estate/clusters/west-1/namespaces/demo/namespace-demo.yaml").is_file()
    assert _schema().is_valid(YAML(typ="safe").load(profile.read_text()))


def test_gen_init_refuses_a_bad_cluster_name() -> None:
    code, _, stderr = invoke("init", "gke", "--cluster", "East_1")
    assert code == 2 and "'East_1'" in stderr


def test_the_pre_commit_hook_runs_render_check() -> None:
    (hook,) = YAML(typ="safe").load((REPO / ".pre-commit-hooks.yaml").read_text())
    assert hook["entry"] == "gen render --check"
    assert hook["language"] == "python" and hook["pass_filenames"] is False
