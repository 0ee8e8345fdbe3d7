"""Output validation: the schema pack, the embedded validator (render time and `gen validate`),
the kubeconform adapter, and every finding traced to a file and line (and, for rendered objects,
to the profile entry that made them)."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from conftest import GOLDEN, PROFILES, REPO
from generator import commands
from generator.output.render import RenderedFile, render
from generator.pipeline import _locate, check_profile
from generator.problems import Problem
from generator.validation.embedded import EmbeddedValidator, Yaml11Loader
from generator.validation.kubeconform import find_kubeconform, run_kubeconform
from generator.validation.trace import rendered_problems
from conftest import position_of

runner = CliRunner()
CAFFEINE = PROFILES / "caffeine.yaml"
NAMESPACE_DIR = "clusters/app-blk-east-0/namespaces/caffeine"

# (output file, text replaced, replacement, profile text the finding must point at, what it says)
MUTATIONS = [
    (f"{NAMESPACE_DIR}/deployment-netshoot.yaml", "  replicas: 1\n", "  replica: 1\n", "caffeine]", "replica"),
    ("management-plane/tsb-mp/tsb/workspacesetting-default-setting.yaml", "mode: RULES", "mode: RULEZ",
     "settingName: default-setting", "RULEZ"),
    (f"{NAMESPACE_DIR}/namespace-caffeine.yaml", "istio.io/dataplane-mode: ambient",
     "istio.io/dataplane-mode: 1", "- name: caffeine\n", "1 is not of type"),
    (f"{NAMESPACE_DIR}/namespace-caffeine.yaml", "istio.io/dataplane-mode: ambient",
     "istio.io/dataplane-mode: y", "- name: caffeine\n", "true is not of type"),
    ("management-plane/tsb-mp/tsb/workspace-caffeine-ws.yaml", '- "*/caffeine"', "- caffeine",
     "- name: caffeine-ws", "does not match"),
    ("management-plane/tsb-mp/tsb/workspacesetting-default-setting.yaml",
     "        - from:\n            fqn: organizations/tetrate/tenants/prod-api/workspaces/caffeine-ws\n",
     "        - from: {}\n", "settingName: default-setting", '"fqn" is a required property'),
    ("clusters/app-blk-east-0/control-plane/controlplane-values.yaml", "        enable: true\n",
     "        enable: true\n        enabel: true\n", "- name: app-blk-east-0", "enabel"),
]


@pytest.fixture(scope="module")
def caffeine() -> tuple[object, object, list[RenderedFile]]:
    loaded, planned, problems = check_profile(CAFFEINE)
    assert planned is not None and not problems
    return loaded, planned, render(planned)


def _mutated(files: list[RenderedFile], name: str, old: str, new: str) -> list[RenderedFile]:
    out = []
    for file in files:
        if file.path == name:
            assert old in file.text, f"{old!r} not in {name}"
            text = file.text.replace(old, new, 1)
            file = RenderedFile(file.path, text, yaml.load(text, Loader=Yaml11Loader))
        out.append(file)
    return out


def test_every_committed_file_passes_the_embedded_validator() -> None:
    """The kit example's kinds are checked with its kit's schemas (`--profile`)."""
    result = runner.invoke(commands.app, ["validate", str(GOLDEN), "--profile", str(PROFILES / "platform-kit.yaml")])
    assert result.exit_code == 0, result.stderr
    count = len([p for p in GOLDEN.rglob("*.yaml") if ".gen" not in p.parts])
    assert result.stdout.strip() == f"{count} files valid (embedded validator)"


def test_every_committed_file_passes_kubeconform_with_the_exported_pack() -> None:
    binary = find_kubeconform()
    if binary is None:
        pytest.skip("kubeconform is not installed (no package registry here has it; set GEN_KUBECONFORM)")
    result = runner.invoke(commands.app, ["validate", str(GOLDEN), "--kubeconform", "--profile",
                                          str(PROFILES / "platform-kit.yaml")])
    assert result.exit_code == 0, result.stderr


@pytest.mark.parametrize("name,old,new,profile_text,says", MUTATIONS, ids=[m[4] for m in MUTATIONS])
def test_a_mutated_object_is_rejected_naming_the_file_and_the_profile_entry(
    caffeine: tuple[object, object, list[RenderedFile]], name: str, old: str, new: str, profile_text: str, says: str
) -> None:
    loaded, planned, files = caffeine
    problems = _locate(rendered_problems(planned, _mutated(files, name, old, new), EmbeddedValidator()), loaded)  # type: ignore[arg-type]
    assert problems, "the embedded validator accepted the mutation"
    problem = problems[0]
    assert problem.message.startswith(f"{name}:") and says in problem.message, problem.message
    assert problem.location is not None and problem.location.file == str(CAFFEINE)
    text = CAFFEINE.read_text()
    assert problem.location.line == position_of(text, profile_text)[0]


@pytest.mark.parametrize("name,old,new,profile_text,says", MUTATIONS, ids=[m[4] for m in MUTATIONS])
def test_gen_validate_rejects_the_mutated_file_at_its_line(
    tmp_path: Path, name: str, old: str, new: str, profile_text: str, says: str
) -> None:
    tree = tmp_path / "caffeine"
    shutil.copytree(GOLDEN / "caffeine", tree)
    target = tree / name
    target.write_text(target.read_text().replace(old, new, 1))
    changed_line = target.read_text().splitlines().index(new.splitlines()[-1].rstrip("\n")) + 1 if "\n" in new \
        else next(i for i, line in enumerate(target.read_text().splitlines(), 1) if new.strip() in line)
    result = runner.invoke(commands.app, ["validate", str(tree), "--format", "json"])
    assert result.exit_code == 2
    report = json.loads(result.stderr)
    findings = [p for p in report["problems"] if p["file"] == str(target)]
    assert findings and any(says in p["message"] or says in p["path"] for p in findings), findings
    assert abs(findings[0]["line"] - changed_line) <= 2
    binary = find_kubeconform()
    if binary is not None:
        assert run_kubeconform(binary, [target]), "kubeconform accepted the mutation"


def test_gen_validate_on_a_folder_gen_did_not_write(tmp_path: Path) -> None:
    (tmp_path / "team").mkdir()
    manifest = tmp_path / "team" / "app.yaml"
    manifest.write_text(
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: team\nspec:\n"
        "  ports:\n  - port: eighty\n  selector:\n    app: web\n"
        "---\n"
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 1\n"
        "  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n"
        "    spec:\n      containers:\n      - name: web\n        image: nginx\n        imagePullPolicy: Always\n"
        "        portz: []\n"
    )
    (tmp_path / "team" / "ns.yaml").write_text("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: team\n  labels:\n    enabled: y\n")
    result = runner.invoke(commands.app, ["validate", str(tmp_path)])
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    text = manifest.read_text()
    port, portz = position_of(text, "eighty"), position_of(text, "portz")
    assert f'{manifest}:{port[0]}:{port[1]}: error: spec.ports[0].port: "eighty" is not of type "integer" [output-schema]' in lines
    assert any(line.startswith(f"{manifest}:{portz[0]}:{portz[1]}: error: spec.template.spec.containers[0].portz:")
               for line in lines), lines
    assert any(line.startswith(f"{tmp_path / 'team' / 'ns.yaml'}:6:14: error: metadata.labels.enabled: true is not of type")
               for line in lines), lines
    assert lines[-1] == "3 errors; 2 files checked"


def test_kubeconform_adapter_runs_offline_with_the_exported_pack(tmp_path: Path) -> None:
    """A stand-in binary shows the contract: the command line gen gives kubeconform, and how its
    JSON report becomes problems at file and line. (The real binary runs in the test above.)"""
    target = tmp_path / "deployment.yaml"
    target.write_text("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: x\nspec:\n  replica: 1\n")
    recorded = tmp_path / "args.json"
    stub = tmp_path / "kubeconform"
    report = {"resources": [{"filename": str(target), "kind": "Deployment", "name": "x", "version": "apps/v1",
                             "status": "statusInvalid", "msg": "",
                             "validationErrors": [{"path": "/spec/replica", "msg": "additional property not allowed"}]}],
              "summary": {"valid": 0, "invalid": 1}}
    stub.write_text(
        "#!/usr/bin/env python3\nimport json, sys, pathlib\n"
        f"pathlib.Path({str(recorded)!r}).write_text(json.dumps(sys.argv[1:]))\n"
        "locations = [sys.argv[i + 1] for i, a in enumerate(sys.argv) if a == '-schema-location']\n"
        "root = locations[0].split('/pack/')[0]\n"
        "assert pathlib.Path(root, 'pack/tsb.tetrate.io/workspace_v2.json').is_file()\n"
        "assert pathlib.Path(root, 'kubernetes/v1.30.0-standalone-strict/deployment-apps-v1.json').is_file()\n"
        f"print(json.dumps({report!r}))\n"
    )
    stub.chmod(stub.stat().st_mode | stat.S_IEXEC)
    problems = run_kubeconform(str(stub), [target, tmp_path / "controlplane-values.yaml"])
    args = json.loads(recorded.read_text())
    assert args[:6] == ["-strict", "-summary", "-output", "json", "-kubernetes-version", "1.30.0"]
    assert args[-1] == str(target), "helm values files are not given to kubeconform"
    (problem,) = problems
    assert (problem.location.line, problem.location.column) == (6, 12)  # type: ignore[union-attr]
    assert problem.path == ("spec", "replica") and problem.rule == "kubeconform"


def test_gen_validate_kubeconform_without_the_binary_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GEN_KUBECONFORM", "/nonexistent/kubeconform")
    result = runner.invoke(commands.app, ["validate", str(GOLDEN), "--kubeconform", "--profile",
                                          str(PROFILES / "platform-kit.yaml")])
    assert result.exit_code == 2 and "kubeconform is not installed" in result.stderr


def test_schemas_export_writes_kubeconforms_layout(tmp_path: Path) -> None:
    result = runner.invoke(commands.app, ["schemas", "export", str(tmp_path)])
    assert result.exit_code == 0
    for name in ("pack/tsb.tetrate.io/workspacesetting_v2.json", "pack/api.tsb.tetrate.io/tenant_v2.json",
                 "pack/security.istio.io/authorizationpolicy_v1.json", "pack/gateway.networking.k8s.io/gateway_v1.json",
                 "pack/helm/controlplane-values.json", "kubernetes/v1.30.0-standalone-strict/deployment-apps-v1.json"):
        schema = json.loads((tmp_path / name).read_text())
        assert "$ref" not in json.dumps(schema).replace('"$ref": "#/$defs/', ""), f"{name} is not standalone"
    assert "kubeconform -strict -summary" in result.stdout


def test_a_render_whose_output_breaks_its_schema_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A catalog or template bug that renders an invalid object stops the render (exit 2)."""
    from generator.validation import pack

    strict_workspace = dict(pack.resource_schemas()[("tsb.tetrate.io/v2", "Workspace")])
    broken = json.loads(json.dumps(strict_workspace).replace('"displayName"', '"displayNameX"'))
    schemas = {**pack.resource_schemas(), ("tsb.tetrate.io/v2", "Workspace"): broken}
    from generator.validation import embedded

    monkeypatch.setattr(embedded, "resource_schemas", lambda: schemas)

    embedded.shared_validator.cache_clear()
    try:
        profile = tmp_path / "p.yaml"
        profile.write_text(CAFFEINE.read_text().replace("  - name: caffeine-ws\n", "  - name: caffeine-ws\n    displayName: Caffeine\n"))
        result = runner.invoke(commands.app, ["render", str(profile), "--out", str(tmp_path / "out")])
    finally:
        embedded.shared_validator.cache_clear()
    assert result.exit_code == 2
    assert "workspace-caffeine-ws.yaml" in result.stderr and "displayName" in result.stderr
    assert not (tmp_path / "out").exists()


def test_the_ci_examples_run_check_and_kubeconform_with_the_exported_pack() -> None:
    github = yaml.safe_load((REPO / "docs/ci/github-actions.yaml").read_text())
    steps = " ".join(str(step.get("run", "")) for step in github["jobs"]["gen"]["steps"])
    gitlab = yaml.safe_load((REPO / "docs/ci/gitlab-ci.yaml").read_text())
    script = " ".join(gitlab["gen"]["script"])
    for text in (steps, script):
        assert "gen render" in text and "--check" in text
        assert "gen plan \"$profile\" --out out --check" in text
        assert "gen schemas export" in text and "kubeconform -strict" in text and "-schema-location" in text


_ = (os, subprocess, Problem)
