"""A lone UTF-16 surrogate (`"\\ud834"`, which YAML and JSON escapes can spell) is not a character:
no reader downstream reads it back, so gen refuses it where it is written, exit 2, never exit 3.
Found by the estate README's hostile-name test (a JSON profile's surrogate-pair escape)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from typer.testing import CliRunner

from conftest import PROFILES
from generator import commands

runner = CliRunner()


def test_a_surrogate_in_a_profile_is_refused_at_its_line(tmp_path: Path) -> None:
    text = (PROFILES / "greenfield.yaml").read_text().replace("displayName: httpbin-ws", 'displayName: "a\\ud834b"')
    (tmp_path / "p.yaml").write_text(text)
    result = runner.invoke(commands.app, ["render", str(tmp_path / "p.yaml"), "--out", str(tmp_path / "out"),
                                          "--format", "json"])
    assert result.exit_code == 2 and not (tmp_path / "out").exists()
    (problem,) = json.loads(result.stderr)["problems"]
    assert problem["rule"] == "not-unicode" and problem["path"] == "tenants[0].workspaces[1].displayName"
    assert problem["line"] == text.splitlines().index('    displayName: "a\\ud834b"') + 1


def test_a_surrogate_in_a_policy_file_is_refused_at_its_line(tmp_path: Path) -> None:
    shutil.copytree(PROFILES, tmp_path / "profiles")
    policy = tmp_path / "profiles" / "policies" / "legacy" / "httpbin-get-only.yaml"
    policy.write_text(policy.read_text().replace('methods: ["GET"]', 'methods: ["G\\udd1eT"]'))
    result = runner.invoke(commands.app, ["render", str(tmp_path / "profiles" / "waypoints.yaml"), "--out",
                                          str(tmp_path / "out"), "--format", "json"])
    assert result.exit_code == 2 and not (tmp_path / "out").exists()
    (problem,) = json.loads(result.stderr)["problems"]
    assert problem["rule"] == "policy-schema" and problem["file"].endswith("httpbin-get-only.yaml")


def test_a_surrogate_in_a_kit_folder_is_refused_not_a_crash(tmp_path: Path) -> None:
    # once exit 3 (the fuzzer, seed 909): the kit folder was resolved before the render stopped
    text = (PROFILES / "platform-kit.yaml").read_text()
    assert "\nkit: [../templates]" in text
    (tmp_path / "p.yaml").write_text(text.replace("\nkit: [../templates]", '\nkit: ["a\\ud834b"]'))
    result = runner.invoke(commands.app, ["render", str(tmp_path / "p.yaml"), "--out", str(tmp_path / "out"),
                                          "--format", "json"])
    assert result.exit_code == 2 and not (tmp_path / "out").exists(), result.output
    problems = json.loads(result.stderr)["problems"]
    assert {problem["rule"] for problem in problems} == {"not-unicode", "kit"}
    assert all(problem["path"] == "kit[0]" for problem in problems)


def test_a_surrogate_in_a_kit_outputs_parameter_is_refused_not_a_crash(tmp_path: Path) -> None:
    # once exit 3 (the fuzzer, seed 6262): jsonschema-rs, checking the parameter against the kit
    # output's schema, cannot be handed a lone surrogate (UnicodeEncodeError)
    (tmp_path / ".git").mkdir()  # the repository the kit must lie in
    shutil.copytree(PROFILES, tmp_path / "profiles")
    shutil.copytree(PROFILES.parent / "templates", tmp_path / "templates")
    profile = tmp_path / "profiles" / "platform-kit.yaml"
    text = profile.read_text()
    assert "peer-authentication: {mode: PERMISSIVE}" in text
    profile.write_text(text.replace("peer-authentication: {mode: PERMISSIVE}", 'peer-authentication: {mode: "a\\ud834b"}'))
    result = runner.invoke(commands.app, ["render", str(profile), "--out", str(tmp_path / "out"), "--format", "json"])
    assert result.exit_code == 2 and not (tmp_path / "out").exists(), result.output
    (problem,) = json.loads(result.stderr)["problems"]
    assert problem["rule"] == "not-unicode" and problem["path"] == "namespaces[1].outputs.peer-authentication.mode"
