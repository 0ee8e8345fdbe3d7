"""`gen validate` and the profile reader take only regular files within a size limit, and measure a
text's expansion and nesting before any parser or validator sees it: no hang, no crash in C or
Rust, each refusal at its file, line and column.

Each `gen` runs as a child with a memory and a time limit, so that a regression fails the test
instead of taking the machine down with it."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import PROFILES

MEMORY = 1 << 30


def _limited() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def gen(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=90, preexec_fn=_limited, check=False)


CONFIG_MAP = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n"


def _bomb(levels: int, indent: str = "  ") -> str:
    """Anchors of ten aliases each: 10**levels nodes once expanded, in a dozen lines."""
    lines = [f"{indent}a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"{indent}a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, levels + 1)]
    return "\n".join(lines) + "\n"


def test_validate_of_an_alias_bomb_is_refused_at_the_alias(tmp_path: Path) -> None:
    (tmp_path / "bomb.yaml").write_text(CONFIG_MAP + "data:\n" + _bomb(9))
    completed = gen("validate", "bomb.yaml", cwd=tmp_path)
    assert completed.returncode == 2, completed.stderr
    # a0..a4 hold about 123,000 nodes; each of a5's aliases adds a4's 111,111: the eighth passes a million
    assert "bomb.yaml:11:47: error: (profile): the file expands to more than 1000000 YAML nodes at this alias" \
        in completed.stderr


@pytest.mark.parametrize("depth", [300, 100_000])
def test_validate_of_deep_nesting_is_refused_before_the_parser(tmp_path: Path, depth: int) -> None:
    (tmp_path / "deep.yaml").write_text(CONFIG_MAP + "data: " + "[" * depth + "]" * depth + "\n")
    completed = gen("validate", "deep.yaml", cwd=tmp_path)
    assert completed.returncode == 2, completed.stderr
    assert "deep.yaml:5:206: error: (profile): the file nests deeper than 200 levels" in completed.stderr


def test_validate_of_deep_block_nesting_is_refused(tmp_path: Path) -> None:
    block = "".join(" " * level + f"k{level}:\n" for level in range(300))
    (tmp_path / "deep.yaml").write_text(CONFIG_MAP + "spec:\n" + block.replace("\n", "\n ", 299))
    completed = gen("validate", "deep.yaml", cwd=tmp_path)
    assert completed.returncode == 2 and "the file nests deeper than 200 levels" in completed.stderr, completed.stderr


def test_validate_reads_plain_anchors_as_before(tmp_path: Path) -> None:
    labels = "  labels: &labels {app: x}\n  annotations: *labels\n"
    (tmp_path / "ok.yaml").write_text(CONFIG_MAP + labels + "data: {a: b}\n")
    completed = gen("validate", "ok.yaml", cwd=tmp_path)
    assert completed.returncode == 0, completed.stderr


@pytest.mark.parametrize("kind", ["device", "fifo", "huge"])
def test_validate_takes_regular_files_of_a_bounded_size_only(tmp_path: Path, kind: str) -> None:
    if kind == "device":
        name, reason = "/dev/zero", "/dev/zero: error: is a character device, not a regular file"
    elif kind == "fifo":
        os.mkfifo(tmp_path / "pipe.yaml")
        name, reason = "pipe.yaml", "pipe.yaml: error: is a FIFO, not a regular file"
    else:
        with (tmp_path / "huge.yaml").open("wb") as file:
            file.truncate(17 << 20)
        name, reason = "huge.yaml", "huge.yaml: error: is larger than 16 MiB"
    completed = gen("validate", name, cwd=tmp_path)
    assert completed.returncode == 2, completed.stderr
    assert reason in completed.stderr


def test_validate_of_text_that_is_not_utf8_gives_its_line_and_column(tmp_path: Path) -> None:
    (tmp_path / "latin.yaml").write_bytes(CONFIG_MAP.encode() + b"data:\n  caf\xc3\xa9: caf\xe9\n")
    completed = gen("validate", "latin.yaml", cwd=tmp_path)
    assert completed.returncode == 2
    assert "latin.yaml:6:12: error: (profile): not UTF-8 text: byte 0xe9" in completed.stderr


def test_an_alias_bomb_profile_is_reported_at_the_alias(tmp_path: Path) -> None:
    text = (PROFILES / "caffeine.yaml").read_text().replace("profile: caffeine\n", "profile: caffeine\nx:\n" + _bomb(7))
    (tmp_path / "bomb.yaml").write_text(text)
    completed = gen("render", "bomb.yaml", cwd=tmp_path)
    assert completed.returncode == 2, completed.stderr
    line = text.splitlines().index("  a5: &a5 [*a4, *a4, *a4, *a4, *a4, *a4, *a4, *a4, *a4, *a4]") + 1
    assert f"bomb.yaml:{line}:12: error: (profile): the profile expands to more than 200000 YAML nodes at this alias" \
        in completed.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("command", [["render"], ["plan"], ["matrix"]])
def test_a_profile_that_is_a_fifo_or_a_device_is_refused(tmp_path: Path, command: list[str]) -> None:
    os.mkfifo(tmp_path / "pipe.yaml")
    for name in ("pipe.yaml", "/dev/zero"):
        completed = gen(*command, name, cwd=tmp_path)
        assert completed.returncode == 2, completed.stderr
        assert "not a regular file" in completed.stderr
