"""The Jinja environment of shell scripts (verify.sh), with its own quoting: a template prints a
value only through `shq` (any string or number as one POSIX shell word: single-quoted unless it
needs no quoting) or `sh` (words that need none, as in PHASE.md); anything else is refused. A
profile's text therefore cannot add a command to a script."""

from __future__ import annotations

import functools
import shlex
from typing import Any

import jinja2

from ..migration.markdown import shell as safe_words
from ..output.templating import LayeredLoader, RenderError, strict_environment


class ShellText(str):
    """Text a filter made safe for a shell script."""


def quote_word(value: Any) -> ShellText:
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise RenderError(f"cannot print a {type(value).__name__} in a shell script: {value!r}")
    if isinstance(value, str) and "\x00" in value:
        raise RenderError("a shell word cannot hold a NUL character")
    return ShellText(shlex.quote(str(value)))


def _words(value: Any) -> ShellText:
    return ShellText(str(safe_words(value)))


def _finalize(value: Any) -> Any:
    if isinstance(value, ShellText):
        return value
    raise RenderError(f"template prints {value!r} without `shq` or `sh`")


@functools.cache
def shell_environment() -> jinja2.Environment:
    environment = strict_environment(_finalize, LayeredLoader(flavour="shell"))
    environment.filters.update(shq=quote_word, sh=_words)
    return environment
