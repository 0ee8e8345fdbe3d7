"""Stage 1, load: profile file -> plain data plus a source map.

The source map records, for every path inside the profile, where its key and its value stand in
the file, so that later stages can report `file:line:column` from a path alone.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from ruamel.yaml.tokens import (
    BlockEndToken,
    BlockMappingStartToken,
    BlockSequenceStartToken,
    FlowMappingEndToken,
    FlowMappingStartToken,
    FlowSequenceEndToken,
    FlowSequenceStartToken,
)

from ..files import INPUT_LIMIT, Unreadable, line_and_column, read_regular
from ..problems import Location, Problem, ProfileError, ProfilePath
from ..yaml_limits import excess
from .source_map import Position, SourceMap

# A profile that expands to more nodes than this (for example through nested aliases) is
# refused before any stage walks it.
MAX_NODES = 200_000
# Far deeper than any profile needs. ruamel's constructor recurses once per level and runs out of
# stack at a few hundred; when it does, the scanner (which does not recurse) finds where the
# profile first passes this depth, to say where to look.
MAX_DEPTH = 64


_OPENING = (BlockMappingStartToken, BlockSequenceStartToken, FlowMappingStartToken, FlowSequenceStartToken)
_CLOSING = (BlockEndToken, FlowMappingEndToken, FlowSequenceEndToken)
# What ruamel's constructor raises, besides its own errors, for scalars such as `2025-02-30`,
# `!!int abc` or an integer of 5,000 digits.
CONSTRUCTION_ERRORS = (ValueError, KeyError, TypeError, OverflowError, IndexError)


@dataclass(frozen=True)
class LoadedProfile:
    file: str
    text: str
    data: Any
    source_map: SourceMap
    # Problems found while reading that do not stop validation (keys that are not strings).
    problems: tuple[Problem, ...] = ()


def _position(pair: Any) -> Position | None:
    if pair is None:
        return None
    line, column = pair
    return (line + 1, column + 1)


def _key_positions(node: CommentedMap, key: Any) -> tuple[Position | None, Position | None]:
    """Where `key` and its value are written: in `node`, or in a mapping merged in by `<<:`."""
    # ruamel keeps merged mappings as a list of mappings (older releases: of (index, mapping)).
    merged = [item[1] if isinstance(item, tuple) else item for item in getattr(node, "merge", [])]
    for mapping in (node, *merged):
        if isinstance(mapping, CommentedMap) and key in (mapping.lc.data or {}):
            return _position(mapping.lc.key(key)), _position(mapping.lc.value(key))
    return None, None


class TooLarge(Exception):
    pass


class SourceMapBuilder:
    def __init__(self, file: str) -> None:
        self.file = file
        self.keys: dict[ProfilePath, Position] = {}
        self.values: dict[ProfilePath, Position] = {}
        self.problems: list[Problem] = []
        self.nodes = 0

    def walk(self, node: Any, path: ProfilePath) -> Any:
        """Record positions below `node` and return it as plain dicts, lists and scalars."""
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise TooLarge
        if isinstance(node, CommentedMap):
            return self._mapping(node, path)
        if isinstance(node, CommentedSeq):
            items = []
            for index, value in enumerate(node):
                child = (*path, index)
                try:
                    position = _position(node.lc.item(index))
                except (KeyError, TypeError, IndexError):
                    position = None
                if position:
                    self.values[child] = position
                items.append(self.walk(value, child))
            return items
        return _plain_scalar(node)

    def _mapping(self, node: CommentedMap, path: ProfilePath) -> dict[str, Any]:
        plain: dict[str, Any] = {}
        for key, value in node.items():
            key_position, value_position = _key_positions(node, key)
            if not isinstance(key, str):
                line, column = key_position or self.values.get(path, (1, 1))
                self.problems.append(
                    Problem(
                        f"keys must be strings, this one is {type(key).__name__} {key!r}",
                        "key-type",
                        path,
                        "profile keys are names such as `clusters` or `name`; quote the key if it is one",
                        location=Location(self.file, line, column),
                    )
                )
                continue
            child = (*path, key)
            if key_position:
                self.keys[child] = key_position
            # An empty value, or a nested block that starts on the next line: point at the key.
            nested = isinstance(value, (CommentedMap, CommentedSeq))
            spelled = value_position if value is not None and not nested else None
            position = spelled or key_position
            if position:
                self.values[child] = position
            plain[key] = self.walk(value, child)
        return plain


def _plain_scalar(value: Any) -> Any:
    """ruamel's scalar subclasses (ScalarFloat, ScalarInt...) as the built-in types."""
    if isinstance(value, bool) or value is None:
        return value
    for kind in (str, int, float):
        if isinstance(value, kind):
            return kind(value)
    return value


