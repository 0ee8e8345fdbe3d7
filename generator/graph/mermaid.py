"""Mermaid flowcharts as gen writes them in Markdown: identifiers, labels and the few statements the
estate's diagrams use, so that a name from a profile, whatever it holds, is shown verbatim and
never changes the diagram around it.

Mermaid rewrites a diagram's text before its grammar reads it, and again when it draws it:
a line that starts with `%%` is a comment and `%%{...}%%` a directive; `#name;` and `#123;` are
entity codes, which become `&name;` and `&#123;` in the drawing; a `style ...:...#...;` line loses
its last `;`; a label is HTML (`<b>`, `&amp;`), `\\n` and `<br>` in it break the line, `fa:fa-car`
is an icon, `$$...$$` is math; a string label that starts with a backquote is Markdown. Node
identifiers are bare words next to keywords (`end`, `subgraph`, `click`, `style`, `class`...).
So gen never writes a name where mermaid reads syntax:

- a node or subgraph is identified by `node_id`: `n` and 16 hex digits of a hash of what it
  stands for, a word no keyword or edge token can take;
- a text is always a `"..."` label. Letters (of any script), digits, space and `-_./,` stay as they
  are; every other character is written as a decimal entity code, `#34;` for `"`, which mermaid
  draws as the character itself. That covers the quote that would end the label, `#` itself, the
  characters of HTML, Markdown, icons, math and comments, controls and line separators, and `ﬂ`
  and `¶`, with which mermaid's own stand-ins for entity codes begin. A line break is written as
  mermaid's `<br>`, so a label stays on its line and a multi-line name still shows on several.
  Mermaid trims labels, so spaces at a text's ends are codes too, and refuses an empty one, so an
  empty text is one space (trimmed to nothing). And its lexer reads a whole line as a `direction`
  statement wherever `direction`, spaces and a direction stand on it, dropping the node or edge
  without an error: the space after `direction` is a code.

tests/test_mermaid.py checks each rule with mermaid's own parser.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
from collections.abc import Iterable
from typing import Literal

Shape = Literal["box", "round", "stadium", "subroutine", "cylinder", "circle", "rhombus", "hexagon"]
Direction = Literal["TB", "TD", "BT", "LR", "RL"]

# Each shape's brackets around a label (mermaid's flowchart node shapes).
SHAPES: dict[Shape, tuple[str, str]] = {
    "box": ("[", "]"), "round": ("(", ")"), "stadium": ("([", "])"), "subroutine": ("[[", "]]"),
    "cylinder": ("[(", ")]"), "circle": ("((", "))"), "rhombus": ("{", "}"), "hexagon": ("{{", "}}"),
}
DIRECTIONS = frozenset(("TB", "TD", "BT", "LR", "RL"))
# What node_id makes; the builders take no other identifier.
_ID = re.compile(r"n[0-9a-f]{16}")
_ASCII_KEPT = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 -_./,")
_KEPT_TEXT = re.compile(r"[A-Za-z0-9 \-_./,\u00b7]*")  # ASCII kept as it is, and the `·` gen's labels use
# The first characters of mermaid's stand-ins for entity codes (`ﬂ°°35¶ß` for `#35;`), which it
# turns back into `&#35;` wherever they appear in the drawing.
_PLACEHOLDERS = frozenset("\ufb02\u00b6")
_DIRECTION = re.compile(r"direction ")
INDENT = "    "


@functools.lru_cache(maxsize=1 << 16)
def node_id(*parts: str) -> str:
    """The identifier of the node or subgraph that `parts` name (say a cluster and a namespace):
    the same for the same parts, distinct for distinct ones, and a word mermaid reads only as an
    identifier."""
    digest = hashlib.sha256(json.dumps(parts, ensure_ascii=False).encode("utf-8", "surrogatepass"))
    return "n" + digest.hexdigest()[:16]


def _written(char: str) -> str:
    if (char in _ASCII_KEPT) if char.isascii() else (char.isprintable() and char not in _PLACEHOLDERS):
        return char
    return "<br>" if char == "\n" else f"#{ord(char)};"


@functools.lru_cache(maxsize=1 << 16)
def label(text: str) -> str:
    """`text` as one quoted mermaid label that shows it verbatim (see the module's rules)."""
    if _KEPT_TEXT.fullmatch(text) and text[:1] != " " and text[-1:] != " ":  # nothing to write as a code
        return '"' + (_DIRECTION.sub("direction#32;", text) or " ") + '"'
    written = [_written(char) for char in text]
    # Mermaid trims a label: the spaces at its ends are written as codes.
    for ends in (range(len(written)), range(len(written) - 1, -1, -1)):
        for index in ends:
            if written[index] != " ":
                break
            written[index] = "#32;"
    return '"' + (_DIRECTION.sub("direction#32;", "".join(written)) or " ") + '"'


def _checked(identifier: str) -> str:
    if not _ID.fullmatch(identifier):
        raise ValueError(f"not a node_id: {identifier!r}")
    return identifier


def node(identifier: str, text: str, shape: Shape = "box") -> str:
    """A node statement: `n…["text"]`, in the shape's brackets."""
    opening, closing = SHAPES[shape]
    return f"{_checked(identifier)}{opening}{label(text)}{closing}"


def edge(source: str, target: str, text: str | None = None, dotted: bool = False) -> str:
    """An arrow from one node (or subgraph) to another, dotted or solid, labelled when `text` is
    given (an empty text is a label too)."""
    arrow = "-.->" if dotted else "-->"
    if text is not None:
        arrow += f"|{label(text)}|"
    return f"{_checked(source)} {arrow} {_checked(target)}"


def subgraph(identifier: str, title: str, lines: Iterable[str]) -> list[str]:
    """A subgraph around `lines` (statements from these builders), titled `title`."""
    return [f"subgraph {_checked(identifier)} [{label(title)}]", *(INDENT + line for line in lines), "end"]


def flowchart(direction: Direction, lines: Iterable[str]) -> str:
    """A whole diagram, without the Markdown fence: `flowchart <direction>` and the statements,
    one a line."""
    if direction not in DIRECTIONS:
        raise ValueError(f"not a flowchart direction: {direction!r}")
    body = list(lines)
    for line in body:
        if any(char in line for char in "\n\r\u2028\u2029"):
            raise ValueError(f"a statement on more than one line: {line!r}")
    return "\n".join([f"flowchart {direction}", *(INDENT + line for line in body)]) + "\n"
