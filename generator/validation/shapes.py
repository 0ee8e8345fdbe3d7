"""Small builders for the JSON Schemas of the pack: strict objects, strings, enums."""

from __future__ import annotations

from typing import Any

Schema = dict[str, Any]

STRING: Schema = {"type": "string"}
NON_EMPTY: Schema = {"type": "string", "minLength": 1}
BOOLEAN: Schema = {"type": "boolean"}
INTEGER: Schema = {"type": "integer"}
ANY_OBJECT: Schema = {"type": "object"}
STRING_MAP: Schema = {"type": "object", "additionalProperties": {"type": "string"}}
DNS_LABEL: Schema = {"type": "string", "pattern": "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", "maxLength": 63}
DNS_SUBDOMAIN: Schema = {
    "type": "string",
    "pattern": "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$",
    "maxLength": 253,
}
REVISION: Schema = {"type": "string", "pattern": "^[a-z0-9](?:[-a-z0-9]*[a-z0-9])?$", "maxLength": 56}
QUANTITY: Schema = {
    "oneOf": [
        {"type": "string", "pattern": "^[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]+|[numkMGTPE]|[KMGTPE]i)?$"},
        {"type": "integer"},
    ]
}


def strict(properties: dict[str, Schema], required: tuple[str, ...] = ()) -> Schema:
    """An object with exactly these keys (unknown keys rejected, as kubeconform -strict does)."""
    schema: Schema = {"type": "object", "properties": properties, "additionalProperties": False}
    if required:
        schema["required"] = list(required)
    return schema


def open_object(properties: dict[str, Schema], required: tuple[str, ...] = ()) -> Schema:
    """An object whose known keys are checked and whose other keys are someone else's (live values)."""
    schema: Schema = {"type": "object", "properties": properties}
    if required:
        schema["required"] = list(required)
    return schema


def enum(*values: str) -> Schema:
    return {"type": "string", "enum": list(values)}


def array(items: Schema, max_items: int | None = None) -> Schema:
    schema: Schema = {"type": "array", "items": items}
    if max_items is not None:
        schema["maxItems"] = max_items
    return schema


def resource(api_version: str, kind: str, metadata: Schema, spec: Schema | None, **extra: Schema) -> Schema:
    """A Kubernetes-style object: apiVersion and kind fixed, metadata and spec as given."""
    properties: dict[str, Schema] = {
        "apiVersion": {"type": "string", "enum": [api_version]},
        "kind": {"type": "string", "enum": [kind]},
        "metadata": metadata,
        **extra,
    }
    required = ["apiVersion", "kind", "metadata"]
    if spec is not None:
        properties["spec"] = spec
        required.append("spec")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": f"{kind} ({api_version})",
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": False,
    }


def object_metadata(namespaced: bool = True) -> Schema:
    """Kubernetes ObjectMeta as gen writes it: name, namespace, labels, annotations."""
    properties = {"name": DNS_SUBDOMAIN, "labels": STRING_MAP, "annotations": STRING_MAP}
    if namespaced:
        properties["namespace"] = DNS_LABEL
    return strict(properties, ("name", "namespace") if namespaced else ("name",))
