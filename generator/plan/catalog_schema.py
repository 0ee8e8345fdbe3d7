"""The shape of a catalog entry (`templates/apps/<app>/app.yaml`), as cerberus schemas.

An entry is checked in two passes: `ENTRY` for the document and each object's common keys, then
`OBJECT_SCHEMAS[kind]` for the keys an object of that kind may have. A mistake is a bug in gen, so
messages name the entry's keys as written, for the person editing the catalog.
"""

from __future__ import annotations

from typing import Any


from ..cerberus_validators import cerberus, cerberus_errors, leaf_errors
from ..kubernetes import ENV_NAME, INT32_MAX, INT64_MAX, LABEL_VALUE, QUALIFIED_NAME, QUANTITY
from ..problems import format_path
from .app_contexts import KINDS

DNS_LABEL = r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?\Z"

_TEXT = {"type": "string", "empty": False}
_NAME = {"type": "string", "required": True, "regex": DNS_LABEL, "maxlength": 63}
_PORT = {"type": "integer", "min": 1, "max": 65535}
_LABELS = {
    "type": "dict",
    "keysrules": {"type": "string", "regex": QUALIFIED_NAME},
    "valuesrules": {"type": "string", "regex": LABEL_VALUE},
}
_ANNOTATIONS = {"type": "dict", "keysrules": {"type": "string", "regex": QUALIFIED_NAME}, "valuesrules": {"type": "string"}}
RESOURCE_NAMES = ("cpu", "memory", "ephemeral-storage")
_QUANTITIES = {
    "type": "dict",
    "keysrules": {"type": "string", "allowed": list(RESOURCE_NAMES)},
    "valuesrules": {"type": "string", "regex": QUANTITY},
}


def _list_of(item: dict[str, Any], **rules: Any) -> dict[str, Any]:
    return {"type": "list", "schema": {"type": "dict", "schema": item}, **rules}


_CONTAINER = {
    "name": _NAME,
    "image": {**_TEXT, "required": True},
    "imagePullPolicy": {"type": "string", "allowed": ["Always", "IfNotPresent", "Never"]},
    # Each item is a string, or {file: <path under templates/>} for a program placed verbatim.
    "command": {
        "type": "list",
        "schema": {"type": ["string", "dict"], "schema": {"file": {**_TEXT, "required": True}}},
    },
    "env": _list_of({"name": {"type": "string", "required": True, "regex": ENV_NAME}, "value": {"type": "string", "required": True}}),
    "ports": {"type": "list", "schema": _PORT},
    "volumeMounts": _list_of({"name": _NAME, "mountPath": {**_TEXT, "required": True}}),
    "resources": {"type": "dict", "schema": {"limits": _QUANTITIES, "requests": _QUANTITIES}},
}

_VOLUME = {
    "name": _NAME,
    "emptyDir": {"type": "dict", "schema": {}},
    "configMap": {"type": "dict", "schema": {"name": _NAME, "optional": {"type": "boolean"}}},
    "secret": {"type": "dict", "schema": {"secretName": _NAME, "optional": {"type": "boolean"}}},
}

_COMMON = {
    "kind": {"type": "string", "required": True, "allowed": sorted(KINDS)},
    "name": _NAME,
    "template": _TEXT,
    "labels": _LABELS,
    "annotations": _ANNOTATIONS,
}

OBJECT_SCHEMAS: dict[str, dict[str, Any]] = {
    "ServiceAccount": _COMMON,
    "ConfigMap": _COMMON,
    "Service": {
        **_COMMON,
        "ports": _list_of(
            {"name": _NAME, "port": {**_PORT, "required": True}, "targetPort": _PORT}, required=True, minlength=1
        ),
        "selector": {**_LABELS, "required": True, "minlength": 1},
    },
    "Deployment": {
        **_COMMON,
        "selector": {**_LABELS, "required": True, "minlength": 1},
        "podLabels": {**_LABELS, "required": True, "minlength": 1},
        "podAnnotations": _ANNOTATIONS,
        "serviceAccountName": _NAME,
        "terminationGracePeriodSeconds": {"type": "integer", "min": 0, "max": INT64_MAX},
        "containers": _list_of(_CONTAINER, required=True, minlength=1),
        "volumes": _list_of(_VOLUME),
    },
}

ENTRY = {
    "description": {**_TEXT, "required": True},
    "source": {**_TEXT, "required": True},
    "parameters": {
        "type": "dict",
        "schema": {
            "replicas": {"type": "integer", "min": 0, "max": INT32_MAX},  # Deployment.spec.replicas: int32
            # container -> variable its program reads -> what it does (the value is in `objects`)
            "env": {"type": "dict", "valuesrules": {"type": "dict", "keysrules": {"type": "string", "regex": ENV_NAME},
                                                    "valuesrules": _TEXT}},
        },
    },
    "shared": {"type": "dict"},  # values the objects share through YAML anchors; not read otherwise
    "objects": {
        "type": "list",
        "required": True,
        "minlength": 1,
        "schema": {"type": "dict", "schema": _COMMON, "allow_unknown": True},
    },
}


def _message(error: Any) -> str:
    if error.code == cerberus_errors.UNKNOWN_FIELD.code:
        return "unknown key"
    if error.code == cerberus_errors.REQUIRED_FIELD.code:
        return "missing required key"
    return f"{error.rule} {error.constraint!r} does not allow {error.value!r}"


def shape_problems(document: Any, schema: dict[str, Any], prefix: tuple[str | int, ...] = ()) -> list[str]:
    """Every way `document` does not fit `schema`, as `path: message` lines."""
    if not isinstance(document, dict):
        return [f"{format_path(prefix)}: expected a mapping, got {type(document).__name__}"]
    errors = leaf_errors(cerberus.Validator, schema, document)
    return [f"{format_path((*prefix, *error.document_path))}: {_message(error)}" for error in errors]
