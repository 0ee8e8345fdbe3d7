"""Two filters beside `q`, for values that are not one scalar:

- `yaml_block(value, indent)`: nested mappings and lists (an AuthorizationPolicy's spec, as a team
  wrote it) as block YAML, every key and scalar through `quote`, and parsed back: the text must
  read as exactly `value`;
- `comment`: prose for a `# ...` line, kept on that one line whatever it holds.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..yaml_text import YamlScalar, comment_text, read_yaml_1_1, same
from .render import RenderError, quote


class YamlBlock(YamlScalar):
    """Lines of block YAML whose every key and scalar went through `quote`."""


class YamlComment(YamlScalar):
    """Text for a `#` comment: no line break can end it early."""


def _is_scalar(value: Any) -> bool:
    return not isinstance(value, (Mapping, list, tuple))


def _empty(value: Any) -> str:
    return "{}" if isinstance(value, Mapping) else "[]"


def _lines(value: Any, indent: int) -> list[str]:
    pad = " " * indent
    out: list[str] = []
    if isinstance(value, Mapping):
        for key, item in value.items():
            head = f"{pad}{quote(str(key))}:"
            if _is_scalar(item):
                out.append(f"{head} {quote(item)}")
            elif not item:
                out.append(f"{head} {_empty(item)}")
            else:
                out.append(head)
                # Lists sit at their key's indent (as kubectl writes them), mappings two further in.
                out += _lines(item, indent if isinstance(item, (list, tuple)) else indent + 2)
        return out
    for item in value:
        if _is_scalar(item):
            out.append(f"{pad}- {quote(item)}")
        elif not item:
            out.append(f"{pad}- {_empty(item)}")
        else:
            inner = _lines(item, indent + 2)
            out.append(f"{pad}- {inner[0][indent + 2:]}")
            out += inner[1:]
    return out


def _plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    return value


def yaml_block(value: Any, indent: int = 0) -> YamlBlock:
    if _is_scalar(value) or not value:
        raise RenderError(f"yaml_block takes a non-empty mapping or list, not {value!r}")
    text = "\n".join(_lines(value, indent))
    # Read as helm reads it (YAML 1.1, the stricter of the two for plain scalars); the file it
    # stands in is read again under YAML 1.2 by the render's own parse-back.
    if not same(read_yaml_1_1(text), _plain(value)):
        raise RenderError(f"yaml_block does not read back as the value it was given: {value!r}")
    return YamlBlock(text)


def comment(value: Any) -> YamlComment:
    if not isinstance(value, str):
        raise RenderError(f"a comment is text, not {value!r}")
    return YamlComment(comment_text(value))
