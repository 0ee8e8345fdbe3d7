"""A file the profile names (base values, a policy file, an entry of a policy folder) that is a
device, a FIFO or a link to one is refused in words, exit 2, nothing written: `baseValues: /dev/zero`
once read until memory ran out (found by the fuzzer). Each `gen` runs as a child with a memory and a
time limit, so that a regression fails the test instead of taking the machine down with it."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from conftest import PROFILES
from test_ledger_bounds import gen


def _copy(tmp_path: Path, name: str) -> Path:
    shutil.copytree(PROFILES / "values", tmp_path / "values")
    shutil.copytree(PROFILES / "policies", tmp_path / "policies")
    profile = tmp_path / name
    profile.write_text((PROFILES / name).read_text())
    return profile


def _refused(profile: Path, shown: str, reason: str) -> None:
    completed = gen("render", profile.name, "--out", "out", cwd=profile.parent)
    assert completed.returncode == 2, completed.stderr
    assert re.search(rf"error: .*{re.escape(shown)}: {reason}", completed.stderr), completed.stderr
    # where the profile names it: the error's own place, or a `named at` line
    assert re.search(rf"(^|named at: ){re.escape(profile.name)}:\d+:\d+", completed.stderr, re.M), completed.stderr
    assert "Traceback" not in completed.stderr
    assert not (profile.parent / "out").exists(), "nothing is written"


@pytest.mark.parametrize("kind", ["device", "fifo", "link-to-device"])
def test_base_values_that_are_not_a_regular_file_are_refused(tmp_path: Path, kind: str) -> None:
    profile = _copy(tmp_path, "multi-platform.yaml")
    target = {"device": "/dev/zero", "fifo": "values/pipe.yaml", "link-to-device": "values/zero.yaml"}[kind]
    if kind == "fifo":
        os.mkfifo(tmp_path / target)
    if kind == "link-to-device":
        (tmp_path / target).symlink_to("/dev/zero")
    text = profile.read_text()
    assert "baseValues: values/gke-prod-west-0.yaml" in text
    profile.write_text(text.replace("baseValues: values/gke-prod-west-0.yaml", f"baseValues: {target}"))
    reason = "is a FIFO, not a regular file" if kind == "fifo" else "is a character device, not a regular file"
    _refused(profile, target, reason)


@pytest.mark.parametrize("kind", ["device", "root-folder", "fifo-in-folder", "link-in-folder"])
def test_policy_files_that_are_not_regular_files_are_refused(tmp_path: Path, kind: str) -> None:
    profile = _copy(tmp_path, "waypoints.yaml")
    text = profile.read_text()
    assert "policies: policies/legacy/httpbin-get-only.yaml" in text
    if kind == "device":
        profile.write_text(text.replace("policies: policies/legacy/httpbin-get-only.yaml", "policies: /dev/zero"))
        _refused(profile, "/dev/zero", "is a character device, not a regular file")
        return
    if kind == "root-folder":  # not a walk of the whole disk
        profile.write_text(text.replace("policies: policies/legacy/httpbin-get-only.yaml", "policies: /"))
        completed = gen("render", profile.name, "--out", "out", cwd=profile.parent)
        assert completed.returncode == 2 and "policy folder / holds more than 10000 entries" in completed.stderr, \
            completed.stderr
        return
    folder = tmp_path / "policies" / "bookinfo"
    if kind == "fifo-in-folder":
        os.mkfifo(folder / "zz-pipe.yaml")
        _refused(profile, "zz-pipe.yaml", "is a FIFO, not a regular file")
    else:
        (folder / "zz-zero.yaml").symlink_to("/dev/zero")
        _refused(profile, "zz-zero.yaml", "is a character device, not a regular file")


@pytest.mark.parametrize("profile_name, key, original", [
    ("multi-platform.yaml", "baseValues", "values/gke-prod-west-0.yaml"),
    ("waypoints.yaml", "policies", "policies/legacy/httpbin-get-only.yaml"),
])
def test_a_named_file_with_a_nul_or_terminal_controls_is_refused_and_shown_escaped(
        tmp_path: Path, profile_name: str, key: str, original: str) -> None:
    """`baseValues: "\\0"` once ended in exit 3 (`ValueError: embedded null byte`; the fuzzer, seed
    5252). A name no file system can hold is refused in words, and whatever control characters it
    holds reach the terminal as escapes: none can clear the screen or forge a report line."""
    profile = _copy(tmp_path, profile_name)
    text = profile.read_text()
    assert f"{key}: {original}" in text
    profile.write_text(text.replace(f"{key}: {original}", f'{key}: "x\\0\\e[2J\\u202e.yaml"'))
    completed = gen("render", profile.name, "--out", "out", cwd=profile.parent)
    assert completed.returncode == 2, completed.stderr
    assert "Traceback" not in completed.stderr and "internal error" not in completed.stderr
    assert "x\\x00\\x1b[2J\\u202e.yaml" in completed.stderr, completed.stderr
    # base values are opened (no such name: refused in words); a policy path is looked up (none there)
    reason = "holds a NUL character, which no file name can" if key == "baseValues" else "does not exist"
    assert reason in completed.stderr, completed.stderr
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202e]", completed.stderr)
    assert not (profile.parent / "out").exists(), "nothing is written"
    annotated = gen("render", profile.name, "--out", "out", "--format", "github", cwd=profile.parent)
    assert annotated.returncode == 2 and annotated.stderr.startswith("::error file="), annotated.stderr
    assert "x\\x00\\x1b[2J\\u202e.yaml" in annotated.stderr, annotated.stderr  # a CI log is not coloured
    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202e]", annotated.stderr)
