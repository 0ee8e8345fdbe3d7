"""The embedded validator: every document against its schema (the pack, or Kubernetes' own),
schemas compiled once per kind and run. It rejects what `kubeconform -strict` rejects: unknown
fields, wrong types, enums, missing required fields, and YAML 1.1 readings such as an unquoted `y`
(a boolean to Kubernetes tooling) where a string belongs."""

from __future__ import annotations

from dataclasses import dataclass
from collections.abc import Mapping
from functools import cache, lru_cache
from typing import TYPE_CHECKING, Any

import jsonschema_rs

from ..yaml_text import Yaml11Loader as Yaml11Loader  # YAML as Kubernetes tooling reads it
from .kubernetes import KUBERNETES_VERSION, kubernetes_schema
from .pack import VALUES_SCHEMAS, resource_schemas
from ..kit.active import active_kit

if TYPE_CHECKING:
    from ..kit.model import Kit

JsonPath = tuple[str | int, ...]


@dataclass(frozen=True)
class Finding:
    """One way a document does not fit its schema."""

    path: JsonPath  # inside the document
    message: str
    at_key: bool = False  # the finding is about the key at `path` (an unknown field), not its value


def format_json_path(path: JsonPath) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(document)"


def _no_retrieval(uri: str) -> Any:
    raise ValueError(f"gen fetches no schema: {uri} must be defined in the schema itself ($defs)")


def offline_validator(schema: Any) -> Any:
    """A compiled validator for a schema gen did not write (a kit's): a `$ref` to anything outside it
    (a URL, a file) is an error, never fetched or read."""
    return jsonschema_rs.validator_for(schema, retriever=_no_retrieval)


class EmbeddedValidator:
    """Compiles each schema the first time a document needs it."""

    def __init__(self, kubernetes_version: str = KUBERNETES_VERSION,
                 extra: Mapping[tuple[str, str], Any] | None = None, schemaless: frozenset[tuple[str, str]] = frozenset()) -> None:
        """`extra`: a kit's schemas, by (apiVersion, kind in lower case), before any other;
        `schemaless`: (apiVersion, kind) a kit declared to have no schema: not checked."""
        self.kubernetes_version = kubernetes_version
        self.extra = extra or {}
        self.schemaless = schemaless
        self._compiled: dict[tuple[str, str], Any] = {}

    def _validator(self, key: tuple[str, str]) -> Any:
        if key not in self._compiled:
            kind, name = key
            schema: dict[str, Any] | None
            if kind == "values":
                schema = VALUES_SCHEMAS[name]
            else:
                extra = self.extra.get((kind, name.lower()))
                if extra is not None:
                    self._compiled[key] = offline_validator(extra)
                    return self._compiled[key]
                schema = resource_schemas().get(key) or kubernetes_schema(*key, version=self.kubernetes_version)
            self._compiled[key] = jsonschema_rs.validator_for(schema) if schema is not None else None
        return self._compiled[key]

    def validate_values(self, document: Any, values_kind: str) -> list[Finding]:
        return self._run(self._validator(("values", values_kind)), document, ())

    def validate(self, document: Any) -> list[Finding]:
        """Findings for one Kubernetes object (a `v1 List`: each item too)."""
        if not isinstance(document, dict):
            return [Finding((), "a manifest must be a mapping")]
        api_version, kind = document.get("apiVersion"), document.get("kind")
        if not isinstance(api_version, str) or not isinstance(kind, str):
            return [Finding((), "a manifest needs `apiVersion` and `kind` strings")]
        if (api_version, kind) in self.schemaless:
            return []
        validator = self._validator((api_version, kind))
        if validator is None:
            return [Finding(("kind",), f"no schema for {kind} ({api_version}): not a kind gen knows")]
        findings = self._run(validator, document, ())
        if (api_version, kind) == ("v1", "List"):
            for index, item in enumerate(document.get("items") or []):
                findings += [Finding(("items", index, *f.path), f.message, f.at_key) for f in self.validate(item)]
        return findings

    @staticmethod
    def _run(validator: Any, document: Any, prefix: JsonPath) -> list[Finding]:
        findings = []
        for error in validator.iter_errors(document):
            path: JsonPath = (*prefix, *error.instance_path)
            unexpected = getattr(error.kind, "unexpected", None)
            if isinstance(unexpected, list) and len(unexpected) == 1:  # point at the unknown key itself
                findings.append(Finding((*path, str(unexpected[0])), error.message, at_key=True))
            else:
                findings.append(Finding(path, error.message))
        return findings


@cache
def shared_validator() -> EmbeddedValidator:
    """One validator per process: its compiled schemas serve every render and file."""
    return EmbeddedValidator()


def active_validator() -> EmbeddedValidator:
    """The validator of the profile being rendered: with its kits' schemas, if it has kits."""
    kit = active_kit()
    return shared_validator() if kit is None else _kit_validator(kit)


@lru_cache(maxsize=4)
def _kit_validator(kit: Kit) -> EmbeddedValidator:
    schemaless = frozenset((output.api_version, output.kind) for output in kit.outputs if output.schemaless)
    return EmbeddedValidator(extra=kit.schemas, schemaless=schemaless)
