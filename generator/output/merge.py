"""Merging a rendered helm values overlay into the cluster's live values (`baseValues`).

The base is round-tripped with ruamel.yaml, so its comments, key order and every setting the
overlay does not touch come out as they went in. Mappings merge key by key; lists of named things
merge by identity (TSB overlays by apiVersion/kind/name, their patches by path and value, waypoint
`namespaceLevel` entries by name or selector), so merging the result again changes nothing.

The merged file is written by gen's one YAML writer (yaml_text.dump), with the templates' rules for
every scalar: a live `"on"` or `"1:20"` keeps its quotes, a NEL its escape. Then it is read back
under YAML 1.1 (as helm reads it) and 1.2, and each must give the merged data.
"""

from __future__ import annotations

import copy
from datetime import datetime
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from ..profile.values import LoadedValues
from ..yaml_text import dump, plain, prove


class UnprovenMerge(Exception):
    """The merged text does not read back as the merged data: a bug in gen's writer."""


def _identity(item: Any) -> tuple[str, ...] | None:
    """What makes an item of a list the same item in base and overlay; None: no identity. Each part
    is spelled out, so that a live value of any shape (a list where a name belongs) is a key too."""
    if not isinstance(item, dict):
        return None
    if {"apiVersion", "kind", "name"} <= set(item):
        return _key("overlay", item["apiVersion"], item["kind"], item["name"])
    if "path" in item:  # a patch: the same path, and for an env entry the same variable
        value = item.get("value")
        return _key("patch", item["path"], value.get("name") if isinstance(value, dict) else value)
    if "name" in item:
        return _key("name", item["name"])
    if "selector" in item:
        return _key("selector", item["selector"])
    return None


def _key(kind: str, *parts: Any) -> tuple[str, ...]:
    return (kind, *(repr(_plain(part)) for part in parts))


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _merge_list(base: CommentedSeq, overlay: list[Any]) -> CommentedSeq:
    identities = [_identity(item) for item in overlay]
    if any(identity is None for identity in identities):
        return CommentedSeq(_commented(item) for item in overlay)  # plain values: the overlay's list wins
    index = {_identity(item): position for position, item in enumerate(base)}
    for identity, item in zip(identities, overlay):
        if identity in index:
            position = index[identity]
            base[position] = _merge(base[position], item)
        else:
            base.append(_commented(item))
    return base


def _merge(base: Any, overlay: Any) -> Any:
    if isinstance(base, CommentedMap) and isinstance(overlay, dict):
        for key, value in overlay.items():
            base[key] = _merge(base[key], value) if key in base else _commented(value)
        return base
    if isinstance(base, CommentedSeq) and isinstance(overlay, list):
        return _merge_list(base, overlay)
    return _commented(overlay)


def _commented(value: Any) -> Any:
    """Plain data as ruamel's round-trip types, so that it dumps in block style."""
    if isinstance(value, dict):
        mapping = CommentedMap()
        for key, item in value.items():
            mapping[key] = _commented(item)
        return mapping
    if isinstance(value, list):
        return CommentedSeq(_commented(item) for item in value)
    return value


def _timestamps(value: Any) -> dict[int, Any]:
    """A deepcopy memo that keeps each timestamp as it is (they are immutable): ruamel's TimeStamp
    copies itself without its fraction of a second and its time zone."""
    if isinstance(value, dict):
        return {k: v for item in value.values() for k, v in _timestamps(item).items()}
    if isinstance(value, list):
        return {k: v for item in value for k, v in _timestamps(item).items()}
    return {id(value): value} if isinstance(value, datetime) else {}


def merged_values(header: str, base: LoadedValues, overlay: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """`header` (gen's comment lines), then the base values with `overlay` merged in; and the data
    that text holds, proven to read back the same under YAML 1.1 and 1.2."""
    merged = _merge(copy.deepcopy(base.data, _timestamps(base.data)), overlay)
    text = header + dump(merged)
    failure = prove(text, merged)
    if failure is not None:
        raise UnprovenMerge(failure)
    document: dict[str, Any] = plain(merged)
    return text, document