def _too_deep(text: str) -> Position | None:
    """Where nesting first passes MAX_DEPTH, found with the scanner (which does not recurse)."""
    depth = 0
    for token in YAML(typ="rt").scan(text):
        if isinstance(token, _OPENING):
            depth += 1
            if depth > MAX_DEPTH:
                return (token.start_mark.line + 1, token.start_mark.column + 1)
        elif isinstance(token, _CLOSING):
            depth -= 1
    return None


@dataclass
class _NodeFacts:
    """What one walk over the parser's nodes finds: each scalar's source text, repeated keys."""

    spellings: dict[Position, str] = field(default_factory=dict)
    duplicates: list[tuple[Position, str]] = field(default_factory=list)


def _mark(node: Node) -> Position:
    return (node.start_mark.line + 1, node.start_mark.column + 1)


def _node_facts(root: Node | None, text: str) -> _NodeFacts:
    facts = _NodeFacts()
    stack: list[Node] = [root] if root is not None else []
    seen: set[int] = set()  # an alias shares its anchor's node: visit each node once
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, ScalarNode):
            spelling = text[node.start_mark.index : node.end_mark.index]
            if spelling:  # an empty value is marked where the next token starts: it would hide that one
                facts.spellings[_mark(node)] = spelling
        elif isinstance(node, MappingNode):
            keys: set[str] = set()
            for key, value in node.value:
                if isinstance(key, ScalarNode) and str(getattr(key.tag, "value", key.tag)) != "tag:yaml.org,2002:merge":
                    if key.value in keys:
                        facts.duplicates.append((_mark(key), key.value))
                    keys.add(key.value)
                stack.extend((key, value))
        elif isinstance(node, SequenceNode):
            stack.extend(node.value)
    return facts


def _unconstructible_scalar(yaml: YAML, root: Node) -> tuple[Position, str] | None:
    """The first scalar that ruamel parses but cannot turn into a value, and why."""
    stack: list[Node] = [root]
    failures = []
    while stack:
        node = stack.pop()
        if isinstance(node, ScalarNode):
            try:
                yaml.constructor.construct_object(node, deep=True)
            except CONSTRUCTION_ERRORS as error:
                failures.append((_mark(node), str(error)))
        elif isinstance(node, MappingNode):
            stack.extend(part for pair in node.value for part in pair)
        elif isinstance(node, SequenceNode):
            stack.extend(node.value)
    return min(failures) if failures else None


def _failure(name: str) -> Callable[..., ProfileError]:
    """`fail(message, hint, line=1, column=1, rule="yaml")`: one located problem in file `name`."""

    def fail(message: str, hint: str, line: int = 1, column: int = 1, rule: str = "yaml") -> ProfileError:
        return ProfileError([Problem(message, rule, hint=hint, location=Location(name, line, column))])

    return fail


def load_profile(path: Path, display_name: str | None = None) -> LoadedProfile:
    """Read and parse a profile; a file that is not readable YAML raises ProfileError."""
    name = display_name or str(path)
    fail = _failure(name)

    try:
        raw = read_regular(path, INPUT_LIMIT)  # a FIFO or /dev/zero would block or never end
    except Unreadable as error:
        raise fail(f"the profile {error.strerror}", "give the path of a profile YAML file", rule="file")
    except OSError as error:
        raise fail(f"cannot read the profile: {error.strerror}", "check the path and its permissions", rule="file")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line, column = line_and_column(raw, error.start)
        raise fail("the profile is not UTF-8 text", "save the file as UTF-8", line, column, rule="file")
    from .fast_load import fast_load  # built on this module's types

    fast = fast_load(text, name)
    loaded = fast if fast is not None else read_with_ruamel(text, name)
    if "\\u" in text or "\\U" in text:  # only an escape can make a surrogate: check where one is written
        found = surrogate_problems(loaded.data)
        if found:
            return replace(loaded, problems=(*loaded.problems, *found))
    return loaded


