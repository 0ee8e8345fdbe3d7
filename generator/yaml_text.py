"""YAML as gen writes it, and the proof that every reader reads it alike: one rule set for every
scalar gen emits, from a template (`q`, `yaml_block`) or merged into live helm values (`dump`).

gen's YAML has two kinds of readers. helm, kubectl, Argo CD and Flux read YAML 1.1 (go-yaml): `on`,
`y`, `no` are booleans there, `017` is octal, `1_000` a thousand. PyYAML's SafeLoader is a 1.1
reader too (`1:20` is the number 80 there); `Yaml11Loader` adds go-yaml's `y`/`n` booleans to it.
Editors and gen itself read YAML 1.2 (ruamel.yaml, ryaml), where all of those are strings. So:

- a string is written plain only when it is a word (`[A-Za-z_/][A-Za-z0-9_./-]*`) that no reader
  takes for a boolean or null, or a number with a unit (`50m`, `128Mi`, `30s`) or of three parts or
  more (`1.12.1`), which every reader keeps a string. Anything else is double-quoted, every character a reader could take for a line
  break or drop escaped: C0 and C1 controls (NEL, U+0085, included), LS, PS, BOM, surrogates;
- an integer is written in decimal, a float with a point and a signed exponent (`1.0e+30`,
  `.inf`, `.nan`: 1.1 readers take `1e30` for a string), a boolean as true/false;
- comments keep their text on their one line (`comment_text`);
- in live values, text written as a literal block (`|`) stays one where it holds no character
  that needs an escape; the templates write every string on one line.

`prove` reads a text back under a 1.1 and a 1.2 reader and compares both with the data it must
hold; `disagreements` finds where a file gen reads (live values) means one thing to helm and
another to YAML 1.2, so that gen never has to guess which was meant.
"""

from __future__ import annotations

import io
import math
import re
from collections.abc import Iterator, Set as AbstractSet
from datetime import date
from functools import lru_cache
from typing import Any

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.emitter import RoundTripEmitter
from ruamel.yaml.nodes import ScalarNode
from ruamel.yaml.representer import RoundTripRepresenter
from ruamel.yaml.scalarbool import ScalarBoolean
from ruamel.yaml.scalarstring import LiteralScalarString


class YamlScalar(str):
    """Text that stands as exactly one YAML scalar token."""


# Plain words: they start with a letter, `_` or `/` and hold no character YAML gives a meaning to.
_PLAIN = re.compile(r"[A-Za-z_/][A-Za-z0-9_./-]*")
# Numbers with something after them that no reader takes for a number, date or time: a quantity's
# unit (`50m`, `128Mi`, `1.5G`; not `e`, `E`: `1e3`, `1E3` are numbers), a duration (`30s`, `1h30m`),
# a version or address of three or more parts (`1.12.1`, `10.0.0.1`, `1.24.3-rc.1`).
_PLAIN_NUMBERISH = re.compile(
    r"\d+(\.\d+)?(Ki|Mi|Gi|Ti|Pi|Ei|[numukMGTP])"
    r"|(\d+(\.\d+)?(ns|us|ms|s|m|h))+"
    r"|\d+(\.\d+){2,}([-+][0-9A-Za-z][0-9A-Za-z.-]*)?"
)
# Words YAML 1.1 (go-yaml, PyYAML) or 1.2 turn into booleans or null, in any letter case.
_KEYWORDS = frozenset("y n yes no true false on off null ~".split())
_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\t": "\\t", "\r": "\\r", "\0": "\\0"}
_NEEDS_ESCAPE = re.compile(r'["\\\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]')
# What `_escape` changes but for `"` and `\`, which a comment keeps as they are.
_BREAKS_A_COMMENT = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]")
# What a literal block (`|`) cannot hold as it is: the same, but for its line breaks.
_BREAKS_A_BLOCK = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]")


def _escape(char: str) -> str:
    if char in _ESCAPES:
        return _ESCAPES[char]
    code = ord(char)
    if (
        code < 0x20
        or 0x7F <= code <= 0x9F
        or code in (0x2028, 0x2029, 0xFEFF, 0xFFFE, 0xFFFF)
        or 0xD800 <= code <= 0xDFFF
    ):
        return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"
    return char


def prints_plain(text: str) -> bool:
    """Whether `text` reads back as the same string, written plain, under YAML 1.1 and 1.2."""
    if _PLAIN_NUMBERISH.fullmatch(text):
        return True
    return _PLAIN.fullmatch(text) is not None and text.lower() not in _KEYWORDS


def double_quoted(text: str) -> str:
    return '"' + _NEEDS_ESCAPE.sub(lambda match: _escape(match.group()), text) + '"'


@lru_cache(maxsize=1024)
def quote_text(value: str) -> YamlScalar:
    """The scalar token for a string; the same strings recur across an estate, so it is cached (for
    as many as its common ones need: a namespace's own names recur within its few files, and are let
    go, so that the cache does not grow with the estate)."""
    return YamlScalar(value if prints_plain(value) else double_quoted(value))


