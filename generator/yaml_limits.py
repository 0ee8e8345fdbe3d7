"""How large and how deep a YAML text becomes once every alias is expanded, found from the parser's
events (a flat stream: reading them neither recurses nor expands anything).

A few lines of anchors and aliases (`&a [*b, *b, ...]`) expand to billions of nodes; a few
thousand brackets nest deeper than the parsers, the validators and Python's own recursion go (a
composer written in C crashes the process). So a text is measured before any of them sees it,
and the first place past a limit is reported at its line and column.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Excess:
    """The first place where a text passes a limit."""

    message: str
    line: int  # 1-based
    column: int


def _at(event: Any, message: str) -> Excess:
    mark = event.start_mark
    return Excess(message, mark.line + 1, mark.column + 1)


def excess(events: Iterable[Any], max_nodes: int, max_depth: int) -> Excess | None:
    """Where the documents of `events` (PyYAML's or ruamel's), with every alias expanded, first pass
    `max_nodes` nodes in all or `max_depth` levels of nesting; None if they never do."""
    anchored: dict[str, tuple[int, int]] = {}  # anchor -> (nodes, levels) of its node
    open_: list[list[Any]] = []  # collections being read: [anchor, nodes, levels below]
    total = 0

    def close(anchor: Any, nodes: int, levels: int) -> None:
        if anchor is not None:
            anchored[str(anchor)] = (nodes, levels)
        if open_:
            parent = open_[-1]
            parent[1] += nodes
            parent[2] = max(parent[2], levels + 1)

    for event in events:
        kind = type(event).__name__
        if kind in ("MappingStartEvent", "SequenceStartEvent"):
            total += 1
            if len(open_) + 1 > max_depth:
                return _at(event, f"nests deeper than {max_depth} levels")
            open_.append([event.anchor, 1, 1])
        elif kind in ("MappingEndEvent", "SequenceEndEvent"):
            close(*open_.pop())
        elif kind in ("ScalarEvent", "AliasEvent"):
            nodes, levels = anchored.get(str(event.anchor), (1, 1)) if kind == "AliasEvent" else (1, 1)
            total += nodes
            if total > max_nodes:
                return _at(event, f"expands to more than {max_nodes} YAML nodes"
                           + (" at this alias" if kind == "AliasEvent" else ""))
            if len(open_) + levels > max_depth:
                return _at(event, f"nests deeper than {max_depth} levels"
                           + (" once this alias is expanded" if kind == "AliasEvent" else ""))
            close(event.anchor if kind == "ScalarEvent" else None, nodes, levels)
    return None


def may_exceed(text: str, max_depth: int) -> bool:
    """Whether `text` may pass a limit at all, from a bound that costs no parsing. Only an anchor
    (`&`) lets a text expand. Its nesting is at most the flow brackets it holds plus twice (plus
    two) the column where its deepest block collection starts: one inside another starts further
    right, but for a sequence at its mapping key's column; and a block collection starts after its
    line's indentation and the `- ` or `? ` indicators that open it on that line. The longest line
    bounds that column (cheap); where it does not settle it, the longest such prefix does."""
    if "&" in text:
        return True
    room = max_depth - text.count("[") - text.count("{")
    if room <= 0:
        return True
    lines = text.split("\n")
    if 2 * (max(map(len, lines)) + 1) <= room:
        return False
    start = room // 2  # a collection starting at this column or further right may pass the limit
    return any(len(line) - len(line.lstrip(" ?-")) >= start for line in lines if len(line) >= start)
