"""The one filter every live values file (`baseValues`) passes before anything is merged into it.

First aliases and merge keys are resolved: every `*alias` becomes a copy of what it names and
every `<<:` merge becomes the keys it brings, so that no secret can travel under another name
(`aliased: {x: *s}` where `secrets: &s`) and no later stage meets a merge. A value is then removed
when it is at one of TSB's secret paths (`secrets:`, the charts' install-time credentials), held by
a key that names a secret (any nesting, plural, camel or snake case: detect.secret_key), reached
through an alias of such a value, or looks like a secret by its content (detect.detect). A value
the profile lists under `notSecret` is kept, though what is below it is still judged.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ruamel.yaml.comments import Comment, CommentedMap, CommentedSeq, merge_attrib

from .detect import detect, secret_holder

# The helm charts' own place for install-time credentials (ControlPlane and ManagementPlane):
# everything below it is a secret, and `notSecret` cannot keep it.
TSB_SECRET_PATHS: tuple[tuple[str, ...], ...] = (("secrets",),)
# Values an aliased file may expand to: a few YAML lines can otherwise name billions ("YAML bombs").
EXPANDED_MAX = 100_000

Path = tuple[str | int, ...]


def dotted(path: Path) -> str:
    """`('spec', 'overlays', 0, 'name')` -> `spec.overlays[0].name`, as warnings name a value."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def tsb_secret_path(path: Path) -> bool:
    return any(path[: len(prefix)] == prefix for prefix in TSB_SECRET_PATHS)


@dataclass(frozen=True)
class Removed:
    path: str  # dotted
    line: int  # 1-based, in the text that was parsed
    column: int
    reason: str  # for people: why it is a secret


@dataclass(frozen=True)
class Filtered:
    removed: tuple[Removed, ...]  # in file order
    kept: tuple[str, ...]  # `notSecret` paths that kept a value gen would have removed
    kept_values: tuple[str, ...]  # the strings those paths kept, which the output gate lets pass


class AliasError(Exception):
    """Aliases that cannot be resolved: a value that holds itself, or one that expands too far."""

    def __init__(self, message: str, line: int, column: int) -> None:
        super().__init__(message)
        self.message, self.line, self.column = message, line, column


def _position(node: Any, key: Any) -> tuple[int, int]:
    """0-based line and column of `key` (a mapping key or a list index) in `node`, as parsed."""
    try:
        line, column = node.lc.key(key) if isinstance(node, CommentedMap) else node.lc.item(key)
        return int(line), int(column)
    except (KeyError, IndexError, AttributeError, TypeError):
        return int(getattr(node.lc, "line", 0) or 0), int(getattr(node.lc, "col", 0) or 0)


class _Survey:
    """One walk of the file as parsed, where an alias is the very object it names: which values
    sit at a secret path or under a secret key (wherever else they are reached from), and whether
    anything needs resolving."""

    def __init__(self) -> None:
        self.tainted: set[int] = set()
        self.seen: set[int] = set()
        self.shared = False
        self.count = 0

    def walk(self, node: Any, path: Path, secret: bool, active: tuple[int, ...], where: tuple[int, int]) -> None:
        self.count += 1
        if self.count > EXPANDED_MAX:
            raise AliasError(f"the aliases expand the file to more than {EXPANDED_MAX} values", where[0] + 1,
                             where[1] + 1)
        anchored = getattr(getattr(node, "anchor", None), "value", None) is not None
        if secret and (isinstance(node, (CommentedMap, CommentedSeq)) or anchored):
            self.tainted.add(id(node))
        if not isinstance(node, (CommentedMap, CommentedSeq)):
            return
        if id(node) in active:
            raise AliasError(f"'{dotted(path)}' holds itself through an alias", where[0] + 1, where[1] + 1)
        if id(node) in self.seen or getattr(node, merge_attrib, None):
            self.shared = True
        self.seen.add(id(node))
        inside = (*active, id(node))
        if isinstance(node, CommentedMap):
            for key in node:
                value = node[key]
                child = (*path, str(key))
                below = secret or tsb_secret_path(child) or secret_holder(str(key), value)
                self.walk(value, child, below, inside, _position(node, key))
        else:
            for index, item in enumerate(node):
                self.walk(item, (*path, index), secret, inside, _position(node, index))


def _merge_sources(node: CommentedMap, key: Any) -> list[CommentedMap]:
    """The mappings a merged key comes through, from `node`'s merge down to where it is written."""
    for source in getattr(node, merge_attrib, None) or ():
        if key in source:
            return [source, *_merge_sources(source, key)]
    return []


def _rebuild(node: Any, tainted: set[int], first: set[int], entries: set[tuple[int, Any]]) -> Any:
    """A copy of `node` with every alias a copy of its own and every merge resolved into plain
    keys. The first copy of a node keeps its comments; later ones (what aliases named) only their
    positions, which are those of the text the alias names."""
    if not isinstance(node, (CommentedMap, CommentedSeq)):
        return node  # scalars are immutable: shared, they stay the same object (and taint)
    copy: Any = CommentedMap() if isinstance(node, CommentedMap) else CommentedSeq()
    if id(node) not in first and hasattr(node, Comment.attrib):
        setattr(copy, Comment.attrib, getattr(node, Comment.attrib))
    first.add(id(node))
    copy.lc.line, copy.lc.col = node.lc.line, node.lc.col
    copy.lc.data = dict(node.lc.data or {})
    copy.fa._flow_style = node.fa.flow_style()
    if id(node) in tainted:
        tainted.add(id(copy))
    if isinstance(node, CommentedMap):
        for key in node:
            copy[key] = _rebuild(node[key], tainted, first, entries)
            sources = [] if key in node._ok else _merge_sources(node, key)
            if sources:  # a merged key: written where it was merged from, secret if that is
                copy.lc.data[key] = sources[-1].lc.data.get(key) or (sources[-1].lc.line, sources[-1].lc.col)
                if any(id(source) in tainted for source in sources):
                    entries.add((id(copy), key))
    else:
        for item in node:
            copy.append(_rebuild(item, tainted, first, entries))
    return copy


