"""What an AuthorizationPolicy document may hold (Istio's security.istio.io/v1 API), checked with
cerberus, and the rules between its fields that the API states in prose.

Field names follow the Istio API reference: `spec.selector.matchLabels`, `spec.targetRef`,
`spec.targetRefs` (at most 16), `spec.action`, `spec.provider.name`, and `spec.rules[]` with
`from[].source`, `to[].operation` and `when[]` (`key`, `values`, `notValues`). Every value in a
rule is a list of strings (ports too: Istio reads "9080", not 9080).
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator, Mapping
from typing import Any


from ..cerberus_validators import cerberus, cerberus_errors, leaf_errors
from ..kubernetes import LABEL_VALUE, QUALIFIED_NAME
from ..problems import type_name
from .model import API_VERSIONS, ATTACHMENT_KEYS, GATEWAY_GROUP, KIND, MAX_TARGET_REFS, SERVICE_ENTRY_GROUP, Action

SOURCE_FIELDS = (
    "principals", "notPrincipals", "requestPrincipals", "notRequestPrincipals", "namespaces", "notNamespaces",
    "serviceAccounts", "notServiceAccounts", "ipBlocks", "notIpBlocks", "remoteIpBlocks", "notRemoteIpBlocks",
)
OPERATION_FIELDS = ("hosts", "notHosts", "ports", "notPorts", "methods", "notMethods", "paths", "notPaths")
# A Kubernetes object name (DNS-1123 subdomain) and a namespace name (DNS-1123 label).
OBJECT_NAME = r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\Z"
NAMESPACE_NAME = r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?\Z"

_STRINGS = {"type": "list", "schema": {"type": "string"}}
_TEXT = {"type": "string", "required": True, "empty": False}
_TARGET = {"group": {"type": "string"}, "kind": dict(_TEXT), "name": dict(_TEXT), "namespace": {"type": "string"}}
_LABELS = {
    "type": "dict",
    "keysrules": {"type": "string", "regex": QUALIFIED_NAME},
    "valuesrules": {"type": "string", "regex": LABEL_VALUE},
}


def _list_of(fields: dict[str, Any]) -> dict[str, Any]:
    return {"type": "list", "schema": {"type": "dict", "schema": fields}}


RULE = {
    "from": _list_of({"source": {"type": "dict", "schema": {name: _STRINGS for name in SOURCE_FIELDS}}}),
    "to": _list_of({"operation": {"type": "dict", "schema": {name: _STRINGS for name in OPERATION_FIELDS}}}),
    "when": _list_of({"key": dict(_TEXT), "values": _STRINGS, "notValues": _STRINGS}),
}
SPEC = {
    "selector": {"type": "dict", "schema": {"matchLabels": _LABELS}},
    "targetRef": {"type": "dict", "schema": _TARGET},
    "targetRefs": {"type": "list", "maxlength": MAX_TARGET_REFS, "schema": {"type": "dict", "schema": _TARGET}},
    "action": {"type": "string", "allowed": [action.value for action in Action]},
    "provider": {"type": "dict", "schema": {"name": dict(_TEXT)}},
    "rules": {"type": "list", "schema": {"type": "dict", "schema": RULE}},
}
DOCUMENT = {
    "apiVersion": {"type": "string", "required": True, "allowed": list(API_VERSIONS)},
    "kind": {"type": "string", "required": True, "allowed": [KIND]},
    "metadata": {
        "type": "dict",
        "required": True,
        "schema": {
            "name": {"type": "string", "required": True, "regex": OBJECT_NAME, "maxlength": 253},
            "namespace": {"type": "string", "regex": NAMESPACE_NAME, "maxlength": 63},
            "labels": _LABELS,
            "annotations": {"type": "dict", "keysrules": {"type": "string", "regex": QUALIFIED_NAME},
                            "valuesrules": {"type": "string"}},
        },
    },
    "spec": {"type": "dict", "schema": SPEC},
}

Finding = tuple[tuple[str | int, ...], str, str, bool]  # document path, message, hint, at the key


def _rules_at(path: tuple[str | int, ...]) -> Mapping[str, Any]:
    rules: Mapping[str, Any] = {"type": "dict", "schema": DOCUMENT}
    for part in path:
        inner = rules.get("schema", {})
        rules = inner if isinstance(part, int) else inner.get(part, {})
    return rules


def _finding(error: Any) -> Finding:
    path = tuple(error.document_path)
    key = path[-1] if path else ""
    value = error.value
    if error.code == cerberus_errors.UNKNOWN_FIELD.code:
        known = sorted(_rules_at(path[:-1]).get("schema", {}))
        close = difflib.get_close_matches(str(key), known, n=1, cutoff=0.6)
        hint = (f"did you mean '{close[0]}'? " if close else "") + f"keys allowed here: {', '.join(known)}"
        return path, f"unknown key '{key}' in an AuthorizationPolicy", hint, True
    if error.code == cerberus_errors.REQUIRED_FIELD.code:
        return path, f"missing required key '{key}'", f"add `{key}:` here", False
    if error.code == cerberus_errors.NOT_NULLABLE.code:
        return path, f"'{key}' is empty (null)", "give it a value or remove the key", False
    if error.code == cerberus_errors.BAD_TYPE.code:
        want = {"string": "a string", "list": "a list", "dict": "a mapping"}.get(error.constraint, error.constraint)
        quote = isinstance(value, (int, float))
        hint = "Istio reads every rule value as a string: quote it (\"9080\")" if quote else ""
        return path, f"expected {want}, got {type_name(value)}", hint, False
    if error.code == cerberus_errors.UNALLOWED_VALUE.code:
        allowed = ", ".join(str(option) for option in error.constraint)
        return path, f"{value!r} is not allowed here", f"allowed: {allowed}", False
    if error.code == cerberus_errors.MAX_LENGTH.code and key == "targetRefs":
        return path, f"{len(value)} targetRefs, Istio takes at most {MAX_TARGET_REFS}", "split the policy in two", False
    if error.code in (cerberus_errors.REGEX_MISMATCH.code, cerberus_errors.MAX_LENGTH.code):
        hint = "Kubernetes names: lowercase letters, digits, '-' and '.'"
        return path, f"{value!r} is not a valid {key}", hint, False
    return path, f"invalid value {type_name(value)} ({error.rule})", "", False


def shape_findings(document: Any) -> list[Finding]:
    """Every way the document does not fit the API's shape; a document of another kind gets only that."""
    if not isinstance(document, dict):
        return [((), f"expected an AuthorizationPolicy mapping, got {type_name(document)}", "", False)]
    if document.get("kind") != KIND:
        return [(("kind",), f"gen reads AuthorizationPolicies only, this document is {document.get('kind')!r}",
                 "keep other objects out of the files `policies:` names", False)]
    return [_finding(error) for error in leaf_errors(cerberus.Validator, DOCUMENT, document)]


