"""An edited ledger or tree cannot make gen hang, exhaust memory or crash: the files a ledger names
as inputs are read only as regular files inside the repository, within a size limit; a ledger gen
could not have written is "not a gen ledger" at .gen/manifest.json (exit 2); a gen file replaced
by a link, a FIFO or a device is never read as up to date.

Each `gen` here runs as a child with a memory and a time limit, so that a regression fails the test
instead of taking the machine down with it."""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from conftest import PROFILES
from generator import commands
from generator.output.ledger import LEDGER, _first_unsafe, is_safe_name
from helpers import render_into, tree

MEMORY = 1 << 30
runner = CliRunner()


def _limited() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def gen(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=90, preexec_fn=_limited, check=False)


@pytest.fixture
def estate(tmp_path: Path) -> tuple[Path, Path]:
    """caffeine, rendered: (profile, tree)."""
    (tmp_path / "values").mkdir()
    profile = tmp_path / "caffeine.yaml"
    profile.write_text((PROFILES / "caffeine.yaml").read_text())
    return profile, render_into(profile, tmp_path / "out")


def _edit(root: Path, change: Any) -> None:
    ledger = json.loads((root / LEDGER).read_text())
    change(ledger)
    (root / LEDGER).write_text(json.dumps(ledger))


@pytest.mark.parametrize("name", ["/dev/zero", "fifo", "/", "..", "../..", "values/../../.."])
def test_inputs_a_ledger_names_outside_the_repository_or_not_regular_are_not_read(
    estate: tuple[Path, Path], name: str
) -> None:
    profile, root = estate
    os.mkfifo(profile.parent / "fifo")
    expected = tree(root)
    _edit(root, lambda ledger: ledger["inputs"]["files"].append(name))
    completed = gen("render", profile.name, "--out", "out", cwd=profile.parent)
    assert completed.returncode == 0, completed.stderr
    assert "inputs unchanged" not in completed.stdout  # nothing proven: rendered again
    assert tree(root) == expected, "the full render wrote the ledger as it was"


@pytest.mark.parametrize(
    "change",
    [
        lambda ledger: ledger["inputs"]["warnings"].append(1),
        lambda ledger: ledger["inputs"]["warnings"].append({"message": "x", "location": ["x"]}),
        lambda ledger: ledger["inputs"]["warnings"].append({"message": "x", "location": ["x", "one", 1]}),
        lambda ledger: ledger["inputs"].update(files="values"),
        lambda ledger: ledger["inputs"].update(files=[7]),
        lambda ledger: ledger.update(keys=[]),
        lambda ledger: ledger.update(profile=["caffeine"]),
        lambda ledger: ledger["files"].update({"../../victim.txt": "0"}),
        lambda ledger: ledger["files"].update({"x": 1}),
    ],
    ids=["warning-not-object", "short-location", "line-not-number", "files-a-string", "file-not-string",
         "keys-a-list", "profile-a-list", "entry-outside", "hash-not-string"],
)
def test_a_malformed_ledger_is_not_a_gen_ledger_at_its_path(estate: tuple[Path, Path], change: Any) -> None:
    profile, root = estate
    _edit(root, change)
    for args in ([], ["--check"]):
        result = runner.invoke(commands.app, ["render", str(profile), "--out", str(root.parent), *args])
        assert result.exit_code == 2, result.output
        assert f"{root / LEDGER}: error: is not a gen ledger: " in result.stderr


def test_a_ledger_nested_past_the_json_parser_is_not_a_gen_ledger(estate: tuple[Path, Path]) -> None:
    profile, root = estate
    (root / LEDGER).write_text('{"files": ' + "[" * 100_000 + "]" * 100_000 + "}")
    completed = gen("render", profile.name, "--out", "out", cwd=profile.parent)
    assert completed.returncode == 2 and "is not a gen ledger: not JSON" in completed.stderr, completed.stderr


@pytest.mark.parametrize("kind", ["link", "fifo", "huge"])
def test_a_ledger_that_is_not_a_small_regular_file_is_refused(estate: tuple[Path, Path], kind: str) -> None:
    profile, root = estate
    ledger = root / LEDGER
    if kind == "link":
        shutil.copy(ledger, profile.parent / "copy.json")
        ledger.unlink()
        ledger.symlink_to(profile.parent / "copy.json")
    elif kind == "fifo":
        ledger.unlink()
        os.mkfifo(ledger)
    else:
        with ledger.open("r+b") as file:
            file.truncate(65 << 20)  # sparse: costs no disk
    completed = gen("render", profile.name, "--out", "out", "--check", cwd=profile.parent)
    assert completed.returncode == 2, completed.stderr
    reason = {"link": "it is a symbolic link", "fifo": "it is a FIFO, not a regular file",
              "huge": "it is larger than 64 MiB"}[kind]
    assert f"out/caffeine/.gen/manifest.json: error: is not a gen ledger: {reason}" in completed.stderr


def test_a_gen_file_replaced_by_a_link_to_the_same_bytes_outside_is_not_up_to_date(estate: tuple[Path, Path]) -> None:
    profile, root = estate
    target = root / "clusters/app-blk-east-0/control-plane/controlplane-values.yaml"
    outside = profile.parent / "copy.yaml"
    shutil.copy(target, outside)
    target.unlink()
    target.symlink_to(outside)
    for args in (["--check"], []):
        completed = gen("render", profile.name, "--out", "out", *args, cwd=profile.parent)
        assert completed.returncode == 2, completed.stdout
        assert "a symbolic link leads it outside" in completed.stderr


@pytest.mark.parametrize("kind", ["fifo", "link to a device", "linked folder"])
def test_a_gen_file_replaced_by_something_unreadable_never_blocks(estate: tuple[Path, Path], kind: str) -> None:
    profile, root = estate
    target = root / "clusters/app-blk-east-0/control-plane/controlplane-values.yaml"
    if kind == "fifo":
        target.unlink()
        os.mkfifo(target)
    elif kind == "link to a device":
        target.unlink()
        target.symlink_to("/dev/zero")
    else:
        folder = target.parent
        folder.rename(profile.parent / "moved")
        folder.symlink_to(profile.parent / "moved")
    completed = gen("render", profile.name, "--out", "out", "--check", cwd=profile.parent)
    assert completed.returncode in (1, 2), completed.stderr
    assert "up to date" not in completed.stdout and "internal error" not in completed.stderr


@settings(max_examples=400, deadline=None)
@given(st.lists(st.text(alphabet="a./\0\n", max_size=6), max_size=5))
def test_the_ledger_finds_an_unsafe_name_as_the_rule_for_one_name_does(names: list[str]) -> None:
    # The no-change path checks thousands of names at once (substring searches); it must refuse exactly
    # what is_safe_name refuses, and name the first such entry.
    assert _first_unsafe(names) == next((name for name in names if not is_safe_name(name)), None)


@pytest.mark.parametrize("field", ["files", "keys"])
@pytest.mark.parametrize("value", [1, None, ["x"], {"a": "b"}, True])
def test_a_ledger_map_with_a_value_that_is_not_a_string_is_refused(
        estate: tuple[Path, Path], field: str, value: object) -> None:
    profile, root = estate
    ledger = root / LEDGER
    body = json.loads(ledger.read_text("utf-8"))
    first = sorted(body[field])[0]
    body[field][first] = value
    ledger.write_text(json.dumps(body, indent=2, sort_keys=True) + "\n", "utf-8")
    completed = gen("render", profile.name, "--out", "out", "--check", cwd=profile.parent)
    assert completed.returncode == 2, completed.stderr
    assert f"is not a gen ledger: `{field}` is not a map of strings" in completed.stderr
