"""A shape's slots (output/shapes.py): opaque stand-ins for an object's name and namespace, which
a template can pass along, test for truth, `none` or `defined`, and print through `q`, and nothing
else; anything else it does with one raises `SlotTouched` (a BaseException: no `except Exception`
turns it into an answer)."""

from __future__ import annotations

from typing import Any, NoReturn

from ..yaml_text import YamlScalar

MARK = "\0"  # brackets a slot's number in a shape's text: no template text or `q` output holds one


class SlotTouched(BaseException):
    """A template did something with a slot whose outcome could depend on the value."""


def _touched(*_: Any) -> NoReturn:
    raise SlotTouched


class _Opaque:
    """Refuses every operation but truth (true: every safe scalar is a non-empty string)."""

    __slots__ = ("_number",)

    def __init__(self, number: int) -> None:
        object.__setattr__(self, "_number", number)

    def __getattribute__(self, name: str) -> Any:
        if name == "__class__":  # isinstance() asks; no template can (no `_` attributes)
            return type(self)
        raise SlotTouched(name)

    def __bool__(self) -> bool:
        return True

    __str__ = __repr__ = __format__ = __bytes__ = __hash__ = __len__ = __length_hint__ = _touched
    __iter__ = __reversed__ = __contains__ = __getitem__ = __setitem__ = __delitem__ = _touched
    __eq__ = __ne__ = __lt__ = __le__ = __gt__ = __ge__ = _touched
    __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = __mod__ = __rmod__ = _touched
    __truediv__ = __rtruediv__ = __floordiv__ = __rfloordiv__ = __pow__ = __rpow__ = _touched
    __neg__ = __pos__ = __abs__ = __invert__ = __int__ = __float__ = __complex__ = __index__ = _touched
    __round__ = __trunc__ = __floor__ = __ceil__ = _touched


class Slot(_Opaque):
    """Where a context's value goes."""

    __slots__ = ()


class SlotScalar(_Opaque):
    """What `q` printed for a slot: `finalize` writes it as the slot's mark."""

    __slots__ = ()


OPAQUE = (Slot, SlotScalar)


def number_of(value: _Opaque) -> int:
    number: int = object.__getattribute__(value, "_number")
    return number


def mark_of(value: SlotScalar) -> YamlScalar:
    return YamlScalar(f"{MARK}{number_of(value)}{MARK}")


def refuse_slots(test: Any) -> Any:
    """A Jinja test whose answer a slot would change (`string`, `sameas`): it refuses slots."""
    def guarded(value: Any, *args: Any) -> Any:
        if type(value) in OPAQUE or any(type(arg) in OPAQUE for arg in args):
            raise SlotTouched
        return test(value, *args)
    guarded.__qualname__ = f"refuse_slots({test.__name__})"
    return guarded
