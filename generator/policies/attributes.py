"""What each rule of a policy asks about a request, sorted by who can evaluate it in ambient.

- L7 attributes: only a waypoint reads them. ztunnel cannot evaluate `hosts`, `methods`, `paths`
  (and their `not` forms), `requestPrincipals`, `remoteIpBlocks` (and `not` forms), nor any `when`
  key other than source.ip, source.namespace, source.principal, destination.ip, destination.port.
- client attributes: who the caller is (peer principal, namespace, service account, source IP).
  ztunnel evaluates them, but behind a waypoint it sees the waypoint as the caller.
- the rest (ports, destination.*) holds wherever the policy is enforced.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .model import AuthorizationPolicy

L7_SOURCE = ("requestPrincipals", "notRequestPrincipals", "remoteIpBlocks", "notRemoteIpBlocks")
CLIENT_SOURCE = (
    "principals", "notPrincipals", "namespaces", "notNamespaces", "serviceAccounts", "notServiceAccounts",
    "ipBlocks", "notIpBlocks",
)
L7_OPERATION = ("hosts", "notHosts", "methods", "notMethods", "paths", "notPaths")
CLIENT_WHEN = ("source.ip", "source.namespace", "source.principal")
L4_WHEN = (*CLIENT_WHEN, "destination.ip", "destination.port")

SpecPath = tuple[str | int, ...]


@dataclass(frozen=True)
class Attribute:
    name: str  # as the API spells it: `methods`, `when request.headers[x-user]`
    spec_path: SpecPath  # where it is written, below `spec`
    negative: bool = False  # a `not…` field or `notValues`: it matches callers it does not name


@dataclass(frozen=True)
class RuleAttributes:
    index: int
    l7: tuple[Attribute, ...]
    client: tuple[Attribute, ...]

    @property
    def is_l4(self) -> bool:
        return not self.l7


def _sources(rule: Mapping[str, Any], index: int) -> tuple[list[Attribute], list[Attribute]]:
    l7: list[Attribute] = []
    client: list[Attribute] = []
    for f, item in enumerate(rule.get("from") or []):
        source = item.get("source") or {}
        for name in source:
            where = ("rules", index, "from", f, "source", name)
            if name in L7_SOURCE:
                l7.append(Attribute(name, where, name.startswith("not")))
            elif name in CLIENT_SOURCE:
                client.append(Attribute(name, where, name.startswith("not")))
    return l7, client


def rule_attributes(rule: Mapping[str, Any], index: int) -> RuleAttributes:
    l7, client = _sources(rule, index)
    for t, item in enumerate(rule.get("to") or []):
        operation = item.get("operation") or {}
        where = ("rules", index, "to", t, "operation")
        l7 += [Attribute(name, (*where, name)) for name in operation if name in L7_OPERATION]
    for c, condition in enumerate(rule.get("when") or []):
        key = condition.get("key", "")
        where = ("rules", index, "when", c, "key")
        if key not in L4_WHEN:
            l7.append(Attribute(f"when {key}", where))
        elif key in CLIENT_WHEN:
            client.append(Attribute(f"when {key}", where, bool(condition.get("notValues"))))
    return RuleAttributes(index, tuple(l7), tuple(client))


@dataclass(frozen=True)
class PolicyAttributes:
    rules: tuple[RuleAttributes, ...]

    @property
    def l7(self) -> tuple[Attribute, ...]:
        return tuple(attribute for rule in self.rules for attribute in rule.l7)

    @property
    def client(self) -> tuple[Attribute, ...]:
        return tuple(attribute for rule in self.rules for attribute in rule.client)

    @property
    def l4_rules(self) -> tuple[int, ...]:
        """The rules ztunnel can evaluate whole."""
        return tuple(rule.index for rule in self.rules if rule.is_l4)


def policy_attributes(policy: AuthorizationPolicy) -> PolicyAttributes:
    return PolicyAttributes(tuple(rule_attributes(rule, index) for index, rule in enumerate(policy.rules)))


def names(attributes: tuple[Attribute, ...]) -> str:
    """`methods, paths, when request.headers[x-user]`: each name once, in order."""
    return ", ".join(dict.fromkeys(attribute.name for attribute in attributes))
