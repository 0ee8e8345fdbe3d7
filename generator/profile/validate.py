"""Stage 2, validate: raw profile data -> problems.

One cerberus pass checks the whole document, so every problem of shape, type, enum, name format,
duplicate name and undeclared reference is found at once. Each cerberus error becomes a `Problem`
with the profile path and a hint fitted to the rule that failed.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable
from typing import Any


from ..cerberus_validators import cerberus, cerberus_errors, leaf_errors
from ..problems import Problem, ProfilePath, type_name
from .app_rules import AppRules, app_problem
from .schema import PROFILE_SCHEMA, WORKSPACE_REF
from .schema_waypoints import waypoint_problem

DUPLICATE_NAME = cerberus_errors.ErrorDefinition(0x0A, "unique_names")
DUPLICATE_ITEM = cerberus_errors.ErrorDefinition(0x0B, "unique_items")
UNDECLARED_CLUSTER = cerberus_errors.ErrorDefinition(0x0C, "check_with")
UNDECLARED_WORKSPACE = cerberus_errors.ErrorDefinition(0x0D, "check_with")
DUPLICATE_PLACEMENT = cerberus_errors.ErrorDefinition(0x0E, "unique_per_cluster")
AMBIGUOUS_REFERENCE = cerberus_errors.ErrorDefinition(0x0F, "check_with")


def _names_with_index(items: Any) -> list[tuple[int, str]]:
    if not isinstance(items, list):
        return []
    return [
        (index, item["name"])
        for index, item in enumerate(items)
        if isinstance(item, dict) and isinstance(item.get("name"), str)
    ]


def _names(items: Any) -> list[str]:
    return [name for _, name in _names_with_index(items)]


class ProfileValidator(AppRules, cerberus.Validator):  # type: ignore[misc]
    """cerberus with the profile's own rules: unique names and references between objects."""

    def _validate_unique_names(self, constraint: bool, field: str, value: Any) -> None:
        """{'type': 'boolean'}"""
        if not constraint:
            return
        self._report_repeats(field, _names_with_index(value), DUPLICATE_NAME)

    def _validate_unique_items(self, constraint: bool, field: str, value: Any) -> None:
        """{'type': 'boolean'}"""
        if not constraint or not isinstance(value, list):
            return
        items = [(i, item) for i, item in enumerate(value) if isinstance(item, (str, int, float))]
        self._report_repeats(field, items, DUPLICATE_ITEM)

    def _validate_unique_per_cluster(self, constraint: bool, field: str, value: Any) -> None:
        """{'type': 'boolean'}"""
        if not constraint or not isinstance(value, list):
            return
        places: dict[tuple[str, str], list[tuple[int, int]]] = {}  # (cluster, name) -> (entry, position)
        for index, item in _names_with_index(value):
            clusters = value[index].get("clusters")
            for position, cluster in enumerate(clusters if isinstance(clusters, list) else []):
                entries = places.setdefault((cluster, item), []) if isinstance(cluster, str) else None
                if entries is not None and all(entry != index for entry, _ in entries):
                    entries.append((index, position))
        for (cluster, item), entries in places.items():
            if len(entries) > 1:  # one error per namespace and cluster, at its second entry
                (first, _), (index, position) = entries[:2]
                more = tuple(entry for entry, _ in entries[2:])
                self._error(field, DUPLICATE_PLACEMENT, index, position, item, cluster, first, more)

    def _report_repeats(self, field: str, items: Iterable[tuple[int, Any]], error: Any) -> None:
        """One error per repeated value, at its second place, naming every other place: a list that
        repeats one value 2,000 times has one problem, not 1,999."""
        places: dict[Any, list[int]] = {}
        for index, item in items:
            places.setdefault(item, []).append(index)
        for item, indexes in places.items():
            if len(indexes) > 1:
                self._error(field, error, indexes[1], item, indexes[0], tuple(indexes[2:]))

    def _check_with_cluster_ref(self, field: str, value: Any) -> None:
        declared = _names(self.root_document.get("clusters"))
        if isinstance(value, str) and value not in declared:
            self._error(field, UNDECLARED_CLUSTER, value, declared)

    def _check_with_workspace_ref(self, field: str, value: Any) -> None:
        if not isinstance(value, str) or not re.match(WORKSPACE_REF, value):
            return
        tenants = self.root_document.get("tenants")
        tenants = tenants if isinstance(tenants, list) else []
        tenant_names = _names(tenants)
        # This rule sits in tenants[i].security... or tenants[i].workspaces[j].security...: a bare
        # name means a workspace of tenant i, or else a tenant.
        own_index = self.document_path[1] if len(self.document_path) > 1 else None
        own = tenants[own_index] if isinstance(own_index, int) and own_index < len(tenants) else {}
        own = own if isinstance(own, dict) else {}
        tenant_name, _, workspace = value.rpartition("/")
        if not tenant_name:
            own_name = own.get("name", "")
            own_workspaces = _names(own.get("workspaces"))
            if value in own_workspaces and value in tenant_names:
                self._error(field, AMBIGUOUS_REFERENCE, value, own_name)
            elif value not in own_workspaces and value not in tenant_names:
                self._error(
                    field,
                    UNDECLARED_WORKSPACE,
                    value,
                    value,
                    f"workspace of tenant '{own_name}', nor a tenant",
                    [*own_workspaces, *tenant_names],
                    f"workspaces of tenant '{own_name}' and tenants",
                )
            return
        tenant = next((t for t in tenants if isinstance(t, dict) and t.get("name") == tenant_name), None)
        if tenant is None:
            self._error(field, UNDECLARED_WORKSPACE, value, tenant_name, "tenant", tenant_names, "tenants")
            return
        workspaces = _names(tenant.get("workspaces"))
        if workspace not in workspaces:
            self._error(
                field,
                UNDECLARED_WORKSPACE,
                value,
                workspace,
                f"workspace of tenant '{tenant_name}'",
                workspaces,
                "workspaces",
            )