def _surrogates(data: Any, path: ProfilePath = ()) -> Iterator[tuple[ProfilePath, bool]]:
    if isinstance(data, dict):
        for key, value in data.items():
            if isinstance(key, str) and _has_surrogate(key):
                yield (*path, key), True
            yield from _surrogates(value, (*path, key))
    elif isinstance(data, list):
        for index, item in enumerate(data):
            yield from _surrogates(item, (*path, index))
    elif isinstance(data, str) and _has_surrogate(data):
        yield path, False


def holds_surrogate(data: Any) -> bool:
    """Whether a key or string anywhere in `data` holds a lone surrogate (`surrogate_problems` names
    each): a Rust validator such as jsonschema-rs cannot even be handed such a value."""
    return next(_surrogates(data), None) is not None


def _has_surrogate(text: str) -> bool:
    return any("\ud800" <= char <= "\udfff" for char in text)


def surrogate_problems(data: Any) -> list[Problem]:
    """Strings that hold half of a UTF-16 surrogate pair (`"\\ud834"`): not a character, and no YAML
    or JSON reader downstream would read it back; YAML writes the character itself or `\\U0001D11E`."""
    return [Problem("this text holds a lone UTF-16 surrogate (an escape such as \\ud834): it is not a character",
                    "not-unicode", path, "write the character itself, or its code point as \\U0001D11E",
                    at_key=at_key) for path, at_key in _surrogates(data)]


def read_with_ruamel(text: str, name: str) -> LoadedProfile:
    """The reference reader: any YAML 1.2, every error worded and placed."""
    fail = _failure(name)

    # Parse once into nodes (their marks give positions and source text), then construct.
    yaml = YAML(typ="rt")
    yaml.allow_duplicate_keys = False
    try:
        root = yaml.compose(text)
        facts = _node_facts(root, text)
        if facts.duplicates:
            raise ProfileError(
                [
                    Problem(
                        f"invalid YAML: duplicate key {key!r}",
                        "yaml",
                        hint="each key may appear once in a mapping",
                        location=Location(name, *position),
                    )
                    for position, key in sorted(facts.duplicates)
                ]
            )
        document = yaml.constructor.construct_document(root) if root is not None else None
    except RecursionError:
        deep = _too_deep(text) or (1, 1)
        raise fail(f"the profile nests deeper than {MAX_DEPTH} levels", "flatten the structure", *deep, rule="size")
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        detail = " ".join(" ".join(str(part) for part in (error.context, error.problem) if part).split())
        raise fail(
            f"invalid YAML: {detail}",
            "fix the YAML syntax at this position",
            *((mark.line + 1, mark.column + 1) if mark else (1, 1)),
        )
    except YAMLError as error:
        raise fail(f"invalid YAML: {error}", "fix the YAML syntax", rule="yaml")
    except CONSTRUCTION_ERRORS as error:
        found = _unconstructible_scalar(YAML(typ="rt"), root) if root is not None else None
        position, reason = found if found else ((1, 1), str(error))
        raise fail(
            f"invalid YAML value: {reason}",
            "quote the value to make it a string, or correct it",
            *position,
        )

    builder = SourceMapBuilder(name)
    try:
        data = builder.walk(document, ())
    except (TooLarge, RecursionError):
        past = excess(YAML(typ="rt").parse(text), MAX_NODES, MAX_DEPTH)  # where, from the parser's events
        raise fail(
            f"the profile {past.message if past else f'expands to more than {MAX_NODES} YAML nodes'}",
            "avoid nested aliases (&anchor/*alias); write the profile out plainly",
            *((past.line, past.column) if past else (1, 1)),
            rule="size",
        )
    return LoadedProfile(name, text, data, SourceMap(name, builder.keys, builder.values, facts.spellings), tuple(builder.problems))
