"""Issue 11, acceptance 3: a phase that moves a namespace carrying an L7 AuthorizationPolicy on a
selector into ambient before a waypoint is in its path is refused, naming the phase and the
policy; the same profile with the waypoint deployed before the move passes."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import PROFILES
from generator.pipeline import render_profile
from generator.problems import ProfileError
from helpers import render_into, write_profile

PHASE = "\nmigration:\n  phases:\n  - name: legacy-to-ambient\n    namespaces: [legacy]\n"
LEGACY_POLICIES = "  policies: policies/legacy/httpbin-get-only.yaml\n"


WAYPOINT = "  waypoint:                        # deployed in the migration's prepare step, before the move\n"


def _profile(tmp_path: Path, with_waypoint: bool) -> Path:
    """The waypoints example, its legacy namespace moved by a phase of our own, with or without the
    waypoint the example gives it."""
    shutil.copytree(PROFILES / "policies", tmp_path / "policies", dirs_exist_ok=True)
    text = (PROFILES / "waypoints.yaml").read_text()
    text = text[: text.index("\nmigration:")] + "\n" + PHASE
    waypoint = text[text.index(WAYPOINT) : text.index(LEGACY_POLICIES)]
    text = text.replace(waypoint, "  waypoint:\n    for: service\n" if with_waypoint else "")
    return write_profile(tmp_path, text, "waypoints.yaml")


def test_moving_an_l7_policy_into_ambient_without_a_waypoint_is_refused_naming_phase_and_policy(tmp_path: Path) -> None:
    profile = _profile(tmp_path, with_waypoint=False)
    with pytest.raises(ProfileError) as raised:
        render_profile(profile)
    (problem,) = [p for p in raised.value.problems if p.is_error]
    assert problem.rule == "l7-policy-on-ztunnel"
    assert problem.message.startswith("phase 1 'legacy-to-ambient': policy httpbin-get-only uses methods")
    assert "ztunnel turns it into a DENY" in problem.message
    assert problem.path == ("migration", "phases", 0, "namespaces", 0)
    assert problem.location is not None and problem.location.file == str(profile)
    text = profile.read_text().splitlines()
    assert text[problem.location.line - 1].strip() == "namespaces: [legacy]"


def test_the_same_phase_passes_with_the_waypoint_deployed_before_the_move(tmp_path: Path) -> None:
    profile = _profile(tmp_path, with_waypoint=True)
    root = render_into(profile, tmp_path / "out", phase="legacy-to-ambient")
    legacy = root / "clusters/east-0/namespaces/legacy"
    assert (legacy / "gateway-waypoint.yaml").is_file()
    policy = (legacy / "authorizationpolicy-httpbin-get-only.yaml").read_text()
    assert "targetRefs" in policy and "selector" not in policy.split("spec:", 1)[1].split("rules:")[0]
