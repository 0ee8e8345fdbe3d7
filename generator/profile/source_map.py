"""Where each path of a profile (or policy) file is written: positions for `file:line:column`."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from ..problems import Location, ProfilePath

Position = tuple[int, int]  # 1-based line, column
# What a source map holds: where each path's key and value stand, and every scalar's spelling.
Positions = tuple[Mapping[ProfilePath, Position], Mapping[ProfilePath, Position], Mapping[Position, str]]


class SourceMap:
    """Where each path of a file is written. Its positions may be `deferred`: read when first asked
    for (a render that finds no problem never asks, and an estate's positions cost more memory
    than its data). Two maps are equal when they say the same of the same file."""

    __slots__ = ("file", "_positions", "_deferred")

    def __init__(self, file: str, keys: Mapping[ProfilePath, Position] | None = None,
                 values: Mapping[ProfilePath, Position] | None = None,
                 spellings: Mapping[Position, str] | None = None,
                 deferred: Callable[[], Positions] | None = None) -> None:
        self.file = file
        self._positions: Positions | None = None if deferred else (keys or {}, values or {}, spellings or {})
        self._deferred = deferred

    def _read(self) -> Positions:
        if self._positions is None:
            assert self._deferred is not None
            self._positions, self._deferred = self._deferred(), None
        return self._positions

    @property
    def keys(self) -> Mapping[ProfilePath, Position]:
        return self._read()[0]

    @property
    def values(self) -> Mapping[ProfilePath, Position]:
        return self._read()[1]

    @property
    def spellings(self) -> Mapping[Position, str]:
        return self._read()[2]

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, SourceMap):
            return NotImplemented
        return self.file == other.file and self._read() == other._read()

    __hash__ = None  # type: ignore[assignment]  # mutable in effect: its positions may come later

    def __repr__(self) -> str:
        return f"SourceMap({self.file!r}{', deferred' if self._positions is None else ''})"

    def locate(self, path: ProfilePath, at_key: bool = False) -> Location:
        """The position of `path`, or of its nearest ancestor that the file spells out."""
        keys, values, _ = self._read()
        for end in range(len(path), -1, -1):
            prefix = path[:end]
            if at_key and end == len(path) and prefix in keys:
                return Location(self.file, *keys[prefix])
            if prefix in values:
                return Location(self.file, *values[prefix])
        return Location(self.file, 1, 1)

    def raw_text(self, path: ProfilePath) -> str:
        """The scalar as the user wrote it (`1.20`, not the float 1.2), for hints."""
        _, values, spellings = self._read()
        position = values.get(path)
        return spellings.get(position, "") if position else ""
