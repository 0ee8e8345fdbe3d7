"""Principals in the policies ztunnel enforces, written in the cluster's real trust domain.

Sidecars and waypoints (Envoy) read a `cluster.local/` principal as "the local trust domain";
ztunnel does not (istio/ztunnel issue 1260, open): it compares principals as written, and a TSB
cluster's workloads are `<cluster>.tsb.local/ns/<ns>/sa/<sa>`. So in every policy ztunnel enforces
(translate.py: a `selector` or whole-namespace policy gen keeps on the selector in ambient, and the
`-ztunnel` parts it writes), gen writes `cluster.local/...` as `<trust domain>/...` in `principals`,
`notPrincipals` and `when` conditions on `source.principal` (`values`, `notValues`). Policies Envoy
enforces (sidecars, `targetRefs` on a waypoint) keep what their team wrote.

A principal in another trust domain is kept, and warned about unless it is one of the profile's
clusters' (a caller on another cluster): gen cannot know a custom trust domain, so it asks for it
(`clusters[i].istio.trustDomain`) rather than guess.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..mesh import NamespaceMesh
from ..problems import Problem, Severity, format_path
from ..profile.model_waypoints import LOCAL_TRUST_DOMAIN
from .model import AuthorizationPolicy

SOURCE_PRINCIPALS = ("principals", "notPrincipals")
PRINCIPAL_KEY = "source.principal"  # a `when` condition on the peer's principal
CONDITION_VALUES = ("values", "notValues")
LOCAL_PREFIX = LOCAL_TRUST_DOMAIN + "/"


@dataclass(frozen=True)
class ZtunnelRules:
    """A policy's rules as ztunnel must read them."""

    rules: tuple[Mapping[str, Any], ...]
    rewritten: int = 0  # how many `cluster.local/` principals gen wrote in the cluster's trust domain
    problems: tuple[Problem, ...] = ()  # principals in a trust domain gen does not know


def trust_domain_of(principal: str) -> str | None:
    """The trust domain a principal names; None for a wildcard one (`*`, `*/ns/x/sa/y`, `td*`)."""
    domain, slash, _ = principal.partition("/")
    if not slash or "*" in domain:
        return None
    return domain


class _Rewriter:
    def __init__(self, policy: AuthorizationPolicy, mesh: NamespaceMesh) -> None:
        self.policy = policy
        self.mesh = mesh
        self.rewritten = 0
        self.problems: list[Problem] = []

    def principals(self, values: Sequence[Any], spec_path: tuple[str | int, ...]) -> list[Any]:
        out: list[Any] = []
        for index, value in enumerate(values):
            domain = trust_domain_of(value) if isinstance(value, str) else None
            if domain == LOCAL_TRUST_DOMAIN and self.mesh.cluster.trust_domain != LOCAL_TRUST_DOMAIN:
                out.append(self.mesh.cluster.trust_domain + value[len(LOCAL_TRUST_DOMAIN):])
                self.rewritten += 1
                continue
            if domain is not None and domain != LOCAL_TRUST_DOMAIN and domain not in self.mesh.profile_trust_domains:
                self.problems.append(self._unknown(value, domain, (*spec_path, index)))
            out.append(value)
        return out

    def _unknown(self, principal: str, domain: str, spec_path: tuple[str | int, ...]) -> Problem:
        cluster = self.mesh.cluster
        key = format_path((*cluster.path, "istio", "trustDomain"))
        others = sorted(self.mesh.profile_trust_domains - {cluster.trust_domain})
        known = f" nor another cluster's of the profile ({', '.join(others)})" if others else ""
        return Problem(
            f"policy {self.policy.name} names principal {principal!r}, in trust domain {domain!r}, which is not "
            f"cluster {cluster.name}'s ({cluster.trust_domain}){known}: ztunnel, which enforces the policy in "
            f"namespace {self.mesh.namespace.name}, matches no workload of the profile with it",
            "unknown-trust-domain", self.policy.profile_path,
            f"if cluster {cluster.name}'s mesh uses trust domain {domain!r}, set `{key}: {domain}`; if the "
            f"principal names workloads of this mesh, write it as {LOCAL_PREFIX}... or {cluster.trust_domain}/...",
            Severity.WARNING,
            location=self.policy.at(*spec_path),
        )

    def rule(self, rule: Mapping[str, Any], index: int) -> dict[str, Any]:
        out = dict(rule)
        if rule.get("from"):
            out["from"] = [self._from(item, index, f) for f, item in enumerate(rule["from"])]
        if rule.get("when"):
            out["when"] = [self._condition(item, index, c) for c, item in enumerate(rule["when"])]
        return out

    def _from(self, item: Mapping[str, Any], index: int, f: int) -> Mapping[str, Any]:
        source = item.get("source")
        if not isinstance(source, Mapping):
            return item
        where = ("rules", index, "from", f, "source")
        written = {key: self.principals(value, (*where, key)) if key in SOURCE_PRINCIPALS and value else value
                   for key, value in source.items()}
        return {**item, "source": written}

    def _condition(self, item: Mapping[str, Any], index: int, c: int) -> Mapping[str, Any]:
        if item.get("key") != PRINCIPAL_KEY:
            return item
        where = ("rules", index, "when", c)
        return {key: self.principals(value, (*where, key)) if key in CONDITION_VALUES and value else value
                for key, value in item.items()}


def ztunnel_rules(policy: AuthorizationPolicy, mesh: NamespaceMesh, indices: Iterable[int]) -> ZtunnelRules:
    """The policy's rules at `indices` (in that order) as ztunnel must read them."""
    rewriter = _Rewriter(policy, mesh)
    rules = tuple(rewriter.rule(policy.rules[index], index) for index in indices)
    return ZtunnelRules(rules, rewriter.rewritten, tuple(rewriter.problems))


def ztunnel_spec(policy: AuthorizationPolicy, mesh: NamespaceMesh) -> tuple[Mapping[str, Any], ZtunnelRules]:
    """The whole policy as ztunnel must read it (kept on its selector), in the file's key order."""
    found = ztunnel_rules(policy, mesh, range(len(policy.rules)))
    if "rules" not in policy.spec or not found.rewritten:
        return policy.spec, found
    return {key: list(found.rules) if key == "rules" else value for key, value in policy.spec.items()}, found
