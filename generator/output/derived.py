"""A shape's text, and the files derived from it, held as the shape and their slot values.

A derived file's text is the shape's text with each mark replaced by a slot's value
(output/shapes.py says why that is exactly what rendering it gives). An estate holds thousands of
them until they are written, so a derived file keeps only its shape's form and its values (a tuple of
strings every output of its namespace shares) and its text is joined each time it is read: when it
is gated, compared with the tree, hashed for the ledger and written. Joining a text costs less than
a copy of it, and memory no longer grows by a text per file.

The secret gate reads each distinct line of a tree once (secrets/gate.py): a shape's lines that hold
no mark are the same in each of its files, so they are given once per shape, and each file gives
only the lines that hold one of its values. A slot's value is a DNS label or a file name
(output/shapes.py), so no value holds a line break, and a file's lines are exactly the shape's
lines with the values put in.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

Tree = dict[Any, Any]  # document step -> slot number, or a deeper Tree
Line = tuple[str | int, ...]  # a line that holds a mark: text, and slot numbers where values go


class Form:
    """A shape's text, cut at its marks: all that a file derived from it keeps of it."""

    __slots__ = ("parts", "marks", "_lines")

    def __init__(self, parts: list[str], marks: tuple[tuple[int, int], ...]) -> None:
        self.parts = parts  # the text, cut at the marks
        self.marks = marks  # (index in parts, slot number) of each mark
        self._lines: tuple[frozenset[str], tuple[Line, ...]] | None = None

    def text(self, values: tuple[str, ...]) -> str:
        parts = self.parts.copy()
        for index, number in self.marks:
            parts[index] = values[number]
        return "".join(parts)

    def lines(self) -> tuple[frozenset[str], tuple[Line, ...]]:
        """(the distinct lines that hold no mark, each line that holds one), made on first use."""
        if self._lines is None:
            numbers = dict(self.marks)
            fixed: set[str] = set()
            marked: list[Line] = []
            line: list[str | int] = []
            for index, part in enumerate(self.parts):
                if index in numbers:
                    line.append(numbers[index])
                    continue
                first, *rest = part.split("\n")
                line.append(first)
                for piece in rest:  # a line break ends the line
                    _end(line, fixed, marked)
                    line = [piece]
            _end(line, fixed, marked)
            self._lines = (frozenset(fixed), tuple(marked))
        return self._lines


@dataclass(frozen=True)
class Shape:
    form: Form
    document: Any  # parsed back with the probes
    slots: Tree  # where the probes stand in it

    def instance(self, values: tuple[str, ...]) -> tuple[Derived, Any]:
        document = _filled(self.document, self.slots, values) if self.slots else self.document
        return Derived(self.form, values), document


def _end(line: list[str | int], fixed: set[str], marked: list[Line]) -> None:
    if any(type(piece) is int for piece in line):
        marked.append(tuple(line))
    else:
        fixed.add("".join(line))  # type: ignore[arg-type]  # strings only


def _filled(node: Any, tree: Tree, values: tuple[str, ...]) -> Any:
    copy = node.copy()
    for step, inner in tree.items():
        copy[step] = values[inner] if type(inner) is int else _filled(node[step], inner, values)
    return copy


class Derived:
    """A derived file's text, as its shape's form and its slot values: `str()` joins it."""

    __slots__ = ("form", "values")

    def __init__(self, form: Form, values: tuple[str, ...]) -> None:
        self.form = form
        self.values = values

    def __str__(self) -> str:
        return self.form.text(self.values)

    def marked_lines(self) -> list[str]:
        """This file's lines that hold one of its values (the others are the shape's `lines()`)."""
        values = self.values
        return ["".join([piece if isinstance(piece, str) else values[piece] for piece in line])
                for line in self.form.lines()[1]]
