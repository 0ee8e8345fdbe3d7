"""Stage 1, load: profile file -> plain data plus a source map.

The source map records, for every path inside the profile, where its key and its value stand in
the file, so that later stages can report `file:line:column` from a path alone.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.constructor import DuplicateKeyError
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from .problems import Location, Problem, ProfileError, ProfilePath

# A profile that expands to more nodes than this (for example through nested aliases) is
# refused before any stage walks it.
MAX_NODES = 200_000

Position = tuple[int, int]  # 1-based line, column


@dataclass(frozen=True)
class SourceMap:
    file: str
    keys: Mapping[ProfilePath, Position] = field(default_factory=dict)
    values: Mapping[ProfilePath, Position] = field(default_factory=dict)

    def locate(self, path: ProfilePath, at_key: bool = False) -> Location:
        """The position of `path`, or of its nearest ancestor that the file spells out."""
        for end in range(len(path), -1, -1):
            prefix = path[:end]
            if at_key and end == len(path) and prefix in self.keys:
                return Location(self.file, *self.keys[prefix])
            if prefix in self.values:
                return Location(self.file, *self.values[prefix])
        return Location(self.file, 1, 1)

    def raw_text(self, path: ProfilePath, source: str) -> str:
        """The scalar as the user wrote it (`1.20`, not the float 1.2), for hints."""
        if path not in self.values:
            return ""
        line, column = self.values[path]
        lines = source.splitlines()
        if line > len(lines):
            return ""
        text = lines[line - 1][column - 1 :]
        for stop in (" #", ",", "]", "}"):
            cut = text.find(stop)
            if cut >= 0:
                text = text[:cut]
        return text.strip()


@dataclass(frozen=True)
class LoadedProfile:
    file: str
    text: str
    data: Any
    source_map: SourceMap


def _position(pair: Any) -> Position | None:
    if pair is None:
        return None
    line, column = pair
    return (line + 1, column + 1)


class _SourceMapBuilder:
    def __init__(self) -> None:
        self.keys: dict[ProfilePath, Position] = {}
        self.values: dict[ProfilePath, Position] = {}
        self.nodes = 0

    def walk(self, node: Any, path: ProfilePath) -> Any:
        """Record positions below `node` and return it as plain dicts, lists and scalars."""
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise _TooLarge
        if isinstance(node, CommentedMap):
            plain: dict[Any, Any] = {}
            for key, value in node.items():
                child = (*path, key if isinstance(key, (str, int)) else str(key))
                key_pos = value_pos = None
                try:
                    key_pos = _position(node.lc.key(key))
                    value_pos = _position(node.lc.value(key))
                except (KeyError, TypeError):  # keys brought in by a merge (`<<:`)
                    pass
                if key_pos:
                    self.keys[child] = key_pos
                if value_pos and not isinstance(value, (CommentedMap, CommentedSeq)):
                    self.values[child] = value_pos
                elif key_pos:
                    # A nested block starts on the next line; point at its key instead.
                    self.values[child] = key_pos
                plain[key] = self.walk(value, child)
            return plain
        if isinstance(node, CommentedSeq):
            items = []
            for index, value in enumerate(node):
                child = (*path, index)
                try:
                    pos = _position(node.lc.item(index))
                except (KeyError, TypeError):
                    pos = None
                if pos:
                    self.values[child] = pos
                items.append(self.walk(value, child))
            return items
        return _plain_scalar(node)


def _plain_scalar(value: Any) -> Any:
    """ruamel's scalar subclasses (ScalarFloat, ScalarInt...) as the built-in types."""
    if isinstance(value, bool) or value is None:
        return value
    for kind in (str, int, float):
        if isinstance(value, kind):
            return kind(value)
    return value


class _TooLarge(Exception):
    pass


def load_profile(path: Path, display_name: str | None = None) -> LoadedProfile:
    """Read and parse a profile; a file that is not readable YAML raises ProfileError."""
    name = display_name or str(path)

    def fail(message: str, hint: str, line: int = 1, column: int = 1, rule: str = "yaml") -> ProfileError:
        return ProfileError(
            [Problem(message, rule, hint=hint, location=Location(name, line, column))]
        )

    try:
        raw = path.read_bytes()
    except IsADirectoryError:
        raise fail("the profile path is a directory", "give the path of a profile YAML file", rule="file")
    except OSError as error:
        raise fail(f"cannot read the profile: {error.strerror}", "check the path and its permissions", rule="file")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        raise fail("the profile is not UTF-8 text", "save the file as UTF-8", line, column, rule="file")

    yaml = YAML(typ="rt")
    yaml.allow_duplicate_keys = False
    try:
        document = yaml.load(text)
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        if isinstance(error, DuplicateKeyError):
            key = str(error.problem).split('"')[1] if '"' in str(error.problem) else ""
            raise fail(f"invalid YAML: duplicate key {key!r}", "each key may appear once in a mapping", line, column)
        detail = " ".join(" ".join(str(part) for part in (error.context, error.problem) if part).split())
        raise fail(f"invalid YAML: {detail}", "fix the YAML syntax at this position", line, column)
    except YAMLError as error:
        raise fail(f"invalid YAML: {error}", "fix the YAML syntax", rule="yaml")

    builder = _SourceMapBuilder()
    try:
        data = builder.walk(document, ())
    except (_TooLarge, RecursionError):
        raise fail(
            f"the profile expands to more than {MAX_NODES} YAML nodes",
            "avoid nested aliases (&anchor/*alias); write the profile out plainly",
            rule="size",
        )
    return LoadedProfile(name, text, data, SourceMap(name, builder.keys, builder.values))