Spelling = Callable[[ProfilePath], str]


def validate(data: Any, spelling: Spelling = lambda path: "") -> list[Problem]:
    """Every way in which `data` does not fit the profile schema. `spelling` gives a value as the
    user wrote it (`1.20`, where YAML read the float 1.2), for hints."""
    if not isinstance(data, dict):
        kind = type_name(data)
        return [
            Problem(
                f"a profile is a YAML mapping, this file holds {kind}",
                "type",
                hint="start from profiles/caffeine.yaml: `profile:`, `tsb:`, `clusters:`...",
            )
        ]
    return [_problem(error, spelling) for error in leaf_errors(ProfileValidator, PROFILE_SCHEMA, data)]


_FORMAT_HINTS = {
    "dns-label": "use lowercase letters, digits and '-', starting and ending with a letter or digit, "
    "at most 63 characters",
    "version": "write a version such as \"1.24.3\"",
    "namespace-selector": "write <cluster>/<namespace>; either part may be '*', and the namespace may end "
    "in '*' to match a prefix (\"*/caffeine\", \"east-0/team-*\")",
    "workspace-ref": "name a workspace of this tenant (\"caffeine-ws\"), a tenant (\"prod-api\") or "
    "<tenant>/<workspace>",
    "revision": "an Istio revision name: lowercase letters, digits and '-', starting and ending with a letter "
    "or digit, at most 56 characters (\"1-24-3\", \"canary\")",
    "absolute-path": "write an absolute path on the node, such as \"/opt/cni/bin\"",
    "quantity": "write a Kubernetes quantity such as \"100m\", \"1\", \"128Mi\" or \"1Gi\"",
    "not-secret-path": "write the path as gen's warning or error names it, without spaces, such as "
    "spec.components.oap.tokenTtl",
    "repo-url": "write the Git URL the engine clones: https://..., ssh://... or git@host:org/repo.git",
    "repo-path": "write the output folder's path inside the repository, without a leading '/' (\"out\")",
    "namespace-ref": "write a declared namespace (\"client\"), or <cluster>/<namespace> for one cluster's",
    "migration-position": "write `baseline`, a phase's name (the phase done), or <phase>/<step> with step "
    "prepare, move or cleanup (\"bookinfo/prepare\")",
    "base-values": "write the path of the saved `helm get values` output, relative to the profile "
    "(\"values/east-0.yaml\"), or `none` (lower case) when the rendered file alone installs the release",
}


