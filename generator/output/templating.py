"""gen's Jinja, in one place: the filters that place values (`q`, `yaml_block`, `comment`), the
`finalize` that refuses anything else, the loader (the package's templates, with a profile's kits
layered over them), the two environments (the built-ins', and the sandbox kit templates render in),
and the parse-back proof every rendered text passes.

- `q(value)`: one YAML scalar token that reads back as exactly `value` (yaml_text.py's rules, which
  the merged helm values follow too);
- `yaml_block(value, indent)`: nested mappings and lists (an AuthorizationPolicy's spec, as a team
  wrote it) as block YAML, every key and scalar through `q`, proven to read back as `value`;
- `comment(value)`: prose for a `# ...` line, kept on that one line whatever it holds.

A kit template (or a built-in one that includes a kit's) renders in the sandbox (output/sandbox.py)
with the same filters and `finalize`; `include` and `import` reach only kit and built-in templates
(the loader knows no other).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping, MutableMapping, Sequence
from dataclasses import dataclass
from typing import Any

import jinja2
import jinja2.meta
import ryaml

from ..yaml_text import YamlScalar, comment_text, quote_text, read_yaml_1_1, same, scalar_token
from .slots import Slot, SlotScalar, mark_of, number_of, refuse_slots


class RenderError(Exception):
    """A template or the catalog is broken: a bug in gen, not in the profile (in a kit's template: the
    kit's, reported as a profile problem by the render)."""


# ---- placing values ---------------------------------------------------------------------------


def quote(value: Any) -> YamlScalar:
    """One YAML scalar that reads back as exactly `value` (a string stays a string), by the rules
    every YAML gen writes follows (yaml_text.py). Templates place strings, integers and booleans."""
    if type(value) is str:  # most values: the cached path first
        return quote_text(value)
    if type(value) is Slot:  # a shape's slot (output/shapes.py): finalize prints its mark
        return SlotScalar(number_of(value))  # type: ignore[return-value]
    if isinstance(value, jinja2.Undefined):
        value._fail_with_undefined_error()  # raises jinja2.UndefinedError naming the variable
    if isinstance(value, (str, int)):  # booleans and Quantity (a str) included
        return scalar_token(value)
    raise RenderError(f"cannot place a {type(value).__name__} as a YAML scalar: {value!r}")


def finalize(value: Any) -> Any:
    if isinstance(value, YamlScalar):
        return value
    if type(value) is SlotScalar:
        return mark_of(value)
    raise RenderError(f"template prints {value!r} without the `q` filter; write {{{{ value | q }}}}")


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


MAX_INDENT = 256  # spaces before a yaml_block
MAX_BLOCK_NODES = 100_000  # keys, items and scalars in one yaml_block


def _count(value: Any, budget: int) -> int:
    """What is left of `budget` once `value`'s nodes are counted (negative: too many)."""
    budget -= 1
    if isinstance(value, Mapping):
        for item in value.values():
            if budget < 0:
                break
            budget = _count(item, budget - 1)
    elif isinstance(value, (list, tuple)):
        for item in value:
            if budget < 0:
                break
            budget = _count(item, budget)
    return budget


def yaml_block(value: Any, indent: int = 0) -> YamlBlock:
    if _is_scalar(value) or not value:
        raise RenderError(f"yaml_block takes a non-empty mapping or list, not {value!r}")
    if _count(value, MAX_BLOCK_NODES) < 0:
        raise RenderError(f"yaml_block takes at most {MAX_BLOCK_NODES:,} keys, items and scalars")
    if not isinstance(indent, int) or not 0 <= indent <= MAX_INDENT:
        raise RenderError(f"yaml_block's indent is a number of spaces from 0 to {MAX_INDENT}, not {indent!r}")
    text = "\n".join(_lines(value, indent))
    # Read as helm reads it (YAML 1.1, the stricter of the two for plain scalars); the file it
    # stands in is read again under YAML 1.2 by the render's own parse-back.
    if not same(read_yaml_1_1(text), _plain(value)):
        raise RenderError(f"yaml_block does not read back as the value it was given: {value!r}")
    return YamlBlock(text)


def comment(value: Any) -> YamlComment:
    """A whole `# ...` comment: wherever a template puts it, YAML reads nothing but a comment."""
    if not isinstance(value, str):
        raise RenderError(f"a comment is text, not {value!r}")
    return YamlComment(f"# {comment_text(value)}")


# ---- loading -------------------------------------------------------------------------------------

# An include alone on its line, not followed by a tag that strips the whitespace before it.
_INCLUDE = re.compile(r'^[ \t]*\{% include "([^"]+)" %\}\n(?![ \t\n]*\{[%{#]-)', re.MULTILINE)
# What an included template may not hold to be inlined: names of its own, whitespace control.
_SCOPED = re.compile(r"\{%-?\s*(set|macro|extends|block|import|from)\b|\{[%{#]-|-[%}#]\}")


@dataclass(frozen=True)
class TemplateLayer:
    """A kit's templates, read into memory when the kit was loaded (kit/load.py): name -> text.
    Rendering never opens a kit file, so nothing a template names can reach past what was read."""

    shown: str  # the kit folder as the user wrote it, for messages
    texts: Mapping[str, str]


class LayeredLoader(jinja2.PackageLoader):
    """The package's templates, with the kits' layered over them (the last kit first); each
    `{% include "name" %}` line is replaced by the included text when that means the same: the
    include stands alone on its line and no whitespace control reaches across it, and the included
    template ends with a newline and sets, defines or imports nothing (so its names cannot leak into
    the parent). Rendering then costs one template call per output, not one per include; the output
    is the same byte for byte (the golden trees prove it on every example)."""

    def __init__(self, layers: Sequence[TemplateLayer] = (), flavour: str | None = None) -> None:
        super().__init__("generator", "templates")
        self.layers = tuple(reversed(layers))  # the last kit wins
        # The package environment this loader serves (yaml, markdown, shell): its templates may come
        # compiled ahead of time (output/precompiled.py). None: a kit's or a test's, always compiled.
        self.flavour = flavour if not layers else None

    def load(self, environment: jinja2.Environment, name: str,
             globals: MutableMapping[str, Any] | None = None) -> jinja2.Template:
        if self.flavour is not None:
            from .precompiled import load

            source, filename, _ = self.get_source(environment, name)
            found = load(environment, self.flavour, name, source, filename, {} if globals is None else globals)
            if found is not None:
                return found
        return super().load(environment, name, globals)

    def kit_of(self, name: str) -> TemplateLayer | None:
        """The kit that serves `name`, or None for the package."""
        return next((layer for layer in self.layers if name in layer.texts), None)

    def own_source(self, environment: jinja2.Environment, name: str) -> tuple[str, str]:
        """The text of `name` as its layer holds it (no inlining), and its file name for messages."""
        layer = self.kit_of(name)
        if layer is not None:
            return layer.texts[name], f"{layer.shown}/{name}"
        source, filename, _ = super().get_source(environment, name)
        return source, filename

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Callable[[], bool] | None]:
        source, filename = self.own_source(environment, template)

        def inline(match: re.Match[str]) -> str:
            if self.kit_of(match.group(1)) is not None:  # a kit's text keeps its own file and lines
                return match.group(0)
            included, _, _ = self.get_source(environment, match.group(1))
            return included if included.endswith("\n") and not _SCOPED.search(included) else match.group(0)

        if self.kit_of(template) is None:  # inlining into a kit's text would shift its lines in messages
            source = _INCLUDE.sub(inline, source)
        return source, filename, lambda: True

    def tainted(self, environment: jinja2.Environment, name: str, seen: frozenset[str] = frozenset()) -> bool:
        """Whether rendering `name` runs text of a kit: it is a kit's, or includes, imports or extends
        one (or a name only known when rendering)."""
        if self.kit_of(name) is not None:
            return True
        if name in seen:
            return False
        source, _ = self.own_source(environment, name)
        for referenced in jinja2.meta.find_referenced_templates(environment.parse(source)):
            if referenced is None or self.tainted(environment, referenced, seen | {name}):
                return True
        return False


