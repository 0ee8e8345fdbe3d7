"""DESIGN.md: frozen, typed values between stages; mypy strict on generator/."""

from __future__ import annotations

from mypy import api

from conftest import REPO


def test_generator_passes_mypy_strict() -> None:
    stdout, stderr, status = api.run(
        ["--config-file", str(REPO / "pyproject.toml"), "--cache-dir", str(REPO / ".mypy_cache"), str(REPO / "generator")]
    )
    assert status == 0, stdout + stderr
