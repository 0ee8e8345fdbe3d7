"""The profile's own strings: what a profile says is rendered (an app's env, labels and annotations,
a display name, the delivery repository URL), so a secret written into it would reach Git. Every
key of the profile is judged by the key rules and every string by its content, as live values are
(detect.py); each hit is an error at its line.

`notSecret:` at the top of the profile lists the profile paths of values that look secret but are
not (`namespaces[0].apps[1].annotations.commit`); beside a `baseValues:` file it lists paths in that
file instead (secrets/values.py). Entries that keep nothing are reported too.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from ..problems import Problem, ProfilePath, Severity, format_path
from .detect import detect, secret_holder

NOT_SECRET = "notSecret"
RULE = "secret-in-profile"
HINT = (
    "gen would write it to Git: keep it out of the profile (a Secret in the cluster, created from your "
    "secret store); if it is not a secret, list '{path}' under `notSecret:` at the top of the profile"
)


def _own_lists(path: ProfilePath) -> bool:
    """`notSecret` lists themselves: paths, not values."""
    return bool(path) and path[-1] == NOT_SECRET


def _entries(node: Any, path: ProfilePath) -> Iterator[tuple[ProfilePath, Any, Any]]:
    """(path, key or None, value) of every value below `node`, parents before children."""
    if isinstance(node, dict):
        for key, value in node.items():
            child = (*path, str(key))
            if _own_lists(child):
                continue
            yield child, key, value
            yield from _entries(value, child)
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield (*path, index), None, item
            yield from _entries(item, (*path, index))


def _secret(key: Any, value: Any) -> tuple[str, bool] | None:
    """Why the entry is a secret, and whether its key (rather than its value) is where it shows."""
    if isinstance(key, str) and secret_holder(key, value):
        return f"the key '{key}' names a secret", False
    if isinstance(key, str) and (found := detect(key)) is not None:
        return f"the key looks like a secret ({found.kind})", True
    if isinstance(value, str) and (found := detect(value)) is not None:
        return f"it looks like a secret ({found.kind})", False
    return None


def profile_secrets(data: Any) -> tuple[list[Problem], tuple[str, ...]]:
    """Errors for the secrets written into the profile, problems with its `notSecret` entries, and
    the strings those entries keep (the output gate lets them pass)."""
    if not isinstance(data, dict):
        return [], ()
    keep = data.get(NOT_SECRET) or []
    wanted = {name: index for index, name in enumerate(keep) if isinstance(name, str)}
    problems: list[Problem] = []
    kept: list[str] = []
    used: set[str] = set()
    seen: set[str] = set()
    inside: tuple[ProfilePath, ...] = ()  # paths already reported: what is below them is not again
    for path, key, value in _entries(data, ()):
        name = format_path(path)
        seen.add(name)
        if any(path[: len(outer)] == outer for outer in inside):
            continue
        secret = _secret(key, value)
        if secret is None:
            continue
        if name in wanted:
            used.add(name)
            kept.extend(value for value in (value, key) if isinstance(value, str))
            continue
        reason, at_key = secret
        problems.append(Problem(f"{reason}: gen does not write secrets to Git", RULE, path,
                                HINT.format(path=name), at_key=at_key))
        inside = (*inside, path)
    for name, index in wanted.items():
        where = (NOT_SECRET, index)
        if name not in seen:
            problems.append(Problem(f"'{name}' names no value of the profile", "not-secret", where,
                                    "write the path as gen's error names it, such as "
                                    "namespaces[0].apps[1].annotations.commit"))
        elif name not in used:
            problems.append(Problem(f"'{name}' keeps nothing: gen does not take the value for a secret",
                                    "not-secret", where, "remove it from `notSecret`", Severity.WARNING))
    # Each of the profile's strings was judged once: an estate's names, which the gate's lines do not
    # repeat, are not kept judged (the cache would hold a few per namespace while the tree renders).
    detect.cache_clear()
    return problems + _keeps_without_values(data), tuple(kept)


def _keeps_without_values(data: dict[str, Any]) -> list[Problem]:
    """`notSecret` beside an entry that names no values file: there is nothing for it to keep."""
    owners: list[tuple[ProfilePath, Any]] = [(("managementPlane",), data.get("managementPlane"))]
    owners += [(("clusters", index), cluster) for index, cluster in enumerate(data.get("clusters") or [])]
    return [
        Problem(
            "`notSecret` keeps values of the `baseValues` file, and this entry names none",
            "not-secret",
            (*path, NOT_SECRET),
            "give `baseValues: <file>` (the saved `helm get values`), or remove `notSecret`",
            at_key=True,
        )
        for path, owner in owners
        if isinstance(owner, dict) and owner.get(NOT_SECRET) and owner.get("baseValues") in (None, "none")
    ]