def strict_environment(
    finalize: Callable[[Any], Any], loader: jinja2.BaseLoader | None = None,
    kind: type[jinja2.Environment] = jinja2.Environment,
) -> jinja2.Environment:
    """gen's Jinja settings: templates read only from the package and the kits (tests may hand in a
    loader of their own), undefined names are errors, and `finalize` decides what a template may
    print. `kind`: the kits' sandbox (output/sandbox.py), or a plain environment."""
    environment = kind(
        loader=loader or LayeredLoader(),
        undefined=jinja2.StrictUndefined,
        finalize=finalize,
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,  # templates are read once: no stat() per get_template and include
    )
    # No globals (`range`, `dict`, `lipsum`, `namespace`...): templates print their context and
    # nothing else, and every render is spared copying them into its context.
    environment.globals.clear()
    return environment


def add_filters(environment: jinja2.Environment) -> jinja2.Environment:
    environment.filters.update(q=quote, yaml_block=yaml_block, comment=comment)
    # The two tests whose answer a shape's slot would change (output/shapes.py) refuse slots.
    environment.tests.update({name: refuse_slots(environment.tests[name]) for name in ("string", "sameas")})
    return environment


def make_environment(loader: jinja2.BaseLoader | None = None) -> jinja2.Environment:
    """The environment of the built-in YAML templates: every printed value goes through `q`. The
    package's own is built once per process, so that each template is compiled once however many
    renders (the layering check, the render, a test suite, a fuzzer) ask for it."""
    return _package_environment() if loader is None else add_filters(strict_environment(finalize, loader))


@functools.cache
def _package_environment() -> jinja2.Environment:
    return add_filters(strict_environment(finalize, LayeredLoader(flavour="yaml")))


# ---- the parse-back proof --------------------------------------------------------------------------

# The parse-back runs on every rendered file, so it uses a compiled parser: ryaml (Rust,
# serde_yaml), about three times faster than libyaml through PyYAML's constructor on gen's output,
# with the same results on every file of the benchmark estates.


def parse_back(path: str, template: str, text: str) -> Any:
    """The one YAML mapping `text` holds, or RenderError."""
    try:
        # One document, or an error: a second document (`---`) is refused by the parser itself.
        document = ryaml.loads(text)  # type: ignore[attr-defined]
    except ryaml.InvalidYamlError as error:  # type: ignore[attr-defined]
        try:  # several documents, each valid YAML, or not YAML at all?
            ryaml.loads_all(text)  # type: ignore[attr-defined]
        except ryaml.InvalidYamlError:  # type: ignore[attr-defined]
            raise RenderError(f"{path} ({template}) is not valid YAML: {error}") from None
        document = None
    if not isinstance(document, dict):
        raise RenderError(f"{path} ({template}) must hold exactly one YAML mapping")
    return document

