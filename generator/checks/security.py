"""Security settings that do less than they seem to: rules that repeat, contain or cancel each
other, and settings that open workspaces (trafficMode OPTIONAL, authorization DISABLED).

All of these are warnings: TSB accepts them, but a reviewer should see them before merge.
"""

from __future__ import annotations

from collections.abc import Iterator

from ..matrix import effective_by_workspace
from ..problems import Problem, ProfilePath, Severity
from ..profile.model import AuthorizationMode, Profile, Rule, SecuritySettings, TrafficMode, Workspace


def _settings_and_scope(profile: Profile) -> Iterator[tuple[SecuritySettings, tuple[Workspace, ...]]]:
    """Every setting the profile gives, with the workspaces it applies to."""
    for tenant in profile.tenants:
        if tenant.security is not None:
            yield tenant.security, tenant.workspaces
        for workspace in tenant.workspaces:
            if workspace.security is not None:
                yield workspace.security, (workspace,)


def _text(rule: Rule) -> str:
    return f"{rule.source} -> {rule.target}"


def _contains(outer: Rule, inner: Rule) -> bool:
    return outer.source.contains(inner.source) and outer.target.contains(inner.target)


def _warning(message: str, rule: str, path: ProfilePath, hint: str) -> Problem:
    return Problem(message, rule, path, hint, severity=Severity.WARNING)


def _repeated_or_contained(kind: str, rules: tuple[Rule, ...]) -> Iterator[Problem]:
    for index, rule in enumerate(rules):
        for other_index, other in enumerate(rules):
            if other_index == index or not _contains(other, rule):
                continue
            if _contains(rule, other):  # the same rule twice: the later one is the repeat
                if other_index < index:
                    yield _warning(
                        f"{kind} rule {_text(rule)} repeats {kind}[{other_index}]",
                        "duplicate-rule",
                        rule.path,
                        "remove the repeated rule (TSB expects rules to be unique)",
                    )
                    break
                continue
            yield _warning(
                f"{kind} rule {_text(rule)} is contained in {kind}[{other_index}] ({_text(other)}): "
                "it changes nothing",
                "shadowed-rule",
                rule.path,
                "remove the narrower rule, or narrow the wider one (TSB expects no rule to contain another)",
            )
            break


def rules_are_unique_and_effective(profile: Profile) -> Iterator[Problem]:
    for security, _ in _settings_and_scope(profile):
        authorization = security.authorization
        if authorization is None or authorization.mode is not AuthorizationMode.RULES:
            continue
        yield from _repeated_or_contained("allow", authorization.allow)
        yield from _repeated_or_contained("deny", authorization.deny)
        for rule in authorization.allow:
            if authorization.deny_all:
                yield _warning(
                    f"allow rule {_text(rule)} never applies: denyAll denies every call",
                    "shadowed-rule",
                    rule.path,
                    "remove denyAll, or the allow rules",
                )
                continue
            denied_by = next((i for i, deny in enumerate(authorization.deny) if _contains(deny, rule)), None)
            if denied_by is not None:
                yield _warning(
                    f"allow rule {_text(rule)} never applies: deny[{denied_by}] "
                    f"({_text(authorization.deny[denied_by])}) denies every call it allows",
                    "shadowed-rule",
                    rule.path,
                    "a matching deny wins over any allow: remove one of the two",
                )


def _exposed(names: list[str]) -> str:
    return f"workspaces it applies to: {', '.join(names)}" if names else "every workspace below overrides it"


def weak_settings_name_what_they_expose(profile: Profile) -> Iterator[Problem]:
    """trafficMode OPTIONAL lets plaintext in; authorization DISABLED lets every caller in."""
    effective = effective_by_workspace(profile)
    for security, scope in _settings_and_scope(profile):
        if security.traffic_mode is TrafficMode.OPTIONAL:
            names = [
                str(ws.ref) for ws in scope if effective[(ws.tenant, ws.name)].traffic_mode is TrafficMode.OPTIONAL
            ]
            yield _warning(
                f"trafficMode OPTIONAL accepts plaintext from clients outside the mesh; {_exposed(names)}",
                "weak-security",
                (*security.path, "trafficMode"),
                "use REQUIRED (mutual TLS only; gen's default) once every client runs in the mesh",
            )
        authorization = security.authorization
        if authorization is not None and authorization.mode is AuthorizationMode.DISABLED:
            names = [
                str(ws.ref) for ws in scope if effective[(ws.tenant, ws.name)].mode is AuthorizationMode.DISABLED
            ]
            yield _warning(
                f"authorization mode DISABLED lets any caller in; {_exposed(names)}",
                "weak-security",
                (*authorization.path, "mode"),
                "use RULES with allow rules, or WORKSPACE; `gen matrix PROFILE` shows who can call whom",
            )
