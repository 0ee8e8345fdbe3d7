"""The fast path of a plain `gen render` (cli.py) reads exactly what the typer command reads, and
leaves every other form to it."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import typer
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import GOLDEN, PROFILES
from generator import commands
from generator.cli import PlainRender, plain_render
from helpers import run_command, tree


def _typer_reads(argv: list[str]) -> PlainRender | None:
    """What the typer command passes to `render` for `argv`, in the fast path's terms; None where
    it refuses the arguments or where they ask for more than the fast path takes."""
    group = typer.main.get_command(commands.app)
    try:
        with group.make_context("gen", list(argv), resilient_parsing=False) as context:
            name, command, rest = group.resolve_command(context, [*context._protected_args, *context.args])
            if name != "render" or command is None:
                return None
            params = command.make_context(name, rest, parent=context).params
    except (typer.Exit, Exception):  # click's usage errors
        return None
    if params["fmt"].value != "text" or params["diff"] or params["phase"] is not None:
        return None
    return PlainRender(tuple(params["profiles"]), params["out"], params["check"], params["force"])


@pytest.mark.parametrize(
    "argv",
    [
        ["render", "a.yaml"],
        ["render", "a.yaml", "b.yaml", "--out", "dir"],
        ["render", "--out=dir", "a.yaml", "--check"],
        ["render", "a.yaml", "--force", "--check", "--out", "x", "--out", "y"],
        ["render", "a.yaml", "--out"],
        ["render", "--out", "--check", "a.yaml"],
        ["render"],
        ["render", "--check"],
        ["render", "a.yaml", "--diff"],
        ["render", "a.yaml", "--format", "json"],
        ["render", "a.yaml", "--phase", "1"],
        ["render", "a.yaml", "--help"],
        ["render", "a.yaml", "--", "-b.yaml"],
        ["render", "-"],
        ["plan", "a.yaml"],
        ["--version"],
        [],
    ],
)
def test_the_fast_path_takes_only_what_typer_reads_the_same(argv: list[str]) -> None:
    fast = plain_render(argv)
    if fast is not None:
        assert fast == _typer_reads(argv)


_words = st.sampled_from(["a.yaml", "b.yaml", "dir", "--out", "--out=o", "--out=", "--check", "--force", "--diff",
                          "--format", "json", "--phase", "2", "--", "-", "-x", "--help", "--outx"])


@settings(max_examples=300, deadline=None)
@given(st.lists(_words, max_size=7))
def test_generated_command_lines_read_the_same_both_ways(words: list[str]) -> None:
    argv = ["render", *words]
    fast = plain_render(argv)
    if fast is not None:
        assert fast == _typer_reads(argv)


def test_the_common_forms_take_the_fast_path() -> None:
    assert plain_render(["render", "p.yaml", "--out", "out", "--check"]) == PlainRender((Path("p.yaml"),), Path("out"), True)
    assert plain_render(["render", "p.yaml"]) == PlainRender((Path("p.yaml"),))


def test_a_plain_render_and_check_through_the_entry_point(tmp_path: Path) -> None:
    """The console script, end to end on the fast path: writes the golden tree, then finds it up to date."""
    profile = str(PROFILES / "caffeine.yaml")
    gen = [sys.executable, "-m", "generator"]
    written = run_command([*gen, "render", profile, "--out", str(tmp_path)], tmp_path)
    assert written.returncode == 0, written.stderr
    assert "rendered profile 'caffeine'" in written.stdout
    assert tree(tmp_path / "caffeine") == tree(GOLDEN / "caffeine")
    checked = run_command([*gen, "render", profile, "--out", str(tmp_path), "--check"], tmp_path)
    assert checked.returncode == 0 and "up to date" in checked.stdout
    edited = next(path for path in sorted((tmp_path / "caffeine").rglob("*.yaml")))
    edited.write_text("edited\n")
    drift = run_command([*gen, "render", profile, "--out", str(tmp_path), "--check"], tmp_path)
    assert drift.returncode == 1 and edited.relative_to(tmp_path / "caffeine").as_posix() in drift.stdout
