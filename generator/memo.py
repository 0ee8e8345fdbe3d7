"""Memos that an estate's own values would fill (a namespace's names, a labels mapping made for it):
each remembers the last REMEMBERED distinct keys. A namespace's own values come together, in path
order, and values every namespace shares are made again at most once per REMEMBERED others: a memo of
them all would grow with the estate (issue 22: memory flat in the estate)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

REMEMBERED = 512

K = TypeVar("K")
V = TypeVar("V")


def remembered(memo: dict[K, V], key: K, make: Callable[[K], V]) -> V:
    """memo[key], made by make(key) where it is not there (the memo forgets all it holds first, when
    it holds REMEMBERED)."""
    found = memo.get(key)
    if found is None:
        if len(memo) >= REMEMBERED:
            memo.clear()
        found = memo[key] = make(key)
    return found
