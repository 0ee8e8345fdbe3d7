"""TSB tenancy rules: a workspace exclusively owns its namespaces on declared clusters; allow/deny
rules need RULES; only an owned tenant describes itself."""

from __future__ import annotations

import difflib
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


Claim = tuple[str, str, tuple[str | int, ...]]  # (selector, workspace, profile path)


class _Claims:
    """The selectors seen so far, indexed so that an exact namespace name is compared only with the
    claims on that name and the wildcard ones: linear in the estate, not quadratic."""

    def __init__(self) -> None:
        self.order: list[Claim] = []
        self.exact: dict[str, list[int]] = {}  # namespace part -> indexes into `order`
        self.wild: list[int] = []  # claims whose namespace part has a '*'

    def first_overlap(self, selector: str) -> Claim | None:
        namespace = selector.partition("/")[2]
        if "*" in namespace:
            candidates: list[int] | range = range(len(self.order))
        else:
            candidates = sorted([*self.exact.get(namespace, []), *self.wild])
        return next((self.order[i] for i in candidates if selectors_overlap(selector, self.order[i][0])), None)

    def add(self, claims: list[Claim]) -> None:
        for claim in claims:
            namespace = claim[0].partition("/")[2]
            index = len(self.order)
            self.order.append(claim)
            (self.wild if "*" in namespace else self.exact.setdefault(namespace, [])).append(index)


def workspaces_own_their_namespaces(profile: Profile) -> Iterator[Problem]:
    seen = _Claims()
    for workspace in profile.workspaces:
        owner = f"{workspace.tenant}/{workspace.name}"
        mine: list[Claim] = []
        for index, selector in enumerate(workspace.namespace_selectors):
            path = (*workspace.path, "namespaces", index)
            clash = seen.first_overlap(selector)
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
        seen.add(mine)


def selectors_name_declared_clusters(profile: Profile) -> Iterator[Problem]:
    declared = [cluster.name for cluster in profile.clusters]
    for workspace in profile.workspaces:
        for index, selector in enumerate(workspace.namespace_selectors):
            cluster = selector.partition("/")[0]
            if cluster == "*" or cluster in declared:
                continue
            close = difflib.get_close_matches(cluster, declared, n=1, cutoff=0.6)
            yield Problem(
                f"'{selector}' selects namespaces of cluster '{cluster}', which is not declared",
                "undeclared-reference",
                (*workspace.path, "namespaces", index),
                (f"did you mean '{close[0]}'? " if close else "")
                + f"declared clusters: {', '.join(sorted(declared))}; or write '*/' for every cluster",
            )


def tenant_details_need_ownership(profile: Profile) -> Iterator[Problem]:
    for tenant in profile.tenants:
        if tenant.owned:
            continue
        for key, value in (("displayName", tenant.display_name), ("description", tenant.description)):
            if value is not None:
                yield Problem(
                    f"`{key}` describes the Tenant object, which gen renders only for a tenant the profile owns",
                    "tenant-ownership",
                    (*tenant.path, key),
                    "add `owned: true` to render the Tenant (it then replaces one that exists), "
                    f"or remove `{key}` to leave the existing tenant as it is",
                    at_key=True,
                )


def rules_need_rules_mode(profile: Profile) -> Iterator[Problem]:
    settings = [tenant.security for tenant in profile.tenants] + [ws.security for ws in profile.workspaces]
    for security in settings:
        authorization = security.authorization if security else None
        if authorization is None or authorization.mode is AuthorizationMode.RULES:
            continue
        for kind, present in (
            ("allow", bool(authorization.allow)),
            ("deny", bool(authorization.deny)),
            ("denyAll", authorization.deny_all),
        ):
            if present:
                yield Problem(
                    f"`{kind}` only applies with `mode: RULES`, this setting has mode "
                    f"{authorization.mode.value}",
                    "rules-mode",
                    (*authorization.path, kind),
                    "set `mode: RULES`, or remove the rules",
                )
