"""One writer for every YAML gen emits (issue 19, case 3): the merged helm values follow the rules the
templates' `q` follows (generator/yaml_text.py), and every text reads back as the data it holds
under a YAML 1.1 reader (helm's: `on` and `y` are booleans, `1:20` is 80, NEL a line break) and a
YAML 1.2 one (ruamel.yaml, ryaml).

Before, the merged values were written by ruamel's own rules, which are YAML 1.2's: a live
`a: "on"` came out as `a: on` (true, to helm), `"1:20"` as `1:20` (80), a NEL raw (a space), and a
number ryaml cannot read stopped the render with exit 3.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest
import ryaml
from hypothesis import given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML
from typer.testing import CliRunner

from generator import commands
from generator.output.render import quote
from generator.yaml_text import Yaml11Loader, _PLAIN_NUMBERISH, dump, prints_plain, prove, read_yaml_1_1, read_yaml_1_2
from helpers import render_into, variant
from test_errors import assert_at, problems_of

import yaml

CONTROL_PLANE = "clusters/app-blk-east-0/control-plane/controlplane-values.yaml"
AMBIENT = "  ambient:\n    enabled: true\n"
# What YAML 1.1 or 1.2 readers take for something other than a string, or lose, when written plain.
TRICKY = ["on", "off", "yes", "no", "y", "n", "Y", "N", "ON", "true", "null", "~", "", "1:20", "190:20:30",
          "0o17", "017", "0x1F", "0b101", "1_000", "1e3", "1.5e3", "12e03", "1.0e+3", ".inf", "-.inf", ".nan",
          "+1", "-1", ".5", "1.", "2001-01-01", "2001-12-14t21:59:43.10-05:00", "=", "<<", "a\x85b", "a\u2028b",
          "a\u2029b", "\ufeffbom", "tab\there", "x\ny", "a: b", "#c", "*a", "&a", "!t", "%d", "@", "`", "'q'",
          '"dq"', "back\\slash", "{a: 1}", "[1]", " lead", "trail ", "---", "..."]


def readers(text: str) -> list[Any]:
    return [yaml.load(text, Loader=Yaml11Loader), YAML(typ="safe", pure=True).load(text), ryaml.loads(text)]


@pytest.mark.parametrize("value", TRICKY)
def test_q_writes_a_string_every_reader_reads_back(value: str) -> None:
    text = f"key: {quote(value)}\n"
    assert "\n" not in text[:-1] and "\x85" not in text and "\u2028" not in text
    for found in readers(text):
        assert found == {"key": value}


@pytest.mark.parametrize("value", ["1:20", "on", "y", "0o17", "1_000", ".inf", "a\x85b", "a\u2028b", "a\u2029b"])
def test_q_quotes_and_escapes_what_the_issue_names(value: str) -> None:
    token = quote(value)
    assert token.startswith('"') and token.isascii()


@pytest.mark.parametrize("value", TRICKY + ["caffeine", "/opt/cni/bin", "50m", "128Mi", "30s", "1.12.1", "10.0.0.1"])
def test_the_merged_values_and_the_templates_spell_a_string_alike(value: str) -> None:
    assert dump({"key": value}) == f"key: {quote(value)}\n"


@settings(max_examples=300, deadline=None, database=None)
@given(st.text(st.characters(codec="utf-8"), max_size=12))
def test_any_string_reads_back_from_q_and_from_the_writer(value: str) -> None:
    assert readers(f"key: {quote(value)}\n") == [{"key": value}] * 3
    text = dump({value: [value, {"x": value}]})
    assert prove(text, {value: [value, {"x": value}]}) is None


@settings(max_examples=300, deadline=None, database=None)
@given(st.from_regex(_PLAIN_NUMBERISH, fullmatch=True))
def test_what_prints_plain_with_digits_is_a_string_to_every_reader(value: str) -> None:
    assert prints_plain(value)
    assert readers(f"key: {value}\n") == [{"key": value}] * 3


@pytest.mark.parametrize("number", [0, -7, 10**30, 1.5, 1e30, 1e-5, -0.0, math.inf, -math.inf, math.nan, True, False, None])
def test_numbers_booleans_and_null_read_back_alike(number: Any) -> None:
    text = dump({"n": number})
    assert prove(text, {"n": number}) is None, text


def with_live_values(tmp_path: Path, live: str, *more: tuple[str, str]) -> tuple[Path, str]:
    (tmp_path / "live.yaml").write_text(live, "utf-8")
    return variant(tmp_path, ("  platform: aks\n", "  platform: aks\n  baseValues: live.yaml\n"), *more)


LIVE = (
    "# saved with helm get values\n"
    'a: "on"   # a string, quoted by whoever wrote it\n'
    'b: "1:20"\n'
    'c: "0o17"\n'
    'd: "1_000"\n'
    'e: ".inf"\n'
    'f: "2001-01-01"\n'
    'g: "1e3"\n'
    'h: "x\\Ny"\n'
    'i: "x\\Ly\\Pz"\n'
    '"yes": "y"\n'
    "big: 1000000000000000000000000000000\n"
    "ratio: 0.5\n"
    "cpu: 100m\n"
    "tag: 1.12.1\n"
    "script: |\n  line one\n  line two\n"
)
EXPECTED = {
    "a": "on", "b": "1:20", "c": "0o17", "d": "1_000", "e": ".inf", "f": "2001-01-01", "g": "1e3", "h": "x\x85y",
    "i": "x\u2028y\u2029z", "yes": "y", "big": 10**30, "ratio": 0.5, "cpu": "100m", "tag": "1.12.1",
    "script": "line one\nline two\n",
}


def test_merged_live_values_read_back_the_same_under_yaml_1_1_and_1_2(tmp_path: Path) -> None:
    profile, _ = with_live_values(tmp_path, LIVE)
    text = (render_into(profile, tmp_path / "out") / CONTROL_PLANE).read_text("utf-8")
    for found in (read_yaml_1_1(text), read_yaml_1_2(text)):
        assert {key: found[key] for key in EXPECTED} == EXPECTED
    assert 'a: "on"   # a string, quoted by whoever wrote it\n' in text  # the comment stays
    assert 'h: "x\\x85y"\n' in text and "\x85" not in text and "\u2028" not in text
    assert "script: |\n  line one\n  line two\n" in text  # a literal block stays one
    assert "cpu: 100m\n" in text and "tag: 1.12.1\n" in text


@pytest.mark.parametrize("revision", ["on", "off", "yes", "no", "y", "n"])
def test_a_ztunnel_revision_that_yaml_1_1_reads_as_a_boolean_stays_a_string(tmp_path: Path, revision: str) -> None:
    profile, _ = with_live_values(tmp_path, "a: 1\n", (AMBIENT, f'{AMBIENT}    ztunnelRevision: "{revision}"\n'))
    text = (render_into(profile, tmp_path / "out") / CONTROL_PLANE).read_text("utf-8")
    assert f'ztunnelRevision: "{revision}"\n' in text
    for found in readers(text):
        assert found["spec"]["components"]["istio"]["ambient"]["ztunnelRevision"] == revision


def test_a_live_value_that_yaml_1_1_and_1_2_read_apart_is_a_located_error(tmp_path: Path) -> None:
    live = "a: on\nb: 1:20\nok: \"on\"\nlist: [1, 017]\ny: 2\nsecrets:\n  token: yes\nspec:\n  password: off\n"
    profile, _ = with_live_values(tmp_path, live)
    problems = [p for p in problems_of(profile) if p.rule == "ambiguous-value"]
    assert [p.message for p in problems] == [
        "'a' reads as true in YAML 1.1 (as helm reads it) and as \"on\" in YAML 1.2",
        "'b' reads as 80 in YAML 1.1 (as helm reads it) and as \"1:20\" in YAML 1.2",
        "'list[1]' reads as 15 in YAML 1.1 (as helm reads it) and as 17 in YAML 1.2",
        "the key of 'y' reads as true in YAML 1.1 (as helm reads it) and as \"y\" in YAML 1.2",
    ]  # the secrets, removed, are not named
    assert problems[0].hint == 'write true or "on", whichever is meant: gen writes only values that every YAML reader reads alike'
    assert problems[0].path == ("clusters", 0, "baseValues")
    assert_at(problems[0], tmp_path / "live.yaml", live, "on")
    assert_at(problems[2], tmp_path / "live.yaml", live, "017")
    assert_at(problems[3], tmp_path / "live.yaml", live, "y: 2")


def test_a_live_file_helm_cannot_read_is_a_located_error_and_exit_2(tmp_path: Path) -> None:
    profile, _ = with_live_values(tmp_path, "a: 1\nb: =\n")
    out = tmp_path / "out"
    result = CliRunner().invoke(commands.app, ["render", str(profile), "--out", str(out)])
    assert result.exit_code == 2, result.output
    assert f"{tmp_path / 'live.yaml'}:2:4: error: clusters[0].baseValues: base values file cannot be read as helm reads" in result.stderr
    assert not out.exists()



@pytest.mark.parametrize(("live", "needle"), [("a: 1\nb: 2001-13-45\n", "2001-13-45"), ("a: 1\nb: !!int abc\n", "!!int")])
def test_a_live_value_yaml_cannot_construct_is_a_located_error(tmp_path: Path, live: str, needle: str) -> None:
    """Parsed, but no value: an internal error (exit 3) before."""
    profile, _ = with_live_values(tmp_path, live)
    (problem,) = [p for p in problems_of(profile) if p.rule == "base-values"]
    assert problem.message.startswith("base values file holds a value YAML cannot read")
    assert_at(problem, tmp_path / "live.yaml", live, needle)


def test_live_timestamps_binaries_and_sets_come_out_as_they_went_in(tmp_path: Path) -> None:
    """ruamel copies a timestamp without its fraction and zone: the merge keeps the original."""
    live = "c: 2001-12-14t21:59:43.10-05:00\nd: 2001-12-14\nb: !!binary aGVsbG8=\ns: !!set {x, z}\n"
    profile, _ = with_live_values(tmp_path, live)
    text = (render_into(profile, tmp_path / "out") / CONTROL_PLANE).read_text("utf-8")
    expected = read_yaml_1_1(live)
    for found in (read_yaml_1_1(text), read_yaml_1_2(text)):
        assert {key: found[key] for key in expected} == expected
