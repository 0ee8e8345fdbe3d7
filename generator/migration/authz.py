"""Istio's AuthorizationPolicy decision for one request, as each enforcing component makes it.

- Envoy (a sidecar, a waypoint): every attribute; a principal written in `cluster.local/` names the
  local trust domain (Envoy aliases it). CUSTOM is decided first (by the external authorizer: gen
  reports "custom"), then DENY, then ALLOW (with ALLOW policies present, one must match).
- ztunnel: L4 only and exact principals (DESIGN 5b): an ALLOW rule with an L7 attribute is dropped
  (so an ALLOW policy whose rules are all L7 allows nothing), a DENY rule loses its L7 conditions
  (it denies more), CUSTOM and AUDIT policies are ignored.

The request is what a client sends to a Service: method, path, port and host; no JWT, no headers,
and no source IP (rules on those never match; their `not…` forms always do).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..policies.attributes import L4_WHEN, L7_OPERATION, L7_SOURCE, rule_attributes

ALIASED_TRUST_DOMAIN = "cluster.local"


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    port: int
    host: str  # <service>.<namespace>.svc.cluster.local

    def text(self) -> str:
        return f"{self.method} {self.path} :{self.port}"


@dataclass(frozen=True)
class Source:
    principal: str | None  # <trust domain>/ns/<namespace>/sa/<account>; None: plaintext, no identity
    namespace: str | None


@dataclass(frozen=True)
class Enforcer:
    envoy: bool  # a sidecar or a waypoint; False: ztunnel
    trust_domain: str  # the enforcing proxy's own


@dataclass(frozen=True)
class Decision:
    outcome: str  # allowed | denied | custom
    policy: Any = None  # the policy that decided (None: no policy did)


def value_matches(pattern: str, value: str | None) -> bool:
    """Istio's string match: exact, `prefix*`, `*suffix`, or `*` (any non-empty value)."""
    if value is None:
        return False
    if pattern == "*":
        return value != ""
    if pattern.startswith("*"):
        return value.endswith(pattern[1:])
    if pattern.endswith("*"):
        return value.startswith(pattern[:-1])
    return pattern == value


def _principal(pattern: str, value: str | None, enforcer: Enforcer) -> bool:
    if enforcer.envoy and pattern.startswith(ALIASED_TRUST_DOMAIN + "/"):
        pattern = enforcer.trust_domain + pattern[len(ALIASED_TRUST_DOMAIN):]
    return value_matches(pattern, value)


def _any(patterns: Iterable[Any], value: str | None, enforcer: Enforcer | None = None) -> bool:
    if enforcer is not None:
        return any(_principal(str(p), value, enforcer) for p in patterns)
    return any(value_matches(str(p), value) for p in patterns)


def _source(source: Mapping[str, Any], caller: Source, enforcer: Enforcer) -> bool:
    checks = {
        "principals": lambda v: _any(v, caller.principal, enforcer),
        "notPrincipals": lambda v: not _any(v, caller.principal, enforcer),
        "namespaces": lambda v: _any(v, caller.namespace),
        "notNamespaces": lambda v: not _any(v, caller.namespace),
        "serviceAccounts": lambda v: _any(v, _account(caller)),
        "notServiceAccounts": lambda v: not _any(v, _account(caller)),
    }
    for key, values in source.items():
        check = checks.get(key)
        if check is not None:
            if not check(values or []):
                return False
        elif not key.startswith("not"):  # ipBlocks, remoteIpBlocks, requestPrincipals: never present
            return False
    return True


def _account(caller: Source) -> str | None:
    if caller.principal is None or "/ns/" not in caller.principal:
        return None
    _, _, rest = caller.principal.partition("/ns/")
    namespace, _, account = rest.partition("/sa/")
    return f"{namespace}/{account}"


def _operation(operation: Mapping[str, Any], request: Request) -> bool:
    fields = {"hosts": request.host, "methods": request.method, "paths": request.path, "ports": str(request.port)}
    for key, values in operation.items():
        negative = key.startswith("not")
        field = key[3].lower() + key[4:] if negative else key
        if field not in fields:
            continue
        hit = _any(values or [], fields[field])
        if hit == negative:
            return False
    return True


def _condition(condition: Mapping[str, Any], caller: Source, request: Request, enforcer: Enforcer) -> bool:
    key = condition.get("key", "")
    value = {"source.principal": caller.principal, "source.namespace": caller.namespace,
             "destination.port": str(request.port), "request.method": None}.get(key)
    principal = enforcer if key == "source.principal" else None
    if "values" in condition and not _any(condition["values"] or [], value, principal):
        return False
    return not ("notValues" in condition and _any(condition["notValues"] or [], value, principal))


def rule_matches(rule: Mapping[str, Any], caller: Source, request: Request, enforcer: Enforcer) -> bool:
    sources = rule.get("from")
    if sources and not any(_source(item.get("source") or {}, caller, enforcer) for item in sources):
        return False
    operations = rule.get("to")
    if operations and not any(_operation(item.get("operation") or {}, request) for item in operations):
        return False
    return all(_condition(condition, caller, request, enforcer) for condition in rule.get("when") or [])


def l4_part(rule: Mapping[str, Any]) -> dict[str, Any]:
    """A DENY rule as ztunnel enforces it: without its L7 conditions."""
    stripped: dict[str, Any] = {}
    if rule.get("from"):
        stripped["from"] = [{"source": {k: v for k, v in (item.get("source") or {}).items() if k not in L7_SOURCE}}
                            for item in rule["from"]]
    if rule.get("to"):
        stripped["to"] = [{"operation": {k: v for k, v in (item.get("operation") or {}).items()
                                         if k not in L7_OPERATION}} for item in rule["to"]]
    if rule.get("when"):
        stripped["when"] = [c for c in rule["when"] if c.get("key", "") in L4_WHEN]
    return stripped


def enforced_rules(spec: Mapping[str, Any], enforcer: Enforcer) -> tuple[str, list[Mapping[str, Any]]] | None:
    """(action, rules) as `enforcer` applies the policy; None where it ignores it."""
    action = str(spec.get("action", "ALLOW"))
    rules = list(spec.get("rules") or [])
    if action == "AUDIT":
        return None
    if enforcer.envoy:
        return action, rules
    if action == "CUSTOM":
        return None
    if action == "ALLOW":
        return action, [rule for index, rule in enumerate(rules) if not rule_attributes(rule, index).l7]
    return action, [l4_part(rule) for rule in rules]


def decide(policies: Sequence[tuple[Mapping[str, Any], Any]], caller: Source, request: Request,
           enforcer: Enforcer) -> Decision:
    """The decision of the (spec, policy) pairs that apply to one workload."""
    enforced = [(found, policy) for spec, policy in policies if (found := enforced_rules(spec, enforcer))]
    for action in ("CUSTOM", "DENY"):
        for (kind, rules), policy in enforced:
            if kind == action and any(rule_matches(rule, caller, request, enforcer) for rule in rules):
                return Decision("custom" if action == "CUSTOM" else "denied", policy)
    allows = [(rules, policy) for (kind, rules), policy in enforced if kind == "ALLOW"]
    for rules, policy in allows:
        if any(rule_matches(rule, caller, request, enforcer) for rule in rules):
            return Decision("allowed", policy)
    if allows:
        return Decision("denied", allows[0][1])
    return Decision("allowed")
