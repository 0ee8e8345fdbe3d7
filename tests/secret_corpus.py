"""The fake secrets of tests/fixtures/secrets/corpus.yaml, and how to tell whether one reached a tree."""

from __future__ import annotations

from pathlib import Path

from ruamel.yaml import YAML

from conftest import FIXTURES

CORPUS: dict[str, str] = dict(YAML(typ="safe").load((FIXTURES / "secrets" / "corpus.yaml").read_text("utf-8")))
PUBLIC = ("ca_certificate",)  # may reach Git
KEY_ONLY = ("plain_password",)  # nothing in it looks secret: only a key that names a secret gives it away
BY_CONTENT = {name: value for name, value in CORPUS.items() if name not in PUBLIC + KEY_ONLY}


def needles(value: str) -> list[str]:
    """The pieces of a secret that must not appear in any output: every word of 12 characters or
    more (PEM lines, tokens, keys), or the whole value if it has none."""
    words = [word.strip("'\"{},") for word in value.split()]
    return [word for word in words if len(word) >= 12] or [value]


def leaks(files: dict[str, bytes], value: str) -> list[str]:
    """The files of a tree that hold a piece of `value`."""
    return [name for name, data in files.items() for needle in needles(value) if needle.encode() in data]


def block(value: str, indent: int) -> str:
    """`value` as a YAML scalar at `indent`: a literal block when it has several lines."""
    if "\n" not in value.strip():
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    pad = " " * indent
    return "|\n" + "".join(f"{pad}{line}\n" for line in value.rstrip("\n").split("\n")).rstrip("\n")


def line_of(text: str, value: str) -> int:
    """1-based line where `value` (its first line) is written in `text`."""
    first = value.split("\n", 1)[0]
    index = text.index(first if first in text else block(value, 0))
    return text.count("\n", 0, index) + 1


def write(path: Path, text: str) -> Path:
    path.write_text(text, "utf-8")
    return path