def float_token(value: float) -> str:
    """A float as YAML 1.1 reads it too: a point in the mantissa, a sign on the exponent."""
    if math.isnan(value):
        return ".nan"
    if math.isinf(value):
        return ".inf" if value > 0 else "-.inf"
    mantissa, _, exponent = repr(float(value)).partition("e")  # repr's exponent is signed: 1e+30
    mantissa = mantissa if "." in mantissa else mantissa + ".0"
    return f"{mantissa}e{exponent}" if exponent else mantissa


def scalar_token(value: Any) -> YamlScalar:
    """One YAML scalar that reads back as exactly `value` under YAML 1.1 and 1.2."""
    if isinstance(value, str):
        return quote_text(str(value))
    if isinstance(value, (bool, ScalarBoolean)):
        return YamlScalar("true" if value else "false")
    if isinstance(value, int):
        return YamlScalar(str(int(value)))
    if isinstance(value, float):
        return YamlScalar(float_token(value))
    if value is None:
        return YamlScalar("null")
    raise TypeError(f"cannot place a {type(value).__name__} as a YAML scalar: {value!r}")


@lru_cache(maxsize=4096)
def comment_text(value: str) -> str:
    """Text for a `#` comment: no line break, nor any character a reader drops, can end it early."""
    return _BREAKS_A_COMMENT.sub(lambda match: _escape(match.group()), value)


# --- The writer of data that keeps its comments: live values with gen's overlay merged in. ---

_STR, _INT, _FLOAT, _BOOL = (f"tag:yaml.org,2002:{kind}" for kind in ("str", "int", "float", "bool"))


class _Representer(RoundTripRepresenter):
    """ruamel's round-trip representer, but every string, number and boolean by the rules above.
    (ruamel would write a string plain wherever YAML 1.2 keeps it a string: `on`, `1:20`.)"""

    def represent_data(self, data: Any) -> Any:
        if isinstance(data, LiteralScalarString) and "\n" in data and not _BREAKS_A_BLOCK.search(data):
            return ScalarNode(_STR, str(data), style="|")
        if isinstance(data, str):
            return ScalarNode(_STR, str(data), style=None if prints_plain(data) else '"')
        if isinstance(data, (bool, ScalarBoolean)):
            return ScalarNode(_BOOL, "true" if data else "false")
        if isinstance(data, int):
            return ScalarNode(_INT, str(int(data)))
        if isinstance(data, float):
            return ScalarNode(_FLOAT, float_token(data))
        return super().represent_data(data)


class _Emitter(RoundTripEmitter):
    """ruamel's round-trip emitter, with gen's double-quoted form (`double_quoted`) in place of its
    own: the same escapes as the templates, on one line."""

    def write_double_quoted(self, text: Any, split: Any = True) -> None:
        self.write_indicator(double_quoted(text), True)


def dump(data: Any) -> str:
    """Round-trip data (ruamel's, comments and all) as YAML text, every scalar by gen's rules."""
    writer = YAML(typ="rt")
    writer.Representer = _Representer
    writer.Emitter = _Emitter
    writer.width = 4096  # never fold a long value differently from how it was written
    stream = io.StringIO()
    writer.dump(data, stream)
    return stream.getvalue()


# --- Reading back: what each kind of reader makes of a text. ---


class Yaml11Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """YAML as Kubernetes tooling reads it (YAML 1.1, go-yaml): `y`, `n`, `yes`, `off`... are booleans."""


_BOOLEAN_WORDS = {"y": True, "yes": True, "true": True, "on": True, "n": False, "no": False, "false": False,
                  "off": False}
Yaml11Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool",
    re.compile(r"^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$"),
    list("yYnNtTfFoO"),
)
Yaml11Loader.add_constructor(
    "tag:yaml.org,2002:bool", lambda loader, node: _BOOLEAN_WORDS[loader.construct_scalar(node).lower()]
)


def read_yaml_1_1(text: str) -> Any:
    return yaml.load(text, Loader=Yaml11Loader)


def read_yaml_1_2(text: str) -> Any:
    return YAML(typ="safe", pure=True).load(text)


def canonical(value: Any) -> Any:
    """`value` in a form that compares equal exactly when two readers agree: each scalar with its
    kind (True is not 1), NaN equal to itself, ruamel's types as the built-in ones."""
    if isinstance(value, dict):
        return ("map", tuple((canonical(key), canonical(item)) for key, item in value.items()))
    if isinstance(value, list):
        return ("seq", tuple(canonical(item) for item in value))
    if isinstance(value, (bool, ScalarBoolean)):
        return ("bool", bool(value))
    if isinstance(value, int):
        return ("int", int(value))
    if isinstance(value, float):
        return ("float", "nan" if math.isnan(value) else float(value))
    if isinstance(value, str):
        return ("str", str(value))
    if value is None:
        return ("null",)
    if isinstance(value, date):  # datetime too
        return ("time", value)
    if isinstance(value, AbstractSet):  # a !!set: ruamel's CommentedSet is no `set`
        return ("set", frozenset(canonical(item) for item in value))
    return (type(value).__name__, value)


