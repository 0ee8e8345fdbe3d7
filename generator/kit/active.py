"""The kit of the profile being checked and rendered. One profile is checked at a time per process
(and per forked worker, which inherits it); `pipeline.check_profile` sets it first thing, so the
catalog, the template environments and the validator each see the profile's own kits."""

from __future__ import annotations

from contextvars import ContextVar
from functools import lru_cache
from typing import TYPE_CHECKING

from ..output.sandbox import TemplateSet, package_templates

if TYPE_CHECKING:
    from .model import Kit

_ACTIVE: ContextVar[Kit | None] = ContextVar("gen_kit", default=None)


def active_kit() -> Kit | None:
    return _ACTIVE.get()


def activate(kit: Kit | None) -> None:
    _ACTIVE.set(kit)


def active_templates() -> TemplateSet:
    """The template environments of the active kit (the package's alone without one)."""
    kit = active_kit()
    return package_templates() if kit is None else _templates(kit)


@lru_cache(maxsize=4)
def _templates(kit: Kit) -> TemplateSet:
    return TemplateSet(kit.layers)
