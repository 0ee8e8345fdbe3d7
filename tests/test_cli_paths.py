"""Every path the command line names is checked before anything is written: exit 2 with one line
naming it, never a traceback; nothing is written into gen's own package or through a symbolic link;
an empty path (an unset variable) is a usage error, not the current folder."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import PROFILES
from generator import commands
from generator.output.guard import PACKAGE
from helpers import tree

runner = CliRunner()


def gen(*args: str) -> tuple[int, str]:
    result = runner.invoke(commands.app, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    return result.exit_code, result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["schema", "-o", "folder"], "gen: folder: is a folder: give a file name; nothing was written"),
        (["schema", "-o", "missing/x.json"], "gen: missing/x.json: its folder missing does not exist"),
        (["init", "gke", "-o", "missing/x.yaml"], "gen: missing/x.yaml: its folder missing does not exist"),
        (["init", "gke", "-o", "folder"], "gen: folder: is a folder: give a file name"),
        (["schemas", "export", "file.txt"], "gen: file.txt: is not a folder; nothing was written"),
        (["schemas", "export", "file.txt/below"], "file.txt is not a folder"),
        (["schema", "-o", "link.json"], "gen: link.json: is a symbolic link: gen does not write through one"),
        (["init", "gke", "-o", "link.json"], "gen: link.json: is a symbolic link: gen does not write through one"),
        (["schemas", "export", "linked"], "gen: linked: is a symbolic link: gen does not write through one"),
        (["schemas", "export", "planted"], "gen: planted/pack/api.tsb.tetrate.io: is a symbolic link"),
    ],
    ids=["schema-folder", "schema-missing", "init-missing", "init-folder", "export-file", "export-below-file",
         "schema-link", "init-dangling-link", "export-link", "export-planted-link"],
)
def test_a_path_gen_cannot_write_is_refused_up_front(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, args: list[str], message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "folder").mkdir()
    (tmp_path / "file.txt").write_text("notes")
    outside = tmp_path / "outside"
    outside.mkdir()
    (tmp_path / "link.json").symlink_to(outside / "victim.json")  # dangling: a write would create it
    (tmp_path / "linked").symlink_to(outside)
    (tmp_path / "planted" / "pack").mkdir(parents=True)
    (tmp_path / "planted" / "pack" / "api.tsb.tetrate.io").symlink_to(outside)
    before = tree(tmp_path)
    code, stderr = gen(*args)
    assert code == 2, stderr
    assert message in stderr
    assert tree(tmp_path) == before and not any(outside.iterdir()), "nothing was written"


@pytest.mark.parametrize("args", [["schema", "-o"], ["schemas", "export"]])
def test_nothing_is_written_into_gens_own_package(args: list[str]) -> None:
    target = PACKAGE / "templates" / "profile.schema.json"
    try:
        code, stderr = gen(*args, str(target))
        assert code == 2
        assert f"gen: {target}: is inside gen's own package ({PACKAGE}); nothing was written" in stderr
        assert not target.exists()
    finally:  # a gen that wrote it must not leave it in the package (it would change every fingerprint)
        if target.is_dir():
            shutil.rmtree(target)
        target.unlink(missing_ok=True)


def test_outputs_are_written_and_written_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    for _ in range(2):
        assert gen("schema", "-o", "profile.schema.json")[0] == 0
        assert gen("schemas", "export", "schemas")[0] == 0
    assert json.loads((tmp_path / "profile.schema.json").read_text())["title"]
    assert (tmp_path / "schemas/pack/helm").is_dir()
    assert not [p for p in tmp_path.rglob(".*") if p.is_file()], "no temporary file is left"
    assert gen("init", "gke", "-o", "starter.yaml")[0] == 0
    code, stderr = gen("init", "gke", "-o", "starter.yaml")
    assert code == 2 and "gen: starter.yaml: exists; refusing to overwrite it" in stderr


@pytest.mark.parametrize(
    "args",
    [
        ["render", str(PROFILES / "caffeine.yaml"), "--out", ""],  # the fast path of a plain render
        ["render", str(PROFILES / "caffeine.yaml"), "--out="],
        ["render", str(PROFILES / "caffeine.yaml"), "--format", "json", "--out", ""],
        ["plan", str(PROFILES / "brownfield.yaml"), "--out", ""],
        ["render", ""],
        ["validate", ""],
        ["schema", "-o", ""],
    ],
)
def test_an_empty_path_is_a_usage_error_not_the_current_folder(tmp_path: Path, args: list[str]) -> None:
    completed = subprocess.run([sys.executable, "-m", "generator", *args], cwd=tmp_path, capture_output=True,
                               text=True, timeout=120, check=False)
    assert completed.returncode == 2, completed.stdout + completed.stderr
    assert "is an empty path (an unset variable?)" in completed.stderr
    assert not any(tmp_path.iterdir())
