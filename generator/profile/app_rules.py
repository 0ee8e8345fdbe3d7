"""The validation rules of app entries that need the catalog, and their problems.

`AppRules` is mixed into the profile's cerberus validator; `app_problem` turns the errors of app
entries (and of the formats app_schema.py names) into located problems with hints. Everything
else falls through to validate.py's general translation.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Mapping
from typing import Any


from ..cerberus_validators import cerberus_errors
from ..kubernetes import INT64_MAX, quantity_fault
from ..plan.catalog import app_names, catalog
from ..plan.namespaces import DATAPLANE_MODE_LABEL
from ..problems import Problem, ProfilePath
from .app_schema import FORMATS

UNKNOWN_APP = cerberus_errors.ErrorDefinition(0x10, "catalog_app")
DUPLICATE_APP = cerberus_errors.ErrorDefinition(0x11, "unique_apps")
UNKNOWN_CONTAINER = cerberus_errors.ErrorDefinition(0x12, "check_with")
RESERVED_LABEL = cerberus_errors.ErrorDefinition(0x13, "check_with")
BAD_QUANTITY = cerberus_errors.ErrorDefinition(0x14, "check_with")
NOT_AN_INTEGER = cerberus_errors.ErrorDefinition(0x15, "check_with")


def _app_name(entry: Any) -> str | None:
    if isinstance(entry, str):
        return entry
    name = entry.get("name") if isinstance(entry, dict) else None
    return name if isinstance(name, str) else None


class AppRules:
    """cerberus rules for `namespaces[].apps` (mixed into the profile's validator)."""

    # Provided by cerberus.Validator, which this class is mixed into.
    document: Any
    _error: Callable[..., None]

    def _validate_catalog_app(self, constraint: bool, field: str, value: Any) -> None:
        """{'type': 'boolean'}"""
        if constraint and isinstance(value, str) and value not in catalog():
            self._error(field, UNKNOWN_APP, value)

    def _validate_unique_apps(self, constraint: bool, field: str, value: Any) -> None:
        """{'type': 'boolean'}"""
        if not constraint or not isinstance(value, list):
            return
        first: dict[str, int] = {}
        for index, entry in enumerate(value):
            name = _app_name(entry)
            if name is None:
                continue
            if name in first:
                self._error(field, DUPLICATE_APP, index, name, first[name])
            else:
                first[name] = index

    def _check_with_not_boolean(self, field: str, value: Any) -> None:
        if isinstance(value, bool):
            self._error(field, NOT_AN_INTEGER, value)

    def _check_with_quantity(self, field: str, value: Any) -> None:
        fault = quantity_fault(value) if isinstance(value, (str, int)) else None
        if fault is not None:
            self._error(field, BAD_QUANTITY, fault)

    def _check_with_app_containers(self, field: str, value: Any) -> None:
        app = catalog().get(_app_name(self.document) or "")
        if app is None or not isinstance(value, dict):
            return
        for container in value:
            if container not in app.containers:
                self._error(field, UNKNOWN_CONTAINER, container, app.name, app.containers)

    def _check_with_free_labels(self, field: str, value: Any) -> None:
        app = catalog().get(_app_name(self.document) or "")
        if app is None or not isinstance(value, dict):
            return
        for key in value:
            if key == DATAPLANE_MODE_LABEL:
                self._error(field, RESERVED_LABEL, key, "use the app's `ambient: true|false` to enroll its pods")
            elif key in app.label_keys:
                self._error(
                    field, RESERVED_LABEL, key,
                    f"the catalog sets '{key}' on app '{app.name}' and its selectors rely on it; choose another key",
                )


def _closest_hint(word: str, options: tuple[str, ...], what: str) -> str:
    close = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    return (f"did you mean '{close[0]}'? " if close else "") + f"{what}: {', '.join(options)}"


def _type_of(value: Any) -> str:
    if isinstance(value, bool):
        return f"a boolean ({str(value).lower()})"
    if isinstance(value, (int, float)):
        return f"a number ({_shown(value)})"
    return "a list" if isinstance(value, list) else "a mapping" if isinstance(value, dict) else repr(value)


def _shown(value: Any) -> str:
    """A number or quantity for a message; one of hundreds of digits, shortened."""
    text = value if isinstance(value, str) else str(value)
    return (repr(text) if isinstance(value, str) else text) if len(text) <= 40 else f"{text[:12]}... ({len(text)} characters)"


def _rules(schema: Mapping[str, Any], schema_path: tuple[Any, ...]) -> Mapping[str, Any]:
    """The rules at `schema_path` (the path of a failed rule, without the rule)."""
    node: Any = schema
    for part in schema_path:
        node = node.get(part, {}) if isinstance(node, Mapping) else {}
    return node if isinstance(node, Mapping) else {}


def app_problem(error: Any, schema: Mapping[str, Any]) -> Problem | None:
    """The problem for an app-related cerberus error; None for errors validate.py translates."""
    path: ProfilePath = tuple(error.document_path)
    value = error.value
    if error.code == UNKNOWN_APP.code:
        hint = _closest_hint(str(value), app_names(), "apps of the catalog")
        return Problem(f"{value!r} is not an app of the catalog", "enum", path, hint)
    if error.code == DUPLICATE_APP.code:
        index, name, first = error.info
        return Problem(
            f"app '{name}' is listed twice (also at apps[{first}])", "duplicate-item", (*path, index),
            "list each app once per namespace; put all its parameters in one entry",
        )
    if error.code == UNKNOWN_CONTAINER.code:
        container, app, containers = error.info
        return Problem(
            f"app '{app}' has no container '{container}'", "unknown-container", (*path, container),
            "env is set per container: " + _closest_hint(container, containers, f"containers of '{app}'"),
            at_key=True,
        )
    if error.code == RESERVED_LABEL.code:
        key, hint = error.info
        return Problem(f"label '{key}' is the catalog's to set", "reserved-label", (*path, key), hint, at_key=True)
    if error.code == NOT_AN_INTEGER.code:
        return Problem(f"expected a whole number, got {_type_of(value)}", "type", path, "write a number such as 2")
    rules = _rules(schema, tuple(error.schema_path)[:-1])
    fmt = rules.get("meta", {}).get("format")
    fault = error.info[0] if error.code == BAD_QUANTITY.code and error.info else None
    if fault == "too-large":
        return Problem(
            f"{_shown(value)} is more than Kubernetes holds: a quantity is at most 2^63-1 ({INT64_MAX}) cores or bytes",
            "range", path, "Kubernetes would cap it without a word; write the amount you mean, such as 64Gi or \"16\"",
        )
    if fault == "too-precise":
        return Problem(
            f"{_shown(value)} is finer than Kubernetes holds: a quantity counts in steps of 1n (a billionth)",
            "range", path, "Kubernetes would round it up without a word; write whole n, m or units: 1n, 100m, \"0.5\"",
        )
    if error.code == BAD_QUANTITY.code or (fmt == "quantity" and error.code == cerberus_errors.BAD_TYPE.code):
        return Problem(
            f"{value!r} is not a Kubernetes quantity" if isinstance(value, str) else f"{_type_of(value)} is not a Kubernetes quantity",
            "quantity", path,
            "write a number with an optional suffix, as a string where it has a point: 100m (0.1 CPU), \"0.5\", 128Mi, 1Gi",
        )
    if fmt == "app" and error.code == cerberus_errors.BAD_TYPE.code:
        return Problem(
            f"expected an app name or a mapping with `name:`, got {_type_of(value)}", "type", path,
            "write `- caffeine`, or `- {name: caffeine, replicas: 2}`",
        )
    if error.code == cerberus_errors.MIN_VALUE.code:
        return Problem(f"must be at least {error.constraint}, got {value}", "range", path, "write 0 or more")
    if error.code == cerberus_errors.MAX_VALUE.code:
        return Problem(
            f"must be at most {error.constraint}, got {_shown(value)}", "range", path,
            f"Kubernetes holds this count as a {error.constraint.bit_length() + 1}-bit number",
        )
    if error.code == cerberus_errors.REGEX_MISMATCH.code and fmt in FORMATS:
        what, hint = FORMATS[fmt]
        at_key = "keysrules" in tuple(error.schema_path)[-2:]
        return Problem(f"{value!r} is not {what}", fmt, path, hint, at_key=at_key)
    return None
