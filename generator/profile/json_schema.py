"""The profile's JSON Schema, derived from the cerberus schema (one source of truth), for editors
(yaml-language-server) and for teams that validate profiles with their own tools.

Rules JSON Schema cannot say (references between objects, unique names) stay with gen; the JSON
Schema catches shapes, types, enums, patterns and unknown keys while the profile is being typed.
"""

from __future__ import annotations

import json
from typing import Any

from .schema import PROFILE_SCHEMA

TYPES = {"string": "string", "integer": "integer", "boolean": "boolean", "dict": "object", "list": "array"}
SCHEMA_ID = "https://gen.invalid/profile.schema.json"


def _pattern(regex: str) -> str:
    """Python's end-of-text anchor as ECMA-262 spells it."""
    return regex.replace("\\Z", "$")


def _rules(rules: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    kinds = rules.get("type")
    if isinstance(kinds, list):
        out["type"] = [TYPES[kind] for kind in kinds]
    elif kinds:
        out["type"] = TYPES[kinds]
    is_list = kinds == "list"
    if "allowed" in rules:
        out["enum"] = list(rules["allowed"])
    if "regex" in rules:
        out["pattern"] = _pattern(rules["regex"])
    if rules.get("empty") is False and kinds == "string":
        out["minLength"] = 1
    for key, string_key, list_key in (("minlength", "minLength", "minItems"), ("maxlength", "maxLength", "maxItems")):
        if key in rules:
            out[list_key if is_list else string_key] = rules[key]
    for key, json_key in (("min", "minimum"), ("max", "maximum")):
        if key in rules:
            out[json_key] = rules[key]
    extra = rules.get("meta", {}).get("json_schema", {})  # what a `check_with` rule checks, as JSON Schema says it
    out.update({key: _pattern(value) if key == "pattern" else value for key, value in extra.items()})
    if rules.get("unique_items"):
        out["uniqueItems"] = True
    inner = rules.get("schema")
    if isinstance(inner, dict) and kinds == "dict":
        out.update(_object(inner))
    elif isinstance(inner, dict) and is_list:
        out["items"] = _rules(inner)
    if "keysrules" in rules:
        out["propertyNames"] = _rules(rules["keysrules"])
    if "valuesrules" in rules:
        out["additionalProperties"] = _rules(rules["valuesrules"])
    for key in ("anyof", "oneof"):
        if key in rules:
            out["anyOf" if key == "anyof" else "oneOf"] = [_rules({**_base(rules), **option}) for option in rules[key]]
    return out


def _base(rules: dict[str, Any]) -> dict[str, Any]:
    """The rules an `anyof` option shares with its parent (none of the option-defining ones)."""
    return {k: v for k, v in rules.items() if k not in ("anyof", "oneof", "type", "schema", "allowed", "regex")}


def _object(fields: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {name: _rules(rules) for name, rules in fields.items()},
        "required": sorted(name for name, rules in fields.items() if rules.get("required")),
        "additionalProperties": False,
    }


def profile_json_schema() -> dict[str, Any]:
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "gen profile",
        "description": "One estate of Istio ambient under Tetrate Service Bridge, as `gen render` reads it.",
        **_object(PROFILE_SCHEMA),
    }


def profile_json_schema_text() -> str:
    return json.dumps(profile_json_schema(), indent=2, sort_keys=True) + "\n"
