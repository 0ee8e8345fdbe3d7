"""The shapes of a kit's declarations (`outputs/<name>.yaml`, `rules/<name>.yaml`) as JSON Schemas,
and the located problems of one declaration file."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import jsonschema_rs
import ryaml
import yaml

from ..problems import Location, Problem, ProfilePath
from ..profile.model import Dataplane
from ..validation.embedded import offline_validator, format_json_path
from ..validation.trace import position_of
from .model import Scope, Severity

RULE = "kit"
DNS_LABEL = r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"
# An object name with placeholders: {namespace}, {cluster}, {profile}.
NAME_PATTERN = r"^([a-z0-9]|\{(namespace|cluster|profile)\})([-a-z0-9.]|\{(namespace|cluster|profile)\})*$"
FILE_PATTERN = r"^([a-z0-9]|\{(kind|name|namespace|cluster)\})([-a-z0-9._]|\{(kind|name|namespace|cluster)\})*\.yaml$"

OUTPUT = {
    "type": "object",
    "additionalProperties": False,
    "required": ["description", "template", "scope", "apiVersion", "kind", "name"],
    "properties": {
        "description": {"type": "string", "minLength": 1},
        "template": {"type": "string", "minLength": 1},
        "scope": {"enum": [scope.value for scope in Scope]},
        "when": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "dataplane": {"type": "array", "minItems": 1, "uniqueItems": True,
                              "items": {"enum": [mode.value for mode in Dataplane]}},
            },
        },
        "apiVersion": {"type": "string", "pattern": r"^([a-z0-9]([-a-z0-9.]*[a-z0-9])?/)?v[0-9]+((alpha|beta)[0-9]+)?$"},
        "kind": {"type": "string", "pattern": r"^[A-Z][A-Za-z0-9]*$"},
        "name": {"type": "string", "pattern": NAME_PATTERN, "maxLength": 253},
        "namespace": {"type": "string", "pattern": DNS_LABEL, "maxLength": 63},
        "file": {"type": "string", "pattern": FILE_PATTERN, "maxLength": 200},
        "parameters": {"type": "object", "additionalProperties": {"type": "object"},
                       "propertyNames": {"pattern": r"^[a-zA-Z][a-zA-Z0-9_]*$"}},
        "required": {"type": "array", "uniqueItems": True, "items": {"type": "string"}},
        "enabled": {"type": "boolean"},
        "schemaless": {"type": "boolean"},
    },
}

RULE_DECLARATION = {
    "type": "object",
    "additionalProperties": False,
    "required": ["description", "kinds", "schema"],
    "properties": {
        "description": {"type": "string", "minLength": 1},
        "kinds": {"type": "array", "minItems": 1, "uniqueItems": True,
                  "items": {"type": "string", "pattern": r"^([a-z0-9.-]+/)?(v[0-9a-z]+/)?[A-Z][A-Za-z0-9]*$"}},
        "severity": {"enum": [severity.value for severity in Severity]},
        "hint": {"type": "string"},
        "schema": {"type": ["object", "boolean"]},
    },
}

_OUTPUT_VALIDATOR = offline_validator(OUTPUT)
_RULE_VALIDATOR = offline_validator(RULE_DECLARATION)


class Declaration:
    """One declaration file: its data, and located problems about it."""

    def __init__(self, shown: str, text: str, at: ProfilePath) -> None:
        self.shown, self.text, self.at = shown, text, at
        self.problems: list[Problem] = []
        try:
            self.data: Any = ryaml.loads(text)  # type: ignore[attr-defined]
        except ryaml.InvalidYamlError as error:  # type: ignore[attr-defined]
            line = _line_of(str(error))
            self.problem((), f"not valid YAML: {error}", line=line)
            self.data = None

    def problem(self, path: tuple[str | int, ...], message: str, hint: str = "", line: int | None = None,
                at_key: bool = False) -> None:
        if line is None:
            try:
                line, column = position_of(self.text, 0, path, at_key)
            except yaml.YAMLError:
                line, column = 1, 1
        else:
            column = 1
        where = f"{format_json_path(path)}: " if path else ""
        self.problems.append(Problem(f"{self.shown}: {where}{message}", RULE, self.at, hint,
                                     location=Location(self.shown, line, column)))

    def check_shape(self, validator: Any) -> bool:
        if self.problems:
            return False
        for error in validator.iter_errors(self.data):
            path = tuple(error.instance_path)
            unexpected = getattr(error.kind, "unexpected", None)
            if isinstance(unexpected, list) and len(unexpected) == 1:
                self.problem((*path, str(unexpected[0])), "unknown key", at_key=True,
                             hint=f"the keys of a kit declaration are {', '.join(sorted(_keys(validator)))}")
            else:
                self.problem(path, error.message)
        return not self.problems


def _keys(validator: Any) -> list[str]:
    schema: dict[str, Any] = OUTPUT if validator is _OUTPUT_VALIDATOR else RULE_DECLARATION
    return list(schema["properties"])


def _line_of(message: str) -> int | None:
    match = re.search(r"line (\d+)", message)
    return int(match.group(1)) if match else None


def output_declaration(shown: str, text: str, at: ProfilePath) -> Declaration:
    declaration = Declaration(shown, text, at)
    if declaration.check_shape(_OUTPUT_VALIDATOR):
        _output_semantics(declaration)
    return declaration


def rule_declaration(shown: str, text: str, at: ProfilePath) -> Declaration:
    declaration = Declaration(shown, text, at)
    if declaration.check_shape(_RULE_VALIDATOR):
        try:
            offline_validator(declaration.data["schema"])
        except (ValueError, jsonschema_rs.ValidationError) as error:
            declaration.problem(("schema",), f"not a valid JSON Schema: {error}")
    return declaration


def _output_semantics(declaration: Declaration) -> None:
    data = declaration.data
    scope = Scope(data["scope"])
    if "when" in data and scope is not Scope.NAMESPACE:
        declaration.problem(("when",), "`when` picks namespaces: only a namespace-scoped output takes it", at_key=True)
    if "namespace" in data and scope is Scope.NAMESPACE:
        declaration.problem(("namespace",), "a namespace-scoped output's objects live in each namespace it is "
                            "rendered for", "leave `namespace:` out", at_key=True)
    placeholders = set(re.findall(r"\{(\w+)\}", data["name"] + data.get("file", "")))
    known = {Scope.NAMESPACE: {"namespace", "cluster", "profile", "kind", "name"},
             Scope.CLUSTER: {"cluster", "profile", "kind", "name"},
             Scope.MANAGEMENT_PLANE: {"cluster", "profile", "kind", "name"},
             Scope.ESTATE: {"profile", "kind", "name"}}[scope]
    for unknown in sorted(placeholders - known):
        declaration.problem(("name",), f"{{{unknown}}} has no value for a {scope.value}-scoped output",
                            f"the placeholders a {scope.value}-scoped output may use: "
                            + ", ".join(f"{{{name}}}" for name in sorted(known)))
    parameters = data.get("parameters", {})
    for name in data.get("required", []):
        if name not in parameters:
            declaration.problem(("required",), f"{name!r} is not one of the output's parameters")
    for name, schema in parameters.items():
        try:
            validator = offline_validator(schema)
        except (ValueError, jsonschema_rs.ValidationError) as error:
            declaration.problem(("parameters", name), f"not a valid JSON Schema: {error}")
            continue
        if "default" in schema and not validator.is_valid(schema["default"]):
            declaration.problem(("parameters", name, "default"),
                                f"the default {json.dumps(schema['default'])} does not fit the parameter's own schema")


def parameters_schema(data: dict[str, Any]) -> dict[str, Any]:
    """The JSON Schema of an output's parameters: each named, none other."""
    return {"type": "object", "additionalProperties": False, "properties": data.get("parameters", {}),
            "required": list(data.get("required", []))}


def declared_problems(declarations: list[Declaration]) -> Iterator[Problem]:
    for declaration in declarations:
        yield from declaration.problems
