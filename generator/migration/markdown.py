"""The Jinja environment for Markdown (PHASE.md), with its own quoting.

YAML templates print values through `q` (output/render.py); in Markdown a value lands in a shell
command, an inline code span or a line of a fenced block, and the environment refuses any other
printed value, as the YAML one does:

- `sh`: shell words, joined by spaces. A word is printed only if it consists of characters no
  POSIX shell gives a meaning to (`A-Z a-z 0-9 _ . / : = @ % + , -`), so it never needs quoting.
  The words gen prints are names the profile validated as DNS-1123 labels (namespaces, clusters,
  Istio revisions), label keys and values gen itself sets, and URLs built from them; anything else
  is refused (a bug in gen, exit 3), never quoted: a command in PHASE.md is copied as it is. The one
  exception is a `ShellConstant`, a word gen's code spells out (a JSON patch), single-quoted.
- `code`: an inline code span, `` `text` `` (`codes`: several, separated by commas); `line`: one
  line of a fenced block. Inside either,
  Markdown reads text literally; only a backquote or a line break could end them, and both are
  refused.
"""

from __future__ import annotations

import functools

import re
import shlex
from collections.abc import Sequence
from typing import Any

import jinja2

from ..output.templating import LayeredLoader, RenderError, strict_environment

SHELL_SAFE = re.compile(r"[A-Za-z0-9_./:=@%+,-]+")


class MarkdownText(str):
    """Text a filter made safe for where the template puts it."""


class ShellConstant(str):
    """A word gen's own code writes (never a profile's value), printed single-quoted: a JSON patch."""


def _word(word: object) -> str:
    if isinstance(word, ShellConstant):
        return shlex.quote(word)
    if isinstance(word, bool) or not isinstance(word, (str, int)) or not SHELL_SAFE.fullmatch(str(word)):
        raise RenderError(f"refusing to print {word!r} in a shell command: it would need quoting")
    return str(word)


def shell(words: str | int | Sequence[str]) -> MarkdownText:
    items = [words] if isinstance(words, (str, int)) else list(words)
    return MarkdownText(" ".join(_word(word) for word in items))


def _literal(text: Any) -> str:
    if isinstance(text, bool) or not isinstance(text, (str, int)):
        raise RenderError(f"cannot print a {type(text).__name__} in Markdown: {text!r}")
    value = str(text)
    if any(char in value for char in "`\n\r"):
        raise RenderError(f"refusing to print {value!r} in Markdown: a backquote or line break would end its span")
    return value


def code(text: Any) -> MarkdownText:
    return MarkdownText(f"`{_literal(text)}`")


def codes(items: Sequence[Any]) -> MarkdownText:
    """Code spans, separated by commas."""
    return MarkdownText(", ".join(code(item) for item in items))


def line(text: Any) -> MarkdownText:
    return MarkdownText(_literal(text))


def _finalize(value: Any) -> Any:
    if isinstance(value, MarkdownText):
        return value
    raise RenderError(f"template prints {value!r} without `sh`, `code` or `line`")


def markdown_environment(loader: jinja2.BaseLoader | None = None) -> jinja2.Environment:
    """The environment of the Markdown templates; the package's own is built once per process."""
    return _package_environment() if loader is None else _markdown_environment(loader)


@functools.cache
def _package_environment() -> jinja2.Environment:
    return _markdown_environment(LayeredLoader(flavour="markdown"))


def _markdown_environment(loader: jinja2.BaseLoader | None) -> jinja2.Environment:
    environment = strict_environment(_finalize, loader)
    environment.filters.update(sh=shell, code=code, codes=codes, line=line)
    return environment