@dataclass(frozen=True)
class Resolved:
    data: CommentedMap
    tainted: set[int]  # ids of the values that are secret by where they are written, and their copies
    entries: set[tuple[int, Any]]  # (id of a mapping, key): keys merged from such a value
    # The file as parsed, kept alive with the result: the ids above are of objects that exist.
    parsed: CommentedMap | None = None


def resolve_aliases(data: CommentedMap) -> Resolved:
    """`data` with aliases and merge keys resolved, and what in it is secret by where it is
    written (so that every copy an alias or a merge made of it is, too)."""
    survey = _Survey()
    survey.walk(data, (), False, (), (0, 0))
    if not survey.shared:
        return Resolved(data, survey.tainted, set(), data)
    tainted = set(survey.tainted)
    entries: set[tuple[int, Any]] = set()
    resolved = _rebuild(data, tainted, set(), entries)
    _clear_anchors(resolved)
    return Resolved(resolved, tainted, entries, data)


def _clear_anchors(node: Any) -> None:
    """No anchor is written again: every alias is a copy now."""
    if isinstance(node, (CommentedMap, CommentedSeq)):
        anchor = getattr(node, "anchor", None)
        if anchor is not None and anchor.value is not None:
            node.yaml_set_anchor(None)
        for child in node.values() if isinstance(node, CommentedMap) else node:
            _clear_anchors(child)


def _leaves(value: Any, path: Path, where: tuple[int, int], reason: str) -> Iterator[Removed]:
    """Each scalar below `value` with its position: a removal names what it takes, one by one."""
    if isinstance(value, CommentedMap) and value:
        for key in value:
            yield from _leaves(value[key], (*path, str(key)), _position(value, key), reason)
    elif isinstance(value, CommentedSeq) and value:
        for index, item in enumerate(value):
            yield from _leaves(item, (*path, index), _position(value, index), reason)
    else:
        yield Removed(dotted(path), where[0] + 1, where[1] + 1, reason)


class _Scrub:
    def __init__(self, resolved: Resolved, keep: frozenset[str]) -> None:
        self.resolved, self.keep = resolved, keep
        self.removed: list[Removed] = []
        self.kept: list[str] = []
        self.kept_values: list[str] = []

    def reason(self, parent: Any, key: Any, path: Path) -> str | None:
        value = parent[key]
        name = str(key) if isinstance(parent, CommentedMap) else None
        if tsb_secret_path(path) and len(path) == len(TSB_SECRET_PATHS[0]):
            return "under `secrets:`, the chart's install-time credentials"
        if name is not None and secret_holder(name, value):
            return f"the key '{name}' names a secret"
        if id(value) in self.resolved.tainted or (id(parent), key) in self.resolved.entries:
            return "an alias or a merge of a secret"
        if name is not None and (found := detect(name)) is not None:
            return f"the key is one: {found.kind}"
        if isinstance(value, CommentedMap) and "kty" in value:
            return "detected: JSON Web Key"
        if isinstance(value, str) and (found := detect(value)) is not None:
            return f"detected: {found.kind}"
        return None

    def judge(self, parent: Any, key: Any, path: Path) -> bool:
        """Whether the value at `path` (`key` in `parent`) goes; records it either way."""
        value = parent[key]
        reason = self.reason(parent, key, path)
        if reason is None:
            return False
        name = dotted(path)
        if name in self.keep and not tsb_secret_path(path):
            self.kept.append(name)
            if isinstance(value, str):
                self.kept_values.append(str(value))
            return False
        self.removed.extend(_leaves(value, path, _position(parent, key), reason))
        return True

    def walk(self, node: Any, path: Path) -> None:
        if isinstance(node, CommentedMap):
            for key in list(node):
                child = (*path, str(key))
                if self.judge(node, key, child):
                    del node[key]
                else:
                    self.walk(node[key], child)
        elif isinstance(node, CommentedSeq):
            doomed = [index for index in range(len(node)) if self.judge(node, index, (*path, index))]
            for index, item in enumerate(node):
                if index not in doomed:
                    self.walk(item, (*path, index))
            for index in reversed(doomed):
                del node[index]


def filter_secrets(data: CommentedMap, keep: frozenset[str] = frozenset()) -> tuple[CommentedMap, Filtered]:
    """`data` (aliases resolved) without its secrets; what went and what `keep` kept. Raises
    AliasError for aliases that cannot be resolved."""
    resolved = resolve_aliases(data)
    scrub = _Scrub(resolved, keep)
    scrub.walk(resolved.data, ())
    removed = sorted(scrub.removed, key=lambda item: (item.line, item.column))
    return resolved.data, Filtered(tuple(removed), tuple(dict.fromkeys(scrub.kept)), tuple(scrub.kept_values))
