"""Variants of the tenancy example profiles (seed 004's two estates), like helpers.variant."""

from __future__ import annotations

from pathlib import Path

from conftest import PROFILES
from helpers import write_profile

BROWNFIELD = (PROFILES / "brownfield.yaml").read_text("utf-8")
GREENFIELD = (PROFILES / "greenfield.yaml").read_text("utf-8")


def changed(base: str, tmp_path: Path, *replacements: tuple[str, str], name: str = "profile.yaml") -> tuple[Path, str]:
    """`base` with each `old` text replaced by `new` (each must occur), written to `tmp_path`."""
    text = base
    for old, new in replacements:
        assert old in text, f"{old!r} is not in the profile"
        text = text.replace(old, new, 1)
    return write_profile(tmp_path, text, name), text


def brownfield(tmp_path: Path, *replacements: tuple[str, str]) -> tuple[Path, str]:
    return changed(BROWNFIELD, tmp_path, *replacements)


def greenfield(tmp_path: Path, *replacements: tuple[str, str]) -> tuple[Path, str]:
    return changed(GREENFIELD, tmp_path, *replacements)


def after(anchor: str, addition: str) -> tuple[str, str]:
    """A replacement that adds `addition` right after `anchor`."""
    return anchor, anchor + addition


CLIENT_WS = '    namespaces: ["*/client"]\n'
HTTPBIN_WS = '    namespaces: ["*/httpbin"]\n'
BOOKINFO_WS = '    namespaces: ["cp-cluster-1/bookinfo"]\n'  # the last line of the brownfield profile
