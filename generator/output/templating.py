"""gen's Jinja, in one place: the filters that place values (`q`, `yaml_block`, `comment`), the
`finalize` that refuses anything else, the loader (the package's templates, with a profile's kits
layered over them), the two environments (the built-ins', and the sandbox kit templates render in),
and the parse-back proof every rendered text passes.

- `q(value)`: one YAML scalar token that reads back as exactly `value` (yaml_text.py's rules, which
  the merged helm values follow too);
- `yaml_block(value, indent)`: nested mappings and lists (an AuthorizationPolicy's spec, as a team
  wrote it) as block YAML, every key and scalar through `q`, proven to read back as `value`;
- `comment(value)`: prose for a `# ...` line, kept on that one line whatever it holds.

A kit template (or a built-in one that includes a kit's) renders in `KitSandbox`: Jinja's immutable
sandbox (no attribute of Python's internals, no method that changes a value), no globals, the same
filters and `finalize`, `include` and `import` only of kit and built-in templates (the loader knows
no other), operators and filters that could build a huge value bounded, at most MAX_KIT_OUTPUT
characters per file and MAX_KIT_SECONDS of CPU per file.
"""

from __future__ import annotations

import functools
import re
import signal
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import jinja2
import jinja2.meta
import ryaml
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from ..yaml_text import YamlScalar, comment_text, quote_text, read_yaml_1_1, same, scalar_token


class RenderError(Exception):
    """A template or the catalog is broken: a bug in gen, not in the profile (in a kit's template: the
    kit's, reported as a profile problem by the render)."""


# ---- placing values ---------------------------------------------------------------------------


def quote(value: Any) -> YamlScalar:
    """One YAML scalar that reads back as exactly `value` (a string stays a string), by the rules
    every YAML gen writes follows (yaml_text.py). Templates place strings, integers and booleans."""
    if type(value) is str:  # most values: the cached path first
        return quote_text(value)
    if isinstance(value, jinja2.Undefined):
        value._fail_with_undefined_error()  # raises jinja2.UndefinedError naming the variable
    if isinstance(value, (str, int)):  # booleans and Quantity (a str) included
        return scalar_token(value)
    raise RenderError(f"cannot place a {type(value).__name__} as a YAML scalar: {value!r}")


def _finalize(value: Any) -> Any:
    if isinstance(value, YamlScalar):
        return value
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


def yaml_block(value: Any, indent: int = 0) -> YamlBlock:
    if _is_scalar(value) or not value:
        raise RenderError(f"yaml_block takes a non-empty mapping or list, not {value!r}")
    if not isinstance(indent, int) or not 0 <= indent <= MAX_INDENT:
        raise RenderError(f"yaml_block's indent is a number of spaces from 0 to {MAX_INDENT}, not {indent!r}")
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

    def __init__(self, layers: Sequence[TemplateLayer] = ()) -> None:
        super().__init__("generator", "templates")
        self.layers = tuple(reversed(layers))  # the last kit wins

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
            included, _, _ = self.get_source(environment, match.group(1))
            return included if included.endswith("\n") and not _SCOPED.search(included) else match.group(0)

        # Inlining a kit's text would hide its file and line from error messages: only the
        # package's own includes are inlined.
        if self.kit_of(template) is None:
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
    finalize: Callable[[Any], Any], loader: jinja2.BaseLoader | None = None, sandboxed: bool = False
) -> jinja2.Environment:
    """gen's Jinja settings: templates read only from the package and the kits (tests may hand in a
    loader of their own), undefined names are errors, and `finalize` decides what a template may
    print."""
    kind = KitSandbox if sandboxed else jinja2.Environment
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


def _add_filters(environment: jinja2.Environment) -> jinja2.Environment:
    environment.filters.update(q=quote, yaml_block=yaml_block, comment=comment)
    return environment


def make_environment(loader: jinja2.BaseLoader | None = None) -> jinja2.Environment:
    """The environment of the built-in YAML templates: every printed value goes through `q`. The
    package's own is built once per process, so that each template is compiled once however many
    renders (the layering check, the render, a test suite, a fuzzer) ask for it."""
    return _package_environment() if loader is None else _add_filters(strict_environment(_finalize, loader))


@functools.cache
def _package_environment() -> jinja2.Environment:
    return _add_filters(strict_environment(_finalize))


# ---- the kits' sandbox ---------------------------------------------------------------------------

MAX_KIT_OUTPUT = 1 << 20  # characters per rendered file (etcd refuses objects past about 1.5 MB)
MAX_KIT_VALUE = 1 << 20  # characters (or items) of a value an operator or filter builds
MAX_KIT_SECONDS = 10  # CPU seconds to render one file
MAX_INDENT = 256
MAX_KIT_CALLS = 1_000_000  # function, method and macro calls per rendered file
MAX_INT_BITS = 4096