def _targets(spec: Mapping[str, Any]) -> Iterator[tuple[tuple[str | int, ...], Mapping[str, Any]]]:
    if "targetRef" in spec:
        yield ("spec", "targetRef"), spec["targetRef"]
    for index, ref in enumerate(spec.get("targetRefs") or []):
        yield ("spec", "targetRefs", index), ref


def _target_findings(path: tuple[str | int, ...], ref: Mapping[str, Any], namespace: str) -> Iterator[Finding]:
    kind, group = ref.get("kind"), ref.get("group", "")
    known = {"Gateway": GATEWAY_GROUP, "Service": "", "ServiceEntry": SERVICE_ENTRY_GROUP}
    if kind == "GatewayClass":
        yield ((*path, "kind"), "a GatewayClass target is for policies in the root namespace only",
               f"attach it to the waypoint (kind: Gateway, group: {GATEWAY_GROUP}) or a Service", False)
    elif kind not in known:
        yield ((*path, "kind"), f"{kind!r} is not a kind a policy attaches to",
               "targetRefs name a Gateway, a Service (waypoints only) or a ServiceEntry", False)
    elif group != known[kind]:
        yield ((*path, "group" if "group" in ref else "kind"), f"a {kind} target needs group {known[kind]!r}",
               f"write `group: {known[kind]!r}`" if known[kind] else "remove the group (core API: \"\")", False)
    if ref.get("namespace", namespace) != namespace:
        yield ((*path, "namespace"), "a policy attaches to objects of its own namespace only",
               f"remove the namespace or write {namespace!r}", False)


def meaning_findings(document: Mapping[str, Any], namespace: str) -> list[Finding]:
    """The API's rules between fields, for a document that fits the shape."""
    found: list[Finding] = []
    spec = document.get("spec") or {}
    written = [key for key in ATTACHMENT_KEYS if key in spec]
    for key in written[1:]:
        found.append((("spec", key), f"`{written[0]}` and `{key}` are both set; Istio takes one of selector, "
                      "targetRef and targetRefs", "keep one: `selector` for ztunnel (or sidecars), `targetRefs` for a "
                      "waypoint", True))
    action = spec.get("action", Action.ALLOW.value)
    if action == Action.CUSTOM.value and "provider" not in spec:
        found.append((("spec", "action"), "a CUSTOM policy names its provider", "add `provider: {name: ...}`", False))
    if action != Action.CUSTOM.value and "provider" in spec:
        found.append((("spec", "provider"), "`provider` goes with `action: CUSTOM` only", "remove it", True))
    declared = (document.get("metadata") or {}).get("namespace", namespace)
    if declared != namespace:
        found.append((("metadata", "namespace"), f"this policy is for namespace {declared!r}, and the profile lists "
                      f"it under namespace {namespace!r}", "list the file under its own namespace", False))
    for path, ref in _targets(spec):
        found.extend(_target_findings(path, ref, namespace))
    for r, rule in enumerate(spec.get("rules") or []):
        for c, condition in enumerate(rule.get("when") or []):
            if not condition.get("values") and not condition.get("notValues"):
                found.append((("spec", "rules", r, "when", c), f"condition {condition.get('key')!r} has no values",
                              "give `values` or `notValues` (Istio needs one)", False))
    return found
