"""The fast reader of stage 1: libyaml's events (C) where they provably mean what ruamel reads.

ruamel (pure Python) is the reference reader of profiles: YAML 1.2, positions for every path,
precise error messages. On an estate of a thousand namespaces it takes most of a second. This
reader builds the same `LoadedProfile` (data, key and value positions, scalar spellings) from
libyaml's event stream, for the plain subset of YAML that profiles are written in, and returns
None, leaving the file to ruamel, for anything outside that subset:

- anything libyaml refuses (ruamel then words the error), and more than one document;
- explicit tags, aliases, merge keys (`<<`), keys that are not strings, repeated keys;
- scalars spread over several lines, block scalars (`|`, `>`), escapes in double quotes;
- characters where YAML 1.1 (libyaml) and 1.2 (ruamel) draw lines differently (NEL, LS, PS),
  tabs, carriage returns, a byte-order mark;
- nesting past MAX_DEPTH or more than MAX_NODES nodes (ruamel's path says so, with a position).

Inside the subset, a quoted scalar is its text, and a plain scalar is whatever ruamel's own
resolver and constructor make of it (memoised per spelling; the common names skip even that).
tests/test_fast_load.py checks both readers agree on every profile the project ships and on
generated ones.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.nodes import ScalarNode as RuamelScalar

from ..problems import ProfilePath
from .load import CONSTRUCTION_ERRORS, MAX_DEPTH, MAX_NODES, LoadedProfile, _plain_scalar
from .source_map import Position, Positions, SourceMap

# Text with any of these is left to ruamel without looking further.
_SLOW_TEXT = re.compile("[\t\r\x85\u2028\u2029\ufeff]")
# Plain scalars that are strings under YAML 1.2 for certain: a letter first, no YAML keyword.
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_./-]*")
_KEYWORDS = frozenset(("true", "false", "null"))
_PLAIN_STYLES = (None, "")
_STRING = "tag:yaml.org,2002:str"


class _Slow(Exception):
    """The text is outside the fast reader's subset: ruamel reads it."""


_ruamel = YAML(typ="rt")


@lru_cache(maxsize=65536)
def _plain(value: str) -> Any:
    """A plain scalar as ruamel constructs it, as a built-in type."""
    if _NAME.fullmatch(value) and value.lower() not in _KEYWORDS:
        return value
    tag = _ruamel.resolver.resolve(RuamelScalar, value, (True, False))
    if tag == "tag:yaml.org,2002:merge":
        raise _Slow
    try:
        constructed = _ruamel.constructor.construct_object(RuamelScalar(tag, value, style=None), deep=True)
    except CONSTRUCTION_ERRORS:
        raise _Slow from None
    return _plain_scalar(constructed)


def _position(mark: Any) -> Position:
    return (mark.line + 1, mark.column + 1)


class _Reader:
    """`positions`: record where each path is written, and each scalar's spelling (the source map);
    without, only the data is read (the same events, the same checks)."""

    def __init__(self, text: str, positions: bool = True) -> None:
        self.text = text
        self.positions = positions
        self.keys: dict[ProfilePath, Position] = {}
        self.values: dict[ProfilePath, Position] = {}
        self.spellings: dict[Position, str] = {}
        self.nodes = 0
        self.events = iter(yaml.parse(text, Loader=yaml.CSafeLoader))
        # One string for each scalar written alike (keys, a cluster's or an app's name): an estate's
        # data repeats them in every namespace.
        self.strings: dict[str, str] = {}

    def document(self) -> Any:
        kinds = [type(next(self.events)) for _ in range(2)]
        if kinds != [yaml.StreamStartEvent, yaml.DocumentStartEvent]:
            raise _Slow  # an empty stream
        data, _ = self.node(next(self.events), (), 0)
        if not isinstance(next(self.events), yaml.DocumentEndEvent):
            raise _Slow
        if not isinstance(next(self.events), yaml.StreamEndEvent):
            raise _Slow  # a second document
        return data

    def node(self, event: Any, path: ProfilePath, depth: int) -> tuple[Any, bool]:
        """(value, whether it is a collection) of the node that starts with `event`."""
        self.nodes += 1
        if self.nodes > MAX_NODES or depth > MAX_DEPTH:
            raise _Slow
        kind = type(event)
        if kind is yaml.ScalarEvent:
            return self.scalar(event), False
        if kind is yaml.MappingStartEvent and (event.tag is None or event.implicit):
            return self.mapping(path, depth), True
        if kind is yaml.SequenceStartEvent and (event.tag is None or event.implicit):
            return self.sequence(path, depth), True
        raise _Slow  # an alias or an explicit tag

    def scalar(self, event: Any) -> Any:
        start, end = event.start_mark, event.end_mark
        if start.line != end.line or not event.implicit[0 if event.style in _PLAIN_STYLES else 1]:
            raise _Slow  # a scalar over several lines, or with a tag
        spelling = self.text[start.index : end.index]
        if spelling and self.positions:
            self.spellings[_position(start)] = spelling
        value = self.strings.setdefault(event.value, event.value)
        if event.style in _PLAIN_STYLES:
            return _plain(value)
        if event.style == '"' and "\\" in spelling or event.style not in ('"', "'"):
            raise _Slow  # escapes, or a block scalar
        return value

    def mapping(self, path: ProfilePath, depth: int) -> dict[str, Any]:
        plain: dict[str, Any] = {}
        while True:
            event = next(self.events)
            if type(event) is yaml.MappingEndEvent:
                return plain
            if type(event) is not yaml.ScalarEvent:
                raise _Slow  # a key that is a collection or an alias
            key = self.scalar(event)
            if not isinstance(key, str) or key in plain:
                raise _Slow  # ruamel reports these, with positions
            value_event = next(self.events)
            if not self.positions:
                plain[key] = self.node(value_event, path, depth + 1)[0]
                continue
            child = (*path, key)
            key_position = _position(event.start_mark)
            self.keys[child] = key_position
            value, nested = self.node(value_event, child, depth + 1)
            # As ruamel's map: a scalar value where it is written, an empty or nested one at its key.
            spelled = value is not None and not nested
            self.values[child] = _position(value_event.start_mark) if spelled else key_position
            plain[key] = value

    def sequence(self, path: ProfilePath, depth: int) -> list[Any]:
        items: list[Any] = []
        while True:
            event = next(self.events)
            if type(event) is yaml.SequenceEndEvent:
                return items
            if not self.positions:
                items.append(self.node(event, path, depth + 1)[0])
                continue
            child = (*path, len(items))
            self.values[child] = _position(event.start_mark)
            items.append(self.node(event, child, depth + 1)[0])


def fast_load(text: str, name: str) -> LoadedProfile | None:
    """The profile as `load_profile` reads it, or None where only ruamel may say what it means."""
    if _SLOW_TEXT.search(text):
        return None
    try:
        data = _Reader(text, positions=False).document()
    except (_Slow, yaml.YAMLError, RecursionError, StopIteration):
        return None
    return LoadedProfile(name, text, data, SourceMap(name, deferred=lambda: _positions(text)))


def _positions(text: str) -> Positions:
    """The source map of a text the fast reader has read once already: the second reading walks the
    same events, so it reads the same, and this time notes where each path is written."""
    reader = _Reader(text)
    reader.document()
    return reader.keys, reader.values, reader.spellings
