"""Golden files are the spec: out/ must be exactly what the example profiles render."""

from __future__ import annotations

import difflib
import sys
from pathlib import Path

import pytest

from conftest import GOLDEN, PROFILES, REPO
from generator.pipeline import render_profile
from helpers import plan_into, render_into, rendered_part, run_command, tree

EXAMPLES = sorted(PROFILES.glob("*.yaml"))
MIGRATIONS = [path for path in EXAMPLES if "\nmigration:" in path.read_text("utf-8")]


def _diff(expected: dict[str, bytes], actual: dict[str, bytes]) -> str:
    lines: list[str] = []
    for name in sorted(set(expected) | set(actual)):
        old = expected.get(name, b"").decode("utf-8").splitlines(keepends=True)
        new = actual.get(name, b"").decode("utf-8").splitlines(keepends=True)
        if old != new:
            lines.extend(difflib.unified_diff(old, new, f"out/{name}", f"rendered/{name}"))
    return "".join(lines)


@pytest.mark.parametrize("profile", EXAMPLES, ids=lambda path: path.name)
def test_committed_out_is_what_the_profile_renders(profile: Path, tmp_path: Path) -> None:
    rendered = render_into(profile, tmp_path)
    golden = GOLDEN / rendered.name
    # out/<profile>/migration/ is `gen plan`'s tree, with its own ledger (below).
    expected = rendered_part(tree(golden))
    actual = tree(rendered)
    assert expected == actual, "out/ differs from the render; run pytest --update-golden if intended\n" + _diff(
        expected, actual
    )


@pytest.mark.parametrize("profile", MIGRATIONS, ids=lambda path: path.name)
def test_committed_migration_is_what_gen_plan_writes(profile: Path, tmp_path: Path) -> None:
    planned = plan_into(profile, tmp_path)
    expected, actual = tree(GOLDEN / planned.parent.name / "migration"), tree(planned)
    assert expected == actual, "out/ differs from the plan; run pytest --update-golden if intended\n" + _diff(
        expected, actual
    )


def test_only_profiles_with_phases_have_a_migration_tree() -> None:
    assert [path.name for path in MIGRATIONS] == ["brownfield.yaml", "waypoints.yaml"]
    assert {path.parent.name for path in GOLDEN.glob("*/migration")} == {"brownfield", "waypoints"}


def test_every_committed_tree_has_its_profile() -> None:
    rendered_names = {render_profile(path).profile for path in EXAMPLES}
    committed = {path.name for path in GOLDEN.iterdir() if path.is_dir()}
    assert committed == rendered_names, "out/ must hold exactly one tree per example profile"


def test_rendering_twice_gives_identical_bytes(tmp_path: Path) -> None:
    first = tree(render_into(PROFILES / "caffeine.yaml", tmp_path / "one"))
    second = tree(render_into(PROFILES / "caffeine.yaml", tmp_path / "two"))
    assert first == second
    assert len(first) > 20


def _render_in_process(cwd: Path, out: Path, hash_seed: str) -> dict[str, bytes]:
    completed = run_command(
        [sys.executable, "-m", "generator", "render", str(PROFILES / "caffeine.yaml"), "--out", str(out)],
        cwd,
        PYTHONHASHSEED=hash_seed,
        PYTHONPATH=str(REPO),
    )
    assert completed.returncode == 0, completed.stderr
    return tree(out / "caffeine")


def test_output_does_not_depend_on_hash_seed_or_working_directory(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first = _render_in_process(tmp_path / "a", tmp_path / "a" / "out", "1")
    second = _render_in_process(tmp_path / "b", tmp_path / "b" / "out", "2024")
    assert first == second == tree(GOLDEN / "caffeine")
