"""TSB tenancy rules: a workspace exclusively owns its namespaces; allow/deny rules need RULES."""

from __future__ import annotations

from collections.abc import Iterator

from ..profile.model import AuthorizationMode, Profile
from ..problems import Problem, format_path


def _parts_overlap(left: str, right: str) -> bool:
    """Whether two selector parts (`*`, `name`, `prefix*`) can match the same name."""
    if left == "*" or right == "*":
        return True
    if left.endswith("*") and right.endswith("*"):
        return left[:-1].startswith(right[:-1]) or right[:-1].startswith(left[:-1])
    if left.endswith("*"):
        return right.startswith(left[:-1])
    if right.endswith("*"):
        return left.startswith(right[:-1])
    return left == right


def selectors_overlap(left: str, right: str) -> bool:
    left_cluster, _, left_namespace = left.partition("/")
    right_cluster, _, right_namespace = right.partition("/")
    return _parts_overlap(left_cluster, right_cluster) and _parts_overlap(left_namespace, right_namespace)


def workspaces_own_their_namespaces(profile: Profile) -> Iterator[Problem]:
    seen: list[tuple[str, str, tuple[str | int, ...]]] = []  # (selector, workspace fqn, path)
    for workspace in profile.workspaces:
        owner = f"{workspace.tenant}/{workspace.name}"
        mine: list[tuple[str, str, tuple[str | int, ...]]] = []
        for index, selector in enumerate(workspace.namespace_selectors):
            path = (*workspace.path, "namespaces", index)
            clash = next(
                ((other, who, where) for other, who, where in seen if selectors_overlap(selector, other)),
                None,
            )
            if clash:
                other, who, where = clash
                yield Problem(
                    f"'{selector}' overlaps '{other}' of workspace {who} ({format_path(where)}); "
                    "a namespace belongs to exactly one workspace",
                    "namespace-ownership",
                    path,
                    "narrow one of the selectors (name the cluster, or drop a '*') so that no namespace "
                    "matches both",
                )
            mine.append((selector, owner, path))
        seen.extend(mine)


def rules_need_rules_mode(profile: Profile) -> Iterator[Problem]:
    for workspace in profile.workspaces:
        security = workspace.security
        authorization = security.authorization if security else None
        if authorization is None or authorization.mode is AuthorizationMode.RULES:
            continue
        for kind, rules in (("allow", authorization.allow), ("deny", authorization.deny)):
            if rules:
                yield Problem(
                    f"`{kind}` rules only apply with `mode: RULES`, this workspace has mode "
                    f"{authorization.mode.value}",
                    "rules-mode",
                    (*authorization.path, kind),
                    "set `mode: RULES`, or remove the rules",
                )