# Jinja's filters a kit template may use: none reads anything but its arguments, and none can build
# a value past MAX_KIT_VALUE from bounded ones (`center`, `format`, `wordwrap`, `filesizeformat`,
# `urlize`, `xmlattr`, `tojson`, `pprint` are left out; `replace`, `join`, `indent` are bounded).
_KIT_FILTERS = (
    "abs", "attr", "batch", "capitalize", "count", "d", "default", "dictsort", "first", "float", "groupby",
    "int", "items", "last", "length", "list", "lower", "map", "max", "min", "reject", "rejectattr", "reverse",
    "round", "select", "selectattr", "slice", "sort", "string", "sum", "title", "trim", "truncate", "unique",
    "upper", "wordcount",
)


class KitSandboxError(SecurityError):
    """A kit template tried something the sandbox does not allow."""

    filename: str | None = None  # where, when the render knows it
    lineno: int | None = None


def _sized(value: Any, what: str) -> Any:
    if isinstance(value, (str, list, tuple)) and len(value) > MAX_KIT_VALUE:
        unit = "characters" if isinstance(value, str) else "items"
        raise KitSandboxError(f"{what} would build a value of {len(value):,} {unit}, more than {MAX_KIT_VALUE:,}")
    if isinstance(value, int) and value.bit_length() > MAX_INT_BITS:
        raise KitSandboxError(f"{what} would build an integer of more than {MAX_INT_BITS} bits")
    return value


def _length(value: Any) -> int:
    return len(value) if isinstance(value, (str, list, tuple)) else 1


class KitSandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox, with the operators that can multiply a value bounded, and calls
    (functions, methods, macros: a macro calling itself on ever longer text) bounded in number per
    file and in the size of what they take and give."""

    intercepted_binops = frozenset(["*", "**", "%", "+", "//"])
    calls = 0  # in the file being rendered (render_bounded resets it)

    def call(__self, __context: jinja2.runtime.Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        __self.calls += 1
        if __self.calls > MAX_KIT_CALLS:
            raise KitSandboxError(f"the template makes more than {MAX_KIT_CALLS:,} calls")
        for value in (*args, *kwargs.values()):
            _sized(value, "an argument")
        return _sized(super().call(__context, __obj, *args, **kwargs), "a call")

    def call_binop(self, context: jinja2.runtime.Context, operator: str, left: Any, right: Any) -> Any:
        if operator == "*" and isinstance(right, int) and _length(left) * abs(right) > MAX_KIT_VALUE \
                and not isinstance(left, (int, float)):
            raise KitSandboxError(f"`*` would repeat a value {right:,} times, past {MAX_KIT_VALUE:,} items")
        if operator == "*" and isinstance(left, int) and not isinstance(right, (int, float)) \
                and _length(right) * abs(left) > MAX_KIT_VALUE:
            raise KitSandboxError(f"`*` would repeat a value {left:,} times, past {MAX_KIT_VALUE:,} items")
        if operator == "**" and isinstance(right, (int, float)) and abs(right) > 64:
            raise KitSandboxError("`**` with an exponent past 64")
        if operator == "%" and isinstance(left, str):
            raise KitSandboxError("`%` formatting is not available in kit templates: join values with `~`")
        return _sized(super().call_binop(context, operator, left, right), f"`{operator}`")


def _bounded_replace(value: Any, old: Any, new: Any, count: int | None = None) -> str:
    text, old, new = str(value), str(old), str(new)
    times = text.count(old) if count is None else min(count, text.count(old))
    if len(text) + times * (len(new) - len(old)) > MAX_KIT_VALUE:
        raise KitSandboxError(f"`replace` would build a value past {MAX_KIT_VALUE:,} characters")
    return text.replace(old, new, -1 if count is None else count)


def _bounded_join(value: Any, separator: Any = "", attribute: Any = None) -> str:
    items = [str(item if attribute is None else getattr(item, str(attribute), "")) for item in value]
    if sum(map(len, items)) + len(str(separator)) * max(len(items) - 1, 0) > MAX_KIT_VALUE:
        raise KitSandboxError(f"`join` would build a value past {MAX_KIT_VALUE:,} characters")
    return str(separator).join(items)


def _bounded_indent(value: Any, width: Any = 4, first: bool = False, blank: bool = False) -> str:
    if not isinstance(width, int) or not 0 <= width <= MAX_INDENT:
        raise KitSandboxError(f"`indent` takes a width from 0 to {MAX_INDENT}")
    indent = jinja2.filters.do_indent
    return _sized(indent(str(value), width, first, blank), "`indent`")  # type: ignore[no-any-return]


def sandbox_environment(layers: Sequence[TemplateLayer]) -> jinja2.Environment:
    """The environment kit templates (and built-ins that include them) render in."""
    environment = strict_environment(_finalize, LayeredLoader(layers), sandboxed=True)
    environment.filters = {name: environment.filters[name] for name in _KIT_FILTERS}
    environment.filters.update(replace=_bounded_replace, join=_bounded_join, indent=_bounded_indent)
    environment.tests = {name: test for name, test in environment.tests.items()}
    return _add_filters(environment)


class _Timeout(Exception):
    pass


def _on_timer(signum: int, frame: Any) -> None:
    raise _Timeout


def render_bounded(template: jinja2.Template, variables: dict[str, Any]) -> str:
    """A kit template's text: at most MAX_KIT_OUTPUT characters and MAX_KIT_SECONDS of CPU."""
    if isinstance(template.environment, KitSandbox):
        template.environment.calls = 0
    # CPU time, the system's share included (a template that allocates spends it there).
    timed = threading.current_thread() is threading.main_thread()
    if timed:
        previous = signal.signal(signal.SIGPROF, _on_timer)
        signal.setitimer(signal.ITIMER_PROF, MAX_KIT_SECONDS)
    stream = template.generate(variables)
    try:
        size, parts = 0, []
        for part in stream:
            size += len(part)
            if size > MAX_KIT_OUTPUT:
                raise _at_line(KitSandboxError(f"the template renders more than {MAX_KIT_OUTPUT:,} characters"),
                               template, stream)
            parts.append(part)
        return "".join(parts)
    except _Timeout:
        raise _at_line(KitSandboxError(f"the template takes more than {MAX_KIT_SECONDS} s of CPU to render"),
                       template, stream) from None
    except (RecursionError, MemoryError) as error:
        raise KitSandboxError(f"the template cannot be rendered: {type(error).__name__}") from None
    finally:
        if timed:
            signal.setitimer(signal.ITIMER_PROF, 0)
            signal.signal(signal.SIGPROF, previous)


