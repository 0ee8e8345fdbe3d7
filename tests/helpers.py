"""Shared by the tests: variants of the example profile, and rendering into a folder."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from generator.pipeline import render_profile
from generator.tree import Status, render_tree
from generator.migration.tree import plan_tree

from conftest import PROFILES

CAFFEINE = (PROFILES / "caffeine.yaml").read_text("utf-8")


def write_profile(tmp_path: Path, text: str, name: str = "profile.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, "utf-8")
    return path


def variant(tmp_path: Path, *replacements: tuple[str, str], name: str = "profile.yaml") -> tuple[Path, str]:
    """The caffeine profile with each `old` text replaced by `new` (each must occur)."""
    text = CAFFEINE
    for old, new in replacements:
        assert old in text, f"{old!r} is not in profiles/caffeine.yaml"
        text = text.replace(old, new, 1)
    return write_profile(tmp_path, text, name), text


def render_into(profile: Path, out: Path, phase: str | None = None) -> Path:
    """Render as `gen render PROFILE --out OUT [--phase PHASE]` does; the profile's tree."""
    outcome = render_tree(profile, out, phase=phase)
    assert outcome.status is Status.OK and outcome.root is not None, outcome.problems
    return outcome.root


def rendered_estate(tmp_path: Path) -> tuple[Path, Path]:
    """multi-platform (it names a base values file, and warns) copied beside its values and rendered
    into tmp_path/out: (the profile, the output folder)."""
    shutil.copytree(PROFILES / "values", tmp_path / "values")
    profile = write_profile(tmp_path, (PROFILES / "multi-platform.yaml").read_text(), "multi-platform.yaml")
    render_into(profile, tmp_path / "out")
    return profile, tmp_path / "out"


def plan_into(profile: Path, out: Path) -> Path:
    """`gen plan`: the migration tree, out/<profile>/migration/."""
    outcome = plan_tree(profile, out)
    assert outcome.status is Status.OK, outcome.problems
    return out / render_profile(profile).profile / "migration"


def tree(root: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(root)): path.read_bytes() for path in sorted(root.rglob("*")) if path.is_file()
    }


def rendered_part(files: dict[str, bytes]) -> dict[str, bytes]:
    """A committed tree without `gen plan`'s migration/ tree inside it (it has its own ledger)."""
    return {name: data for name, data in files.items() if not name.startswith("migration/")}


def run_command(command: list[str], cwd: Path, **env: str | None) -> subprocess.CompletedProcess[str]:
    """Run `command` in `cwd` with the test's environment, changed by `env` (None unsets)."""
    environment = {**os.environ, **{k: v for k, v in env.items() if v is not None}}
    for key in (k for k, v in env.items() if v is None):
        environment.pop(key, None)
    return subprocess.run(command, cwd=cwd, env=environment, capture_output=True, text=True, check=False)
