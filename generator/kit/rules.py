"""A kit's rules on rendered objects: each rule's JSON Schema against every object of its kinds
(built-in outputs and kit outputs alike; the items of a `v1 List` too), reported at the output
file:line and at the profile entry that produced the object."""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from typing import Any

import jsonschema_rs

from ..plan import Output
from ..problems import Problem, Severity
from ..validation.embedded import offline_validator, JsonPath, format_json_path
from ..validation.trace import position_of
from .model import Kit, KitRule
from .model import Severity as RuleSeverity


@lru_cache(maxsize=256)
def _validator(rule: KitRule) -> Any:
    return offline_validator(rule.schema)


def _objects(document: Any) -> Iterator[tuple[JsonPath, dict[str, Any]]]:
    if not isinstance(document, dict):
        return
    yield (), document
    if document.get("apiVersion") == "v1" and document.get("kind") == "List":
        for index, item in enumerate(document.get("items") or []):
            if isinstance(item, dict):
                yield ("items", index), item


def rule_problems(kit: Kit | None, output: Output, path: str, text: str, document: Any) -> list[Problem]:
    """Every rule of the kit that an object of the rendered file breaks."""
    if kit is None or not kit.rules or output.identity is None:
        return []
    problems = []
    for prefix, obj in _objects(document):
        api_version, kind = obj.get("apiVersion"), obj.get("kind")
        if not isinstance(api_version, str) or not isinstance(kind, str):
            continue
        for rule in kit.rules:
            if not rule.applies(api_version, kind):
                continue
            for error in _validator(rule).iter_errors(obj):
                where: JsonPath = (*prefix, *error.instance_path)
                line, column = position_of(text, 0, where)
                problems.append(Problem(
                    f"{path}:{line}:{column}: {format_json_path(where)}: breaks rule '{rule.name}' ({rule.description}): "
                    f"{error.message}",
                    f"kit-rule:{rule.name}", output.source,
                    (rule.hint or f"{output.description} breaks a rule of the kit {rule.kit}") + f" (rule: {rule.file})",
                    Severity.WARNING if rule.severity is RuleSeverity.WARNING else Severity.ERROR,
                ))
    return problems
