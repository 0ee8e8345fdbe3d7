"""What stands at out/<profile> before gen writes there: a symbolic link, a file, a folder of someone
else's, or a `.gen` that is not gen's folder is refused before anything is written, at its path."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import PROFILES
from generator import commands
from helpers import render_into, tree, variant

runner = CliRunner()


def _render(profile: Path, out: Path, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(commands.app, ["render", str(profile), "--out", str(out), *args])
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("args", [[], ["--check"], ["--force"]])
def test_a_tree_that_is_a_symbolic_link_is_refused_and_nothing_moves(tmp_path: Path, args: list[str]) -> None:
    user = tmp_path / "user"
    user.mkdir()
    (user / "keep.txt").write_text("mine")
    out = tmp_path / "out"
    out.mkdir()
    (out / "caffeine").symlink_to("../user")
    code, _, stderr = _render(PROFILES / "caffeine.yaml", out, *args)
    assert code == 2, stderr
    assert f"{out / 'caffeine'}: error: is a symbolic link (to ../user); gen writes a tree only into a folder" in stderr
    assert "Traceback" not in stderr
    assert sorted(path.name for path in out.iterdir()) == ["caffeine"], "no staging folder or lock is left"
    assert (out / "caffeine").is_symlink() and tree(user) == {"keep.txt": b"mine"}


def test_a_rendered_tree_moved_away_behind_a_link_is_no_longer_up_to_date(tmp_path: Path) -> None:
    out = tmp_path / "out"
    root = render_into(PROFILES / "caffeine.yaml", out)
    root.rename(tmp_path / "elsewhere")
    root.symlink_to(tmp_path / "elsewhere")
    code, stdout, stderr = _render(PROFILES / "caffeine.yaml", out)
    assert code == 2 and "is a symbolic link" in stderr, stdout


def test_a_file_where_the_tree_goes_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "caffeine").write_text("notes")
    code, _, stderr = _render(PROFILES / "caffeine.yaml", out)
    assert code == 2
    assert f"{(out / 'caffeine').resolve()}: error: is not a directory" in stderr
    assert (out / "caffeine").read_text() == "notes"


def test_a_folder_of_someone_elses_files_is_refused_unless_forced(tmp_path: Path) -> None:
    out = tmp_path / "out"
    (out / "caffeine" / "docs").mkdir(parents=True)
    (out / "caffeine" / "docs" / "notes.md").write_text("mine")
    code, _, stderr = _render(PROFILES / "caffeine.yaml", out)
    assert code == 2
    assert "is not a gen tree: it has no ledger (.gen/manifest.json) and holds files not written by gen, such as " \
           "docs/notes.md" in stderr
    assert tree(out / "caffeine") == {"docs/notes.md": b"mine"}
    code, _, stderr = _render(PROFILES / "caffeine.yaml", out, "--force")
    assert code == 0, stderr
    assert (out / "caffeine" / "docs" / "notes.md").read_text() == "mine"
    assert "docs/notes.md: warning: was not written by gen; left alone" in stderr


def test_an_empty_folder_or_one_holding_only_the_plan_is_gens_to_fill(tmp_path: Path) -> None:
    out = tmp_path / "out"
    (out / "caffeine").mkdir(parents=True)
    code, _, stderr = _render(PROFILES / "caffeine.yaml", out)
    assert code == 0, stderr
    shutil.rmtree(out)
    from generator.migration.tree import plan_tree
    from generator.tree import Status

    assert plan_tree(PROFILES / "brownfield.yaml", out).status is Status.OK  # before any render
    code, _, stderr = _render(PROFILES / "brownfield.yaml", out)
    assert code == 0, stderr


def test_a_file_at_gen_is_reported_where_it_is(tmp_path: Path) -> None:
    out = tmp_path / "out"
    (out / "caffeine").mkdir(parents=True)
    (out / "caffeine" / ".gen").write_text("not a folder")
    for args in ([], ["--force"]):
        code, _, stderr = _render(PROFILES / "caffeine.yaml", out, *args)
        assert code == 2
        assert f"{out / 'caffeine' / '.gen'}: error: is not a folder: gen keeps the tree's ledger there" in stderr
        assert ".gen-staging" not in stderr
    assert sorted(path.name for path in out.iterdir()) == ["caffeine"]


def test_gen_plan_refuses_a_render_tree_that_is_a_link(tmp_path: Path) -> None:
    from generator.migration.tree import plan_tree
    from generator.tree import Status

    (tmp_path / "user").mkdir()
    out = tmp_path / "out"
    out.mkdir()
    (out / "brownfield").symlink_to(tmp_path / "user")
    outcome = plan_tree(PROFILES / "brownfield.yaml", out)
    assert outcome.status is Status.INVALID
    assert any("is a symbolic link" in problem.message for problem in outcome.problems)
    assert not any((tmp_path / "user").iterdir())


def test_a_failed_write_names_the_file_in_the_tree_not_in_the_staging_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from generator.output import write

    out = tmp_path / "out"
    render_into(PROFILES / "caffeine.yaml", out)
    changed, _ = variant(tmp_path, ("organization: tetrate", "organization: acme"), name="caffeine.yaml")

    def full(target: str, data: bytes, *rest: object) -> None:
        raise OSError(28, "No space left on device", target)

    monkeypatch.setattr(write, "_write_file", full)
    code, _, stderr = _render(changed, out)
    assert code == 2
    assert f"{out / 'caffeine'}/" in stderr and ".gen-staging" not in stderr, stderr
