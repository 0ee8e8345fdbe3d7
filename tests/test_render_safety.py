"""No profile value can change the structure or the types of the output."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

import jinja2

import pytest
from ruamel.yaml import YAML

from generator.plan import ObjectIdentity, Output, Plan, TemplateContext
from generator.output.render import RenderError, make_environment, quote, render
from helpers import render_into, variant

TRICKY = [
    "yes", "No", "on", "OFF", "y", "n", "true", "False", "null", "~", "",
    "1.20", "0777", "1e3", "0x1F", "+1", "-1", ".5", ".inf", "1_000", "12:30",
    "a: b", "- item", "#comment", "*alias", "&anchor", "!tag", "%directive", "@at", "`tick",
    "'single'", '"double"', "back\\slash", "{a: 1}", "[1, 2]", "x\ny", "tab\there", "cr\rlf",
    "trailing ", " leading", "---", "...", "é ünïcode ☕", "\u2028", "\x85", "\x00", "\ufeff",
    "kind: Secret\n---\napiVersion: v1",
]


@pytest.mark.parametrize("value", TRICKY)
def test_quote_reads_back_as_the_same_string(value: str) -> None:
    text = f"key: {quote(value)}\n"
    assert "\n" not in text[:-1], "a scalar must stay on one line"
    assert YAML(typ="safe", pure=True).load(text) == {"key": value}


@pytest.mark.parametrize("value", ["yes", "no", "on", "off", "y", "n", "true", "null", "~", "Yes", "ON"])
def test_yaml_1_1_keywords_are_quoted(value: str) -> None:
    """Kubernetes tooling reads YAML 1.1, where these become booleans or null."""
    assert quote(value).startswith('"')


def test_plain_scalars_stay_plain_where_safe() -> None:
    assert quote("caffeine-ws") == "caffeine-ws"
    assert quote("/opt/cni/bin") == "/opt/cni/bin"
    assert quote("*/caffeine") == '"*/caffeine"'
    assert quote(8080) == "8080"
    assert quote(True) == "true"


def test_a_hostile_display_name_cannot_add_keys_or_documents(tmp_path: Path) -> None:
    hostile = 'x\\"\\nkind: Secret\\n---\\napiVersion: v1\\nkind: Secret\\u2028'
    profile, _ = variant(tmp_path, ("  - name: caffeine-ws\n", f'  - name: caffeine-ws\n    displayName: "{hostile}"\n'))
    root = render_into(profile, tmp_path / "out")
    text = (root / "management-plane/tsb-mp/tsb/workspace-caffeine-ws.yaml").read_text("utf-8")
    documents = list(YAML(typ="safe", pure=True).load_all(text))
    assert len(documents) == 1
    workspace = documents[0]
    assert workspace["kind"] == "Workspace"
    assert workspace["spec"]["displayName"] == 'x"\nkind: Secret\n---\napiVersion: v1\nkind: Secret\u2028'
    assert set(workspace["spec"]) == {"displayName", "namespaceSelector"}


def _env_with(tmp_path: Path, template: str) -> jinja2.BaseLoader:
    (tmp_path / "t.yaml.j2").write_text(template)
    return jinja2.FileSystemLoader(str(tmp_path))


@dataclass(frozen=True, kw_only=True)
class _TestContext(TemplateContext):
    template: ClassVar[str] = "t.yaml.j2"
    name: str = ""


def _plan(identity: ObjectIdentity | None, name: str = "") -> Plan:
    return Plan("p", (Output("x.yaml", _TestContext(name=name), (), "test object", identity),))


def test_a_template_cannot_print_a_value_without_the_quote_filter(tmp_path: Path) -> None:
    environment = make_environment(_env_with(tmp_path, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ name }}\n"))
    with pytest.raises(RenderError, match="without the `q` filter"):
        render(_plan(None, name="a\nb: c"), environment)


def test_a_rendered_object_must_be_what_the_plan_declared(tmp_path: Path) -> None:
    environment = make_environment(_env_with(tmp_path, "apiVersion: v1\nkind: Secret\nmetadata:\n  name: {{ name | q }}\n"))
    with pytest.raises(RenderError, match="the plan declared"):
        render(_plan(ObjectIdentity("v1", "ConfigMap", "a"), name="a"), environment)


def test_a_rendered_file_must_be_one_document(tmp_path: Path) -> None:
    environment = make_environment(_env_with(tmp_path, "a: 1\n---\nb: 2\n"))
    with pytest.raises(RenderError, match="exactly one YAML mapping"):
        render(_plan(None), environment)


def test_undefined_template_variables_are_errors(tmp_path: Path) -> None:
    environment = make_environment(_env_with(tmp_path, "a: {{ missing | q }}\n"))
    with pytest.raises(RenderError, match="missing"):
        render(_plan(None), environment)
