"""Secrets written into the profile itself: the strings it renders (an app's env, labels and
annotations, the delivery repository URL) are judged by the rules live values pass, and each hit is
an error at its line; `notSecret` at the top keeps a false positive by its profile path."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from generator import commands
from helpers import render_into, variant
from secret_corpus import BY_CONTENT, CORPUS, block, line_of
from test_errors import assert_at, only, problems_of

APPS = "  apps: [caffeine]\n"
CHECKSUM = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b"


def with_annotations(tmp_path: Path, annotations: dict[str, str], *more: tuple[str, str]) -> tuple[Path, str]:
    rows = "".join(f"      {key}: {block(value, 8)}\n" for key, value in annotations.items())
    return variant(tmp_path, (APPS, f"  apps:\n  - name: caffeine\n    annotations:\n{rows}"), *more)


PLANTED = {f"note-{index:02}": value for index, value in enumerate(BY_CONTENT.values())}


def test_the_corpus_planted_in_profile_strings_is_refused_at_each_line(tmp_path: Path) -> None:
    path, text = with_annotations(tmp_path, PLANTED)
    out = tmp_path / "out"
    result = CliRunner().invoke(commands.app, ["render", str(path), "--out", str(out)])
    assert result.exit_code == 2 and not out.exists() and "Traceback" not in result.output
    problems = [p for p in problems_of(path) if p.rule == "secret-in-profile"]
    assert sorted(p.location.line for p in problems if p.location) == sorted(line_of(text, f"{key}:") for key in PLANTED)
    assert {p.path[-1] for p in problems} == set(PLANTED)
    for value in PLANTED.values():  # a report never repeats the secret
        assert value.split("\n")[0] not in result.stderr


@pytest.mark.parametrize(
    "old,new,where,path",
    [
        (APPS, "  apps:\n  - name: caffeine\n    env: {barista: {DB_PASSWORD: \"correct horse\"}}\n", "DB_PASSWORD",
         ("namespaces", 0, "apps", 0, "env", "barista", "DB_PASSWORD")),
        (APPS, "  apps:\n  - name: caffeine\n    labels: {api-token: \"abc123\"}\n", "api-token",
         ("namespaces", 0, "apps", 0, "labels", "api-token")),
        ("repoURL: https://git.example.com/platform/gitops.git",
         "repoURL: https://bot:Zx9Zx9Zx9Zx9@git.example.com/platform/gitops.git", "https://bot", ("delivery", "repoURL")),
        (APPS, "  apps:\n  - name: caffeine\n    annotations: {pwd: \"hunter2\"}\n", "pwd",
         ("namespaces", 0, "apps", 0, "annotations", "pwd")),
    ],
    ids=["env named like a password", "label named like a token", "credentials in the repo URL", "pwd"],
)
def test_a_secret_in_a_profile_string_is_an_error_at_it(tmp_path: Path, old: str, new: str, where: str, path: tuple[str | int, ...]) -> None:
    profile, text = variant(tmp_path, (old, new))
    problem = only(problems_of(profile), "secret-in-profile")
    assert problem.path == path
    assert problem.location is not None and problem.location.line == line_of(text, where)
    assert "notSecret" in problem.hint


def test_a_ca_certificate_in_the_profile_is_public(tmp_path: Path) -> None:
    path, _ = with_annotations(tmp_path, {"ca": CORPUS["ca_certificate"]})
    render_into(path, tmp_path / "out")


def test_not_secret_at_the_top_keeps_a_profile_value(tmp_path: Path) -> None:
    path, _ = with_annotations(tmp_path, {"commit": CHECKSUM})
    assert only(problems_of(path), "secret-in-profile").path[-1] == "commit"
    kept, _ = with_annotations(tmp_path, {"commit": CHECKSUM}, ("profile: caffeine\n", 'profile: caffeine\nnotSecret: ["namespaces[0].apps[0].annotations.commit"]\n'))
    root = render_into(kept, tmp_path / "out")  # and the gate lets it pass
    assert CHECKSUM in (root / "clusters/app-blk-east-0/namespaces/caffeine/deployment-barista-v1.yaml").read_text()


def test_a_top_level_not_secret_entry_must_name_a_value(tmp_path: Path) -> None:
    path, text = variant(tmp_path, ("profile: caffeine\n", 'profile: caffeine\nnotSecret: ["namespaces[0].nothing", tsb.organization]\n'))
    problems = problems_of(path)
    (error,) = [p for p in problems if p.rule == "not-secret" and p.is_error]
    assert error.path == ("notSecret", 0) and "names no value" in error.message
    assert_at(error, path, text, '"namespaces[0].nothing"')
