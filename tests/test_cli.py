"""The command line: exit codes, messages, and the error boundary."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import GOLDEN, PROFILES
from generator import cli, commands
from generator import pipeline as pipeline_module
from helpers import run_command, tree, variant

runner = CliRunner()


def test_render_writes_the_tree_and_says_what_it_did(tmp_path: Path) -> None:
    result = runner.invoke(commands.app, ["render", str(PROFILES / "caffeine.yaml"), "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "rendered profile 'caffeine'" in result.stdout
    assert f"{len(tree(GOLDEN / 'caffeine')) - 1} written" in result.stdout  # every file but the ledger
    assert tree(tmp_path / "caffeine") == tree(GOLDEN / "caffeine")


def test_invalid_profile_exits_2_and_writes_nothing(tmp_path: Path) -> None:
    profile, _ = variant(tmp_path, ("platform: aks", "platform: ask"))
    out = tmp_path / "out"
    result = runner.invoke(commands.app, ["render", str(profile), "--out", str(out)])
    assert result.exit_code == 2
    assert f"{profile}:" in result.stderr and "clusters[0].platform" in result.stderr
    assert "hint: did you mean 'aks'?" in result.stderr
    assert "Traceback" not in result.output
    assert not out.exists()


def test_invalid_profile_leaves_an_existing_tree_untouched(tmp_path: Path) -> None:
    out = tmp_path / "out"
    runner.invoke(commands.app, ["render", str(PROFILES / "caffeine.yaml"), "--out", str(out)])
    before = tree(out)
    broken, _ = variant(tmp_path, ("apps: [caffeine]", "apps: [caffeine, nope]"))
    assert runner.invoke(commands.app, ["render", str(broken), "--out", str(out)]).exit_code == 2
    assert tree(out) == before


def test_json_report(tmp_path: Path) -> None:
    profile, _ = variant(tmp_path, ("dataplane: ambient", "dataplane: ambiant"))
    result = runner.invoke(commands.app, ["render", str(profile), "--format", "json", "--out", str(tmp_path)])
    assert result.exit_code == 2
    report = json.loads(result.stderr)
    assert report["errors"] == 1
    (problem,) = report["problems"]
    assert problem["path"] == "namespaces[0].dataplane"
    assert problem["rule"] == "enum" and problem["line"] > 1 and problem["column"] > 1


def test_github_annotations(tmp_path: Path) -> None:
    profile, _ = variant(tmp_path, ("dataplane: ambient", "dataplane: ambiant"))
    result = runner.invoke(commands.app, ["render", str(profile), "--format", "github", "--out", str(tmp_path)])
    assert result.stderr.startswith(f"::error file={profile},line=")
    assert "namespaces[0].dataplane" in result.stderr


def test_usage_errors_exit_2() -> None:
    assert runner.invoke(commands.app, ["render"]).exit_code == 2
    assert runner.invoke(commands.app, ["render", "x.yaml", "--format", "xml"]).exit_code == 2


@pytest.mark.parametrize("debug", [False, True], ids=["plain", "GEN_DEBUG"])
def test_a_bug_in_gen_exits_3_with_a_traceback_only_where_asked(
    debug: bool, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """No traceback for users unless GEN_DEBUG asks for one (traceback is imported only then: a plain
    run does not pay for it)."""
    def broken(*_: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(pipeline_module, "render_profile", broken)
    monkeypatch.setattr(sys, "argv", ["gen", "render", str(PROFILES / "caffeine.yaml"), "--out", str(tmp_path)])
    if debug:
        monkeypatch.setenv("GEN_DEBUG", "1")
    else:
        monkeypatch.delenv("GEN_DEBUG", raising=False)
    with pytest.raises(SystemExit) as exited:
        cli.main()
    assert exited.value.code == 3
    err = capsys.readouterr().err
    assert "internal error: RuntimeError: boom" in err
    assert ("Traceback" in err and "RuntimeError: boom\n" in err) if debug else "Traceback" not in err


def test_installed_gen_renders_from_any_directory(tmp_path: Path) -> None:
    """The console script works outside the checkout: templates ship with the package."""
    gen = Path(sys.executable).with_name("gen")
    assert gen.exists(), f"the `gen` console script is not installed beside {sys.executable}"
    completed = run_command([str(gen), "render", str(PROFILES / "caffeine.yaml"), "--out", "here"], tmp_path, PYTHONPATH=None)
    assert completed.returncode == 0, completed.stderr
    assert tree(tmp_path / "here" / "caffeine") == tree(GOLDEN / "caffeine"), "is the installed gen stale? pip install ."