class TemplateSet:
    """Which environment renders each template: the package's own, or, for a template that runs a
    kit's text (LayeredLoader.tainted), the sandbox. Decided once per template name."""

    def __init__(self, layers: Sequence[TemplateLayer] = (), package: jinja2.Environment | None = None) -> None:
        self.package = package or make_environment()
        self.sandbox = sandbox_environment(layers) if layers else None
        self.kit_files = tuple(f"{layer.shown}/" for layer in layers)
        self._sandboxed: dict[str, bool] = {}

    def get(self, name: str) -> tuple[jinja2.Template, bool]:
        """The compiled template, and whether it renders in the sandbox."""
        if self.sandbox is None:
            return self.package.get_template(name), False
        sandboxed = self._sandboxed.get(name)
        if sandboxed is None:
            loader = self.sandbox.loader
            assert isinstance(loader, LayeredLoader)
            sandboxed = self._sandboxed[name] = loader.tainted(self.sandbox, name)
        return (self.sandbox if sandboxed else self.package).get_template(name), sandboxed

    def kit_frame(self, error: BaseException, fallback: str) -> tuple[str, int]:
        """The kit file and line an error in a sandboxed render comes from: the innermost kit
        template frame (Jinja gives template frames the template's file name and line), else the
        error's own, else `fallback`'s first line."""
        found = (fallback, 0)
        filename = getattr(error, "filename", None)
        if isinstance(filename, str) and filename.startswith(self.kit_files):
            found = (filename, getattr(error, "lineno", 0) or 0)
        traceback = error.__traceback__
        while traceback is not None:
            name = traceback.tb_frame.f_code.co_filename
            if name.startswith(self.kit_files):
                found = (name, traceback.tb_lineno)
            traceback = traceback.tb_next
        return found[0], found[1] or 1


@functools.cache
def package_templates() -> TemplateSet:
    return TemplateSet()


def _at_line(error: KitSandboxError, template: jinja2.Template, stream: Any) -> KitSandboxError:
    """`error`, placed at the template line the render had reached (where its root template was)."""
    frame = getattr(stream, "gi_frame", None)
    if frame is not None and template.filename:
        error.filename, error.lineno = template.filename, template.get_corresponding_lineno(frame.f_lineno)
    return error


def template_line(error: BaseException, filename: str) -> int:
    """The line of `filename` a Jinja error was raised at (Jinja rewrites its tracebacks so that
    template frames carry the template's name and line), else 0."""
    line = getattr(error, "lineno", None) if getattr(error, "filename", None) == filename else None
    traceback = error.__traceback__
    while traceback is not None:
        if traceback.tb_frame.f_code.co_filename == filename:
            line = traceback.tb_lineno
        traceback = traceback.tb_next
    return line or 0


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

