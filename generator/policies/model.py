"""An Istio AuthorizationPolicy (security.istio.io/v1) as a team wrote it, with where it is written.

gen keeps the spec as plain data in the file's key order (it passes through, or moves with its
rules untouched); the properties read what translation needs: how the policy is attached
(`selector`, `targetRef`, `targetRefs`, or none: the whole namespace), its action and its rules.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from ..problems import Location, ProfilePath
from ..profile.source_map import SourceMap
from ..profile.model_waypoints import PolicySource

API_VERSION = "security.istio.io/v1"
API_VERSIONS = (API_VERSION, "security.istio.io/v1beta1")  # the same schema; gen writes v1
KIND = "AuthorizationPolicy"
GATEWAY_GROUP = "gateway.networking.k8s.io"
SERVICE_ENTRY_GROUP = "networking.istio.io"
MAX_TARGET_REFS = 16

Pairs = tuple[tuple[str, str], ...]


class Action(StrEnum):
    ALLOW = "ALLOW"  # Istio's default
    DENY = "DENY"
    AUDIT = "AUDIT"
    CUSTOM = "CUSTOM"


class Attachment(StrEnum):
    NAMESPACE = "namespace"  # neither selector nor targetRef(s): every workload of the namespace
    SELECTOR = "selector"
    TARGET_REF = "targetRef"
    TARGET_REFS = "targetRefs"


ATTACHMENT_KEYS = (Attachment.SELECTOR.value, Attachment.TARGET_REF.value, Attachment.TARGET_REFS.value)


@dataclass(frozen=True)
class TargetRef:
    kind: str
    name: str
    group: str = ""
    spec_path: tuple[str | int, ...] = ()  # where it is written, below `spec`

    @property
    def is_gateway(self) -> bool:
        return self.kind == "Gateway" and self.group == GATEWAY_GROUP

    @property
    def is_service(self) -> bool:
        return self.kind == "Service" and self.group == ""


@dataclass(frozen=True)
class PolicyFile:
    """One YAML document of a policy file, and the positions of everything in it."""

    file: str  # on disk, as problems name it
    shown: str  # relative to the profile, as rendered comments name it (never an absolute path)
    document: int  # 0-based index among the file's documents
    positions: SourceMap

    def at(self, path: tuple[str | int, ...], at_key: bool = False) -> Location:
        return self.positions.locate(path, at_key)


@dataclass(frozen=True)
class AuthorizationPolicy:
    name: str
    namespace: str | None  # metadata.namespace as written (None: the profile's namespace)
    api_version: str
    labels: Pairs
    annotations: Pairs
    spec: Mapping[str, Any]  # as written, plain data
    source: PolicySource  # the profile entry that names the file
    written: PolicyFile

    @property
    def profile_path(self) -> ProfilePath:
        return self.source.path

    @property
    def attachment(self) -> Attachment:
        for key in ATTACHMENT_KEYS:
            if key in self.spec:
                return Attachment(key)
        return Attachment.NAMESPACE

    @property
    def selector(self) -> Mapping[str, str]:
        """`selector.matchLabels` (empty: every workload of the namespace)."""
        selector = self.spec.get("selector") or {}
        labels = selector.get("matchLabels") or {}
        return dict(labels)

    @property
    def targets(self) -> tuple[TargetRef, ...]:
        if "targetRef" in self.spec:
            return (_target(self.spec["targetRef"], ("targetRef",)),)
        return tuple(_target(ref, ("targetRefs", index)) for index, ref in enumerate(self.spec.get("targetRefs") or []))

    @property
    def action(self) -> Action:
        return Action(self.spec.get("action", Action.ALLOW.value))

    @property
    def provider(self) -> str | None:
        provider = self.spec.get("provider")
        return provider.get("name") if isinstance(provider, dict) else None

    @property
    def rules(self) -> tuple[Mapping[str, Any], ...]:
        return tuple(self.spec.get("rules") or ())

    def at(self, *spec_path: str | int, at_key: bool = False) -> Location:
        """The position of `spec.<spec_path>` in the policy file."""
        return self.written.at(("spec", *spec_path), at_key)


def _target(raw: Mapping[str, Any], spec_path: tuple[str | int, ...]) -> TargetRef:
    return TargetRef(raw["kind"], raw["name"], raw.get("group", ""), spec_path)
