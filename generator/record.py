"""Plain records for the no-change path (generator/unchanged.py), which imports no `dataclasses`:
that module imports `inspect`, and the two cost about 10 ms of a 100 ms no-change render.

A record names its fields in `__slots__`, in order, and sets them in its own `__init__` (which takes
each by its name); it compares field by field (but those in `_uncompared`) with a record of its own
type, and shows its fields as a dataclass does. Unlike a frozen dataclass, a record does not refuse
an assignment and is not hashable: nothing assigns to one once it is made, or hashes one.
tests/test_unchanged.py checks that the no-change path leaves `dataclasses` unimported.
"""

from __future__ import annotations

TYPE_CHECKING = False  # not `typing.TYPE_CHECKING`: the no-change path does not import typing either
if TYPE_CHECKING:
    from typing import ClassVar, TypeVar

    R = TypeVar("R", bound="Record")


class Record:
    __slots__: tuple[str, ...] = ()
    _uncompared: ClassVar[tuple[str, ...]] = ()

    def _compared(self) -> tuple[object, ...]:
        return tuple(getattr(self, name) for name in self.__slots__ if name not in self._uncompared)

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        assert isinstance(other, Record)
        return self._compared() == other._compared()

    __hash__ = None  # type: ignore[assignment]  # as a dataclass that holds a list or a mapping

    def replaced(self: R, **changes: object) -> R:
        """A copy with the fields `changes` names set (`dataclasses.replace`): a record's `__init__`
        takes each field by its name."""
        return type(self)(**{**{name: getattr(self, name) for name in self.__slots__}, **changes})

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__slots__)
        return f"{type(self).__name__}({fields})"
