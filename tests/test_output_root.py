"""Where gen refuses to write: its own package, Python's installed packages, over the profile, below
a file. Each refusal is a problem like any other (exit 2, --format honoured) and writes nothing."""

from __future__ import annotations

import json
import sys
import sysconfig
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import GOLDEN, PROFILES, REPO
from generator import commands
from generator.output import write
from helpers import run_command, tree, variant

runner = CliRunner()


def test_a_profile_named_templates_cannot_render_into_the_package(tmp_path: Path) -> None:
    profile, _ = variant(tmp_path, ("profile: caffeine", "profile: templates"))
    before = tree(REPO / "generator")
    result = runner.invoke(commands.app, ["render", str(profile), "--out", str(REPO / "generator")])
    assert result.exit_code == 2, result.output
    assert "refusing to write into gen's own package" in result.stderr
    assert "Traceback" not in result.output
    assert tree(REPO / "generator") == before


def _installed_package(cwd: Path) -> Path:
    """The directory of the `generator` package that `python -m generator` runs from `cwd`."""
    completed = run_command(
        [sys.executable, "-c", "import generator, os; print(os.path.dirname(generator.__file__))"], cwd
    )
    assert completed.returncode == 0, completed.stderr
    return Path(completed.stdout.strip())


def test_out_inside_the_installed_package_or_site_packages_is_refused(tmp_path: Path) -> None:
    profile, _ = variant(tmp_path, ("profile: caffeine", "profile: templates"))
    package = _installed_package(tmp_path)
    for out in (package, Path(sysconfig.get_paths()["purelib"])):
        before = tree(out) if out == package else None
        completed = run_command([sys.executable, "-m", "generator", "render", str(profile), "--out", str(out)], tmp_path)
        assert completed.returncode == 2, completed.stderr
        assert "refusing to write" in completed.stderr
        assert not (out / "templates" / ".gen").exists()
        if before is not None:
            assert tree(out) == before


def test_a_stray_templates_folder_beside_the_profile_changes_nothing(tmp_path: Path) -> None:
    """Templates come from the package only: a `templates/` folder in the working directory, or a
    tree that an earlier render left in one, is never read."""
    stray = tmp_path / "templates" / "helm"
    stray.mkdir(parents=True)
    (stray / "controlplane-values.yaml.j2").write_text("broken: {{ nothing\n")
    (tmp_path / "generator" / "templates").mkdir(parents=True)
    completed = run_command(
        [sys.executable, "-m", "generator", "render", str(PROFILES / "caffeine.yaml"), "--out", str(tmp_path / "out")],
        tmp_path,
    )
    assert completed.returncode == 0, completed.stderr
    assert tree(tmp_path / "out" / "caffeine") == tree(GOLDEN / "caffeine")


def test_out_naming_a_file_is_one_json_problem_naming_it(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file\n")
    result = runner.invoke(
        commands.app, ["render", str(PROFILES / "caffeine.yaml"), "--out", str(blocker), "--format", "json"]
    )
    assert result.exit_code == 2
    report = json.loads(result.stderr)
    assert report["errors"] == 1
    (problem,) = report["problems"]
    assert problem["file"] == str(blocker)
    assert "not a directory" in problem["message"]
    assert problem["line"] is None and problem["path"] is None
    assert report["outcome"] == "nothing was written"
    assert blocker.read_text() == "a file\n"


def test_out_below_a_file_in_github_format(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = runner.invoke(
        commands.app, ["render", str(PROFILES / "caffeine.yaml"), "--out", str(blocker / "deeper"), "--format", "github"]
    )
    assert result.exit_code == 2
    assert result.stderr.startswith(f"::error file={blocker},title=gen write::")


def test_a_profile_inside_its_own_output_tree_is_refused(tmp_path: Path) -> None:
    root = tmp_path / "out" / "caffeine"
    root.mkdir(parents=True)
    profile = root / "profile.yaml"
    profile.write_text((PROFILES / "caffeine.yaml").read_text())
    result = runner.invoke(commands.app, ["render", str(profile), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "refusing to write over the profile" in result.stderr
    assert sorted(path.name for path in root.iterdir()) == ["profile.yaml"]


@pytest.mark.parametrize("swap,outcome", [(True, "nothing was written"), (False, "some files were already replaced")])
def test_a_failed_write_is_a_problem_that_says_what_happened(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, swap: bool, outcome: str
) -> None:
    """With the directory swap a failure changes nothing; renaming file by file, it can be partial."""
    out = tmp_path / "out"
    assert runner.invoke(commands.app, ["render", str(PROFILES / "caffeine.yaml"), "--out", str(out)]).exit_code == 0
    changed, _ = variant(tmp_path, ("organization: tetrate", "organization: acme"), name="caffeine.yaml")
    if swap:
        def failing(target: Path, data: bytes, *rest: object) -> None:
            raise PermissionError(13, "Permission denied", str(target))

        monkeypatch.setattr(write, "_write_file", failing)
    else:
        real_replace = write.os.replace
        calls = {"n": 0}

        def failing_replace(source: str, target: str) -> None:
            calls["n"] += 1
            if calls["n"] == 2:
                raise PermissionError(13, "Permission denied", str(target))
            real_replace(source, target)

        monkeypatch.setattr(write, "_exchange", lambda first, second: False)
        monkeypatch.setattr(write.os, "replace", failing_replace)
    result = runner.invoke(commands.app, ["render", str(changed), "--out", str(out), "--format", "json"])
    assert result.exit_code == 2
    report = json.loads(result.stderr)
    (problem,) = report["problems"]
    assert problem["message"] == "cannot write: Permission denied"
    assert problem["file"].startswith(str(tmp_path))
    assert report["outcome"].startswith(outcome)
