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
