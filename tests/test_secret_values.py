"""Live values (`baseValues`) pass one secret filter before anything is merged into them: TSB's
secret paths, keys that name secrets at any depth, values that look secret, through aliases and
merge keys; each removal is a warning at its line; `notSecret` keeps a false positive."""

from __future__ import annotations

import yaml

from pathlib import Path

import pytest
from typer.testing import CliRunner

from generator import commands
from generator.pipeline import render_profile
from generator.problems import Problem, Severity
from helpers import render_into, tree, variant
from secret_corpus import BY_CONTENT, CORPUS, KEY_ONLY, block, leaks, line_of, write
from test_errors import assert_at, only, problems_of

AMBIENT = "  ambient:\n    enabled: true\n"
CONTROL_PLANE = "clusters/app-blk-east-0/control-plane/controlplane-values.yaml"
S = "Leak-7f3Qz9w"  # a made-up secret: a plain word, so only its key or where it sits gives it away
PEM_B64 = CORPUS["base64_pem_private_key"]


def with_live_values(tmp_path: Path, values: str, *more: tuple[str, str]) -> tuple[Path, str]:
    write(tmp_path / "live.yaml", values)
    return variant(tmp_path, (AMBIENT, AMBIENT + "  baseValues: live.yaml\n"), *more)


def gitops(lines: str) -> str:
    return "spec:\n  components:\n    gitops:\n      enabled: true\n" + "".join(f"      {line}\n" for line in lines.split("\n"))


def removal_warnings(path: Path) -> list[Problem]:
    return [p for p in render_profile(path).warnings if p.rule == "secret-removed"]


# Each shape once reached Git through `baseValues`: (live values file, what must not reach Git).
SHAPES = {
    "mapping under a secret key": (gitops(f"token: {{value: {S}}}"), S),
    "list under a secret key": (gitops(f"password: [{S}]"), S),
    "nested secrets": (gitops(f"nested:\n  secrets: {{a: {S}}}"), S),
    "plural tokens": (gitops(f"tokens: [{S}]"), S),
    "plural passwords": (gitops(f"passwords: {{x: {S}}}"), S),
    "tls.key holding a base64 PEM key": (gitops(f"tls:\n  key: {PEM_B64}"), PEM_B64),
    "dsn with a password": (gitops(f"dsn: postgres://admin:{S}@db:5432/app"), S),
    "authorization Basic": (gitops("authorization: " + CORPUS["basic_auth_header"]), CORPUS["basic_auth_header"][6:]),
    "pwd": (gitops(f"pwd: {S}"), S),
    "pass": (gitops(f"pass: {S}"), S),
    "privateKeyPem": (gitops(f"privateKeyPem: {S}"), S),
    "secretValue": (gitops(f"secretValue: {S}"), S),
    "client_secret_value": (gitops(f"client_secret_value: {S}"), S),
    "a JWK as a JSON string": (gitops("signer: " + block(CORPUS["jwk_json"], 8)), CORPUS["jwk_json"]),
    "secrets reached through an alias": (f"secrets: &s\n  thing: {S}\naliased: {{x: *s}}\n", S),
    "secrets reached through a merge key": (f"secrets: &s {{password: {S}, user: {S}2}}\nmerged: {{<<: *s}}\n", S),
}


@pytest.mark.parametrize("values,secret", SHAPES.values(), ids=SHAPES.keys())
def test_no_shape_of_secret_in_live_values_reaches_git(tmp_path: Path, values: str, secret: str) -> None:
    profile, _ = with_live_values(tmp_path, values)
    files = tree(render_into(profile, tmp_path / "out"))
    assert not leaks(files, secret)
    warnings = removal_warnings(profile)
    assert warnings, "each removal is a warning"
    for warning in warnings:  # at the line the secret is written on (an alias's: its anchor's)
        assert warning.location is not None and warning.location.file == str(tmp_path / "live.yaml")
        assert warning.location.line == line_of(values, secret)
        assert warning.severity is Severity.WARNING and secret not in warning.message + warning.hint


def test_merge_keys_resolve_into_plain_keys(tmp_path: Path) -> None:
    profile, _ = with_live_values(tmp_path, f"b: &b {{x: 1, token: {S}}}\nmerged: {{<<: *b, z: 2}}\nagain: {{<<: *b}}\n")
    values = (render_into(profile, tmp_path / "out") / CONTROL_PLANE).read_text("utf-8")
    assert "b: {x: 1}\nmerged: {z: 2, x: 1}\nagain: {x: 1}\n" in values  # own keys, then merged ones
    assert "<<" not in values and "&b" not in values and S not in values
    assert sorted(w.message.split("'")[1] for w in removal_warnings(profile)) == ["again.token", "b.token", "merged.token"]


def test_a_merge_of_the_secrets_block_is_removed_whole(tmp_path: Path) -> None:
    profile, _ = with_live_values(tmp_path, f"secrets: &s {{password: {S}}}\nmerged: {{<<: *s}}\n")
    values = (render_into(profile, tmp_path / "out") / CONTROL_PLANE).read_text("utf-8")
    assert "merged: {}\n" in values and S not in values