def _by_key(mapping: dict[Any, Any]) -> dict[Any, Any]:
    return {canonical(key): item for key, item in mapping.items()}


def same(left: Any, right: Any) -> bool:
    """Whether two readings hold the same data (mappings compared key by key, in any order)."""
    if isinstance(left, dict) and isinstance(right, dict):
        mine, theirs = _by_key(left), _by_key(right)
        return mine.keys() == theirs.keys() and all(same(mine[key], theirs[key]) for key in mine)
    if isinstance(left, list) and isinstance(right, list):
        return len(left) == len(right) and all(same(a, b) for a, b in zip(left, right))
    if isinstance(left, (dict, list)) or isinstance(right, (dict, list)):
        return False
    return bool(canonical(left) == canonical(right))


def prove(text: str, data: Any) -> str | None:
    """Why `text` does not read as `data` under a YAML 1.1 and a 1.2 reader; None when it does."""
    for name, read in (("YAML 1.1 (helm)", read_yaml_1_1), ("YAML 1.2", read_yaml_1_2)):
        try:
            found = read(text)
        except (yaml.YAMLError, ValueError) as error:  # ruamel's errors are ValueErrors too
            return f"a {name} reader cannot read it: {error}"
        except Exception as error:  # noqa: BLE001 - any other reader failure is a failed proof
            return f"a {name} reader cannot read it: {type(error).__name__}: {error}"
        if not same(found, data):
            return f"a {name} reader reads other data from it"
    return None


Path = tuple[str | int, ...]
Position = tuple[int, int]  # 0-based line and column, as ruamel keeps them


def _position(node: Any, key: Any, at_key: bool, default: Position) -> Position:
    try:
        if isinstance(node, CommentedSeq):
            found = node.lc.item(key)
        else:
            found = node.lc.key(key) if at_key else node.lc.value(key)
    except (AttributeError, KeyError, IndexError, TypeError):
        return default
    return (found[0], found[1]) if found else default


Disagreement = tuple[Path, Position, Any, Any, bool]  # path, where, 1.1 reading, 1.2 reading, at the key


def disagreements(rt: Any, yaml_1_1: Any, path: Path = (), where: Position = (0, 0)) -> Iterator[Disagreement]:
    """Where data ruamel read (YAML 1.2, round-trip types with positions) differs from what a YAML
    1.1 reader read from the same text: path, position, the 1.1 reading, the 1.2 reading, and
    whether it is the key at `path` that reads differently (then the readings are the key's)."""
    if isinstance(rt, dict) and isinstance(yaml_1_1, dict):
        theirs = _by_key(yaml_1_1)
        for key, item in rt.items():
            child = (*path, key if isinstance(key, (str, int)) else str(key))
            if canonical(key) not in theirs:
                other = next((k for k in yaml_1_1 if not any(same(k, mine) for mine in rt)), None)
                yield child, _position(rt, key, True, where), other, key, True
                continue
            yield from disagreements(item, theirs[canonical(key)], child, _position(rt, key, False, where))
    elif isinstance(rt, list) and isinstance(yaml_1_1, list) and len(rt) == len(yaml_1_1):
        for index, (item, other) in enumerate(zip(rt, yaml_1_1)):
            yield from disagreements(item, other, (*path, index), _position(rt, index, False, where))
    elif not same(rt, yaml_1_1):
        yield path, where, yaml_1_1, rt, False


def plain(value: Any) -> Any:
    """Data a writer or reader made as JSON-like built-in types, for the output validators: ruamel's
    types as the built-in ones, timestamps as ISO 8601 text."""
    if isinstance(value, dict):
        return {plain(key): plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [plain(item) for item in value]
    if isinstance(value, (bool, ScalarBoolean)):
        return bool(value)
    for kind in (str, int, float):
        if isinstance(value, kind):
            return kind(value)
    return value.isoformat() if isinstance(value, date) else value


def shown(value: Any, room: int = 60) -> str:
    """A reading as YAML would spell it, for messages: true, 80, "on", [1, "y"], !!set {x, true}."""
    if isinstance(value, dict):
        text = "{" + ", ".join(f"{shown(key)}: {shown(item)}" for key, item in value.items()) + "}"
    elif isinstance(value, (list, tuple)):
        text = "[" + ", ".join(shown(item) for item in value) + "]"
    elif isinstance(value, AbstractSet):
        text = "!!set {" + ", ".join(sorted(shown(item) for item in value)) + "}"
    else:
        try:
            text = scalar_token(value)
        except TypeError:
            text = str(value)
    return text if len(text) <= room else text[: room - 3] + "..."