def _rules_at(path: ProfilePath) -> dict[str, Any]:
    """The schema rules that apply to the value at `path` (empty where the schema has none)."""
    rules: dict[str, Any] = {"type": "dict", "schema": PROFILE_SCHEMA}
    for part in path:
        inner = rules.get("schema", {})
        rules = inner if isinstance(part, int) else inner.get(part, {})
        if not isinstance(rules, dict):
            return {}
    return rules


def _keys_allowed_beside(path: ProfilePath) -> list[str]:
    """The keys of the mapping that holds `path`'s last key."""
    parent = _rules_at(path[:-1])
    types = parent.get("type")
    return sorted(parent.get("schema", {})) if "dict" in (types if isinstance(types, list) else [types]) else []


def _closest(word: str, options: Iterable[str]) -> list[str]:
    options = list(options)
    lowered = {option.lower(): option for option in options}
    if word.lower() in lowered:
        return [lowered[word.lower()]]
    return difflib.get_close_matches(word, options, n=1, cutoff=0.6)


def _dns_label_suggestion(value: str) -> str:
    slug = re.sub(r"[^a-z0-9-]+", "-", value.lower()).strip("-")[:63].strip("-")
    return f" (for example {slug!r})" if slug and slug != value else ""


def _problem(error: Any, spelling: Spelling) -> Problem:
    found = app_problem(error, PROFILE_SCHEMA) or waypoint_problem(error, PROFILE_SCHEMA)
    if found is not None:
        return found
    path: ProfilePath = tuple(error.document_path)
    code = error.code
    value = error.value
    key = path[-1] if path else ""
    meta = _rules_at(path).get("meta", {})
    fmt = meta.get("format", "")

    if code == cerberus_errors.UNKNOWN_FIELD.code:
        known = _keys_allowed_beside(path)
        close = _closest(str(key), known)
        hint = f"did you mean '{close[0]}'? " if close else ""
        hint += f"keys allowed here: {', '.join(known)}"
        return Problem(f"unknown key '{key}'", "unknown-key", path, hint, at_key=True)
    if code == cerberus_errors.REQUIRED_FIELD.code:
        return Problem(f"missing required key '{key}'", "required", path, f"add `{key}:` here")
    if code == cerberus_errors.BAD_TYPE.code:
        expected = {"string": "a string", "dict": "a mapping", "list": "a list", "boolean": "true or false",
                    "integer": "a whole number"}
        allowed = error.constraint if isinstance(error.constraint, list) else [error.constraint]
        want = " or ".join(expected.get(str(kind), str(kind)) for kind in allowed)
        hint = ""
        if error.constraint == "string" and isinstance(value, (int, float, bool)):
            hint = "put the value in double quotes so that YAML keeps it a string"
            spelled = spelling(path)
            if spelled:
                hint += f': "{spelled}"'
        elif error.constraint == "boolean" and isinstance(value, str):
            hint = "write true or false (YAML 1.2: yes/no/on/off are strings)"
        elif error.constraint == "list":
            hint = "write a list: one `- item` per line, or [a, b]"
        elif error.constraint == "dict":
            hint = "write a mapping of `key: value` lines"
        if fmt == "base-values":
            hint = _FORMAT_HINTS[fmt]
        return Problem(f"expected {want}, got {type_name(value)}", "type", path, hint)
    if code == cerberus_errors.NOT_NULLABLE.code:
        hint = _FORMAT_HINTS[fmt] if fmt == "base-values" else "give a value or remove the key"
        return Problem("value is empty (null)", "type", path, hint)
    if code == cerberus_errors.EMPTY_NOT_ALLOWED.code:
        return Problem("value is empty", "empty", path, "give a non-empty value or remove the key")
    if code == cerberus_errors.UNALLOWED_VALUE.code:
        allowed = [str(option) for option in error.constraint]
        close = _closest(str(value), allowed)
        hint = f"did you mean '{close[0]}'? " if close else ""
        hint += f"allowed: {', '.join(allowed)}"
        noun = meta.get("noun", "allowed value")
        return Problem(f"{value!r} is not a known {noun}", "enum", path, hint)
    if code in (cerberus_errors.REGEX_MISMATCH.code, cerberus_errors.MAX_LENGTH.code) and fmt:
        what = {
            "dns-label": "a DNS-1123 label",
            "version": "a version",
            "namespace-selector": "a namespace selector",
            "workspace-ref": "a tenant or workspace reference",
            "revision": "a revision name",
            "absolute-path": "an absolute path",
            "quantity": "a Kubernetes quantity",
            "repo-url": "a Git repository URL",
            "repo-path": "a path inside the repository",
            "namespace-ref": "a namespace reference",
            "migration-position": "a migration position",
            "base-values": "a values file or `none`",
            "not-secret-path": "a path of a value",
        }[fmt]
        hint = _FORMAT_HINTS[fmt]
        if fmt == "dns-label" and isinstance(value, str):
            hint += _dns_label_suggestion(value)
        too_long = code == cerberus_errors.MAX_LENGTH.code
        detail = f" (it has {len(value)} characters, at most {error.constraint})" if too_long and isinstance(value, str) else ""
        return Problem(f"{value!r} is not {what}{detail}", fmt, path, hint)
    if code == cerberus_errors.MIN_LENGTH.code:
        return Problem(
            f"needs at least {error.constraint} item(s)", "empty", path, f"add an item under `{key}:`"
        )
    if code == DUPLICATE_NAME.code:
        index, name, first, more = error.info
        return Problem(
            f"duplicate name '{name}' (also at {_also_at(key, first, more)})",
            "duplicate-name",
            (*path, index, "name"),
            f"names in `{key}` must be unique; rename or merge the {'two' if not more else len(more) + 2} entries",
        )
    if code == DUPLICATE_PLACEMENT.code:
        index, position, name, cluster, first, more = error.info
        times = "twice" if not more else f"{len(more) + 2} times"
        return Problem(
            f"namespace '{name}' is declared {times} on cluster '{cluster}' (also at {_also_at(key, first, more)})",
            "duplicate-name",
            (*path, index, "clusters", position),
            "a namespace exists once per cluster: "
            + ("merge the two entries, or drop the cluster from one " if not more
               else f"merge the {len(more) + 2} entries, or drop the cluster from all but one ")
            + "(the same name may differ between clusters, as in the middle of a migration)",
        )
    if code == DUPLICATE_ITEM.code:
        index, item, first, more = error.info
        times = "twice" if not more else f"{len(more) + 2} times"
        return Problem(
            f"{item!r} is listed {times} (also at {_also_at(key, first, more)})",
            "duplicate-item",
            (*path, index),
            "remove the repeated item" if not more else "remove the repeated items",
        )
    if code == UNDECLARED_CLUSTER.code:
        name, declared = error.info
        return Problem(
            f"cluster '{name}' is not declared",
            "undeclared-reference",
            path,
            _reference_hint(name, declared, "clusters"),
        )
    if code == UNDECLARED_WORKSPACE.code:
        name, looked_up, what, declared, where = error.info
        return Problem(
            f"'{name}' names no declared {what}",
            "undeclared-reference",
            path,
            _reference_hint(looked_up, declared, where),
        )
    if code == AMBIGUOUS_REFERENCE.code:
        name, tenant = error.info
        return Problem(
            f"'{name}' names both a workspace of tenant '{tenant}' and a tenant",
            "ambiguous-reference",
            path,
            f"write '{tenant}/{name}' for the workspace; to name the tenant, rename it or the workspace",
        )
    # Rules the schema uses that have no message of their own above.
    return Problem(f"invalid value {type_name(value)} ({error.rule}: {error.constraint})", "schema", path)


def _also_at(key: str | int, first: int, more: tuple[int, ...], shown: int = 4) -> str:
    """The other places of a repeated value: `namespaces[0]`, `namespaces[0], [2], [3], [4] and 1,995 more`."""
    others = (first, *more)
    places = ", ".join([f"{key}[{first}]", *(f"[{index}]" for index in others[1:shown])])
    rest = len(others) - shown
    return places + (f" and {rest:,} more" if rest > 0 else "")


def _reference_hint(name: str, declared: list[str], where: str) -> str:
    declared = sorted(set(declared))
    close = _closest(name, declared)
    if close:
        return f"did you mean '{close[0]}'? declared {where}: {', '.join(declared)}"
    if declared:
        return f"declared {where}: {', '.join(declared)}; declare it or fix the name"
    return f"no {where} are declared; declare it first"