def test_an_alias_bomb_is_a_located_error(tmp_path: Path) -> None:
    rows = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    rows += [f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 10)}]" for i in range(5)]
    profile, _ = with_live_values(tmp_path, "\n".join(rows) + "\n")
    out = tmp_path / "out"
    result = CliRunner().invoke(commands.app, ["render", str(profile), "--out", str(out)])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert f"{tmp_path / 'live.yaml'}:" in result.stderr and "expand the file to more than" in result.stderr
    assert not out.exists()


def test_the_corpus_planted_in_live_values_stays_out_of_git(tmp_path: Path) -> None:
    """Every shape of the corpus under a key that says nothing, and the key-only one under a key
    that names a secret: none reaches the tree, each is reported at its line; the CA certificate
    is public and stays."""
    planted = {f"note{index:02}": value for index, value in enumerate(BY_CONTENT.values())}
    planted["dbPassword"] = CORPUS[KEY_ONLY[0]]
    planted["caBundle"] = CORPUS["ca_certificate"]
    values = "spec:\n  components:\n    oap:\n" + "".join(f"      {k}: {block(v, 8)}\n" for k, v in planted.items())
    profile, _ = with_live_values(tmp_path, values)
    files = tree(render_into(profile, tmp_path / "out"))
    for key, value in planted.items():
        if key != "caBundle":
            assert not leaks(files, value), f"{key} reached Git"
    assert CORPUS["ca_certificate"].split("\n")[1].encode() in files[CONTROL_PLANE]
    reported = {w.message.split("'")[1]: w.location.line for w in removal_warnings(profile) if w.location}
    assert reported == {f"spec.components.oap.{k}": line_of(values, f"{k}:") for k in planted if k != "caBundle"}


# --- notSecret: a false positive kept by name ------------------------------------------------------

CHECKSUM = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b"  # looks random (a hex digest): taken for a secret


def test_not_secret_keeps_a_false_positive_and_the_gate_lets_it_pass(tmp_path: Path) -> None:
    values = gitops(f"checksum: {CHECKSUM}")
    profile, _ = with_live_values(tmp_path, values)
    assert [w.message.split("'")[1] for w in removal_warnings(profile)] == ["spec.components.gitops.checksum"]
    assert "list 'spec.components.gitops.checksum' under `notSecret:`" in removal_warnings(profile)[0].hint
    kept, _ = with_live_values(tmp_path, values, ("  baseValues: live.yaml\n", "  baseValues: live.yaml\n  notSecret: [spec.components.gitops.checksum]\n"))
    assert not removal_warnings(kept)
    written = yaml.safe_load((render_into(kept, tmp_path / "out") / CONTROL_PLANE).read_text("utf-8"))
    assert written["spec"]["components"]["gitops"]["checksum"] == CHECKSUM


@pytest.mark.parametrize(
    "entry,rule,message",
    [
        ("secrets.tsb.cacert", "not-secret", "never go to Git"),
        ("spec.components.nothing", "not-secret", "names no value of live.yaml"),
    ],
)
def test_a_not_secret_entry_that_cannot_keep_is_an_error_at_the_entry(tmp_path: Path, entry: str, rule: str, message: str) -> None:
    values = f"secrets:\n  tsb:\n    cacert: {S}\n" + gitops("x: 1")
    path, text = with_live_values(tmp_path, values, ("  baseValues: live.yaml\n", f"  baseValues: live.yaml\n  notSecret: [{entry}]\n"))
    problem = only(problems_of(path), rule)
    assert message in problem.message and problem.severity is Severity.ERROR
    assert problem.path == ("clusters", 0, "notSecret", 0)
    assert_at(problem, path, text, entry)


def test_a_not_secret_entry_that_keeps_nothing_is_a_warning(tmp_path: Path) -> None:
    path, _ = with_live_values(tmp_path, gitops("x: 1"), ("  baseValues: live.yaml\n", "  baseValues: live.yaml\n  notSecret: [spec.components.gitops.x]\n"))
    (warning,) = [p for p in render_profile(path).warnings if p.rule == "not-secret"]
    assert "keeps nothing" in warning.message and warning.severity is Severity.WARNING


def test_not_secret_without_a_values_file_is_an_error(tmp_path: Path) -> None:
    path, text = variant(tmp_path, (AMBIENT, AMBIENT + "  notSecret: [spec.x]\n"))
    problem = only(problems_of(path), "not-secret")
    assert problem.path == ("clusters", 0, "notSecret")
    assert_at(problem, path, text, "notSecret")


def test_not_secret_must_be_a_list_of_paths(tmp_path: Path) -> None:
    path, text = with_live_values(tmp_path, gitops("x: 1"), ("  baseValues: live.yaml\n", "  baseValues: live.yaml\n  notSecret: spec.x\n"))
    (problem,) = problems_of(path)
    assert problem.path == ("clusters", 0, "notSecret") and problem.rule == "type"
    assert_at(problem, path, text, "spec.x")
