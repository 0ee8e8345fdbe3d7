"""The sandbox kit templates render in, and which templates render there (`TemplateSet`).

`KitSandbox` is Jinja's immutable sandbox (no attribute of Python's internals, no method that
changes a value) with gen's filters and `finalize`, and no globals, narrowed further:

- methods: only the read-only ones listed here (`str.lower`, `Mapping.items`, ...) and those of gen's
  own frozen contexts; a library's object (a ruamel mapping of live values) offers none;
- operators and calls that could build a huge value are checked before they build it (`*`, `**`,
  `%`, `~`, a macro's arguments), filters are a list, the growing ones bounded;
- `{% filter %}` blocks (but `indent`) and `{% call %}` blocks, whose output would skip `finalize`,
  are refused (`refused_blocks`, checked when the kit is loaded);
- per file: at most MAX_KIT_OUTPUT characters, MAX_KIT_CALLS calls, MAX_KIT_SECONDS of CPU, and
  MAX_KIT_MEMORY more address space than the process had (RLIMIT_AS, where the system has it), so
  that a template that allocates in one C call still fails with MemoryError, exit 2.
"""

from __future__ import annotations

import functools
import signal
import threading
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import jinja2
import jinja2.filters
from jinja2 import nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from .templating import MAX_INDENT, LayeredLoader, TemplateLayer, add_filters, finalize, make_environment, strict_environment

try:
    import resource
except ImportError:  # not on this system: the other bounds still hold
    resource = None  # type: ignore[assignment]

MAX_KIT_OUTPUT = 1 << 20  # characters per rendered file (etcd refuses objects past about 1.5 MB)
MAX_KIT_VALUE = 1 << 20  # characters (or items) of a value an operator, call or filter builds
MAX_KIT_SECONDS = 10  # CPU seconds to render one file
MAX_KIT_CALLS = 1_000_000  # function, method and macro calls per rendered file
MAX_KIT_MEMORY = 1 << 30  # bytes of address space a render may add
MAX_INT_BITS = 4096
MAX_PIECES = 10_000  # `slice` and `batch` sizes

# Jinja's filters a kit template may use: none reads anything but its arguments. Left out: those
# that can build a value far larger than their input (`center`, `format`, `wordwrap`, `urlize`,
# `filesizeformat`, `xmlattr`, `tojson`, `pprint`, `safe`, `escape`); `replace`, `join`, `indent`,
# `slice`, `batch`, `sum` and `string` are bounded versions.
_KIT_FILTERS = (
    "abs", "attr", "capitalize", "count", "d", "default", "dictsort", "first", "float", "groupby", "int",
    "items", "last", "length", "list", "lower", "map", "max", "min", "reject", "rejectattr", "reverse", "round",
    "select", "selectattr", "sort", "title", "trim", "truncate", "unique", "upper", "wordcount",
)
_STR_METHODS = frozenset({
    "capitalize", "casefold", "count", "endswith", "find", "index", "isalnum", "isalpha", "isdigit", "islower",
    "isspace", "isupper", "lower", "lstrip", "partition", "removeprefix", "removesuffix", "rfind", "rindex",
    "rpartition", "rsplit", "rstrip", "split", "splitlines", "startswith", "strip", "swapcase", "title", "upper",
})
_MAPPING_METHODS = frozenset({"get", "items", "keys", "values"})
_SEQUENCE_METHODS = frozenset({"count", "index"})


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


class _KitCodeGenerator(CodeGenerator):
    """Compiles `a ~ b` to a bounded join (Jinja's own is a plain `str.join`)."""

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        self.write("environment.bounded_concat((")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write("))")


class KitSandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox, narrowed (see the module's docstring)."""

    code_generator_class = _KitCodeGenerator
    intercepted_binops = frozenset(["*", "**", "%", "+", "//"])
    calls = 0  # in the file being rendered (render_bounded resets it)

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        if not super().is_safe_attribute(obj, attr, value):
            return False
        if not callable(value):
            return True
        if isinstance(obj, str):
            return attr in _STR_METHODS
        if isinstance(obj, Mapping):
            return attr in _MAPPING_METHODS
        if isinstance(obj, (list, tuple)):
            return attr in _SEQUENCE_METHODS
        # gen's frozen contexts and their values (`resources.sections()`); nothing of a library's.
        return type(obj).__module__.startswith("generator.") and not isinstance(obj, type)

    def bounded_concat(self, parts: Sequence[Any]) -> str:
        texts = []
        size = 0
        for part in parts:
            text = str(part)
            size += len(text)
            if size > MAX_KIT_VALUE:
                raise KitSandboxError(f"`~` would build a value of more than {MAX_KIT_VALUE:,} characters")
            texts.append(text)
        return "".join(texts)

    def call_binop(self, context: jinja2.runtime.Context, operator: str, left: Any, right: Any) -> Any:
        if operator == "*":
            for value, times in ((left, right), (right, left)):
                if isinstance(times, int) and not isinstance(value, (int, float)) \
                        and _length(value) * abs(times) > MAX_KIT_VALUE:
                    raise KitSandboxError(f"`*` would repeat a value {times:,} times, past {MAX_KIT_VALUE:,} items")
        if operator == "**" and isinstance(right, (int, float)) and abs(right) > 64:
            raise KitSandboxError("`**` with an exponent past 64")
        if operator == "%" and isinstance(left, str):
            raise KitSandboxError("`%` formatting is not available in kit templates: join values with `~`")
        return _sized(super().call_binop(context, operator, left, right), f"`{operator}`")

    def call(__self, __context: jinja2.runtime.Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805
        __self.calls += 1
        if __self.calls > MAX_KIT_CALLS:
            raise KitSandboxError(f"the template makes more than {MAX_KIT_CALLS:,} calls")
        for value in (*args, *kwargs.values()):
            _sized(value, "an argument")
        return _sized(super().call(__context, __obj, *args, **kwargs), "a call")


def _bounded_replace(value: Any, old: Any, new: Any, count: int | None = None) -> str:
    text, old, new = str(value), str(old), str(new)
    times = text.count(old) if count is None else min(count, text.count(old))
    if len(text) + times * (len(new) - len(old)) > MAX_KIT_VALUE or (not old and len(new) * len(text) > MAX_KIT_VALUE):
        raise KitSandboxError(f"`replace` would build a value past {MAX_KIT_VALUE:,} characters")
    return text.replace(old, new, -1 if count is None else count)


def _bounded_join(value: Any, separator: Any = "", attribute: Any = None) -> str:
    between = str(separator)
    texts, size = [], 0
    for item in value:
        text = str(item if attribute is None else getattr(item, str(attribute), ""))
        size += len(text) + len(between)
        if size > MAX_KIT_VALUE:
            raise KitSandboxError(f"`join` would build a value past {MAX_KIT_VALUE:,} characters")
        texts.append(text)
    return between.join(texts)


def _bounded_indent(value: Any, width: Any = 4, first: bool = False, blank: bool = False) -> str:
    if not isinstance(width, int) or not 0 <= width <= MAX_INDENT:
        raise KitSandboxError(f"`indent` takes a width from 0 to {MAX_INDENT}")
    text = str(value)
    if len(text) * (1 + width) > MAX_KIT_VALUE * 2:
        raise KitSandboxError(f"`indent` would build a value past {MAX_KIT_VALUE:,} characters")
    return str(jinja2.filters.do_indent(text, width, first, blank))


def _pieces(count: Any, what: str) -> int:
    if not isinstance(count, int) or not 1 <= count <= MAX_PIECES:
        raise KitSandboxError(f"`{what}` takes a size from 1 to {MAX_PIECES:,}")
    return count


def _bounded_slice(value: Any, slices: Any, fill_with: Any = None) -> list[list[Any]]:
    return [list(part) for part in jinja2.filters.do_slice(value, _pieces(slices, "slice"), fill_with)]


def _bounded_batch(value: Any, linecount: Any, fill_with: Any = None) -> list[list[Any]]:
    return [list(part) for part in jinja2.filters.do_batch(value, _pieces(linecount, "batch"), fill_with)]


def _numbers_sum(value: Any, attribute: Any = None, start: Any = 0) -> Any:
    items = [item if attribute is None else getattr(item, str(attribute), 0) for item in value]
    if not isinstance(start, (int, float)) or not all(isinstance(item, (int, float)) for item in items):
        raise KitSandboxError("`sum` adds numbers only")
    return _sized(sum(items, start), "`sum`")


def _scalar_string(value: Any) -> str:
    """`string` of a scalar: the text of a list or an object would show memory addresses or run long."""
    if isinstance(value, (str, int, float)) or value is None:
        return str(value)
    raise KitSandboxError(f"`string` takes a string, number or none, not a {type(value).__name__}")


def sandbox_environment(layers: Sequence[TemplateLayer]) -> jinja2.Environment:
    """The environment kit templates (and built-ins that include them) render in."""
    environment = strict_environment(finalize, LayeredLoader(layers), kind=KitSandbox)
    environment.filters = {name: environment.filters[name] for name in _KIT_FILTERS}
    environment.filters.update(replace=_bounded_replace, join=_bounded_join, indent=_bounded_indent,
                               slice=_bounded_slice, batch=_bounded_batch, sum=_numbers_sum, string=_scalar_string)
    return add_filters(environment)


def _indent_only(block: nodes.FilterBlock) -> bool:
    """`{% filter indent(...) %}`: it only moves the lines of text that passed `finalize` (the
    built-ins indent included blocks so); any other filter could rewrite that text."""
    return isinstance(block.filter, nodes.Filter) and block.filter.name == "indent" and block.filter.node is None


def refused_blocks(environment: jinja2.Environment, source: str) -> Iterator[tuple[int, str]]:
    """(line, tag) of each `{% filter %}` block other than `indent`, and each `{% call %}` block:
    their output skips `finalize`."""
    for node in environment.parse(source).find_all((nodes.FilterBlock, nodes.CallBlock)):
        if isinstance(node, nodes.CallBlock):
            yield node.lineno, "call"
        elif isinstance(node, nodes.FilterBlock) and not _indent_only(node):
            yield node.lineno, "filter"


class _Timeout(Exception):
    pass


def _on_timer(signum: int, frame: Any) -> None:
    raise _Timeout


def _address_space() -> int | None:
    """The process's address space now, in bytes (Linux), else None."""
    try:
        with open("/proc/self/statm", "rb") as statm:
            return int(statm.read().split()[0]) * (resource.getpagesize() if resource else 4096)
    except (OSError, ValueError, IndexError):
        return None


class _MemoryBound:
    """RLIMIT_AS lowered to the current address space plus MAX_KIT_MEMORY, for one render."""

    def __enter__(self) -> None:
        self.saved = None
        now = _address_space() if resource is not None else None
        if now is None:
            return
        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        bound = now + MAX_KIT_MEMORY
        if (soft == resource.RLIM_INFINITY or bound < soft) and (hard == resource.RLIM_INFINITY or bound <= hard):
            resource.setrlimit(resource.RLIMIT_AS, (bound, hard))
            self.saved = (soft, hard)

    def __exit__(self, *exc: object) -> None:
        if self.saved is not None:
            resource.setrlimit(resource.RLIMIT_AS, self.saved)


def render_bounded(template: jinja2.Template, variables: dict[str, Any]) -> str:
    """A kit template's text, within the bounds of the module's docstring."""
    if isinstance(template.environment, KitSandbox):
        template.environment.calls = 0
    # CPU time, the system's share included (a template that allocates spends it there).
    timed = threading.current_thread() is threading.main_thread()
    if timed:
        previous = signal.signal(signal.SIGPROF, _on_timer)
        signal.setitimer(signal.ITIMER_PROF, MAX_KIT_SECONDS)
    stream = template.generate(variables)
    try:
        with _MemoryBound():
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
        reason = "calls itself too deeply" if isinstance(error, RecursionError) else \
            f"needs more than {MAX_KIT_MEMORY >> 20} MiB of memory"
        raise _at_line(KitSandboxError(f"the template {reason}"), template, stream) from None
    finally:
        if timed:
            signal.setitimer(signal.ITIMER_PROF, 0)
            signal.signal(signal.SIGPROF, previous)


def _at_line(error: KitSandboxError, template: jinja2.Template, stream: Any) -> KitSandboxError:
    """`error`, placed at the template line the render had reached (where its root template was)."""
    frame = getattr(stream, "gi_frame", None)
    if frame is not None and template.filename:
        error.filename, error.lineno = template.filename, template.get_corresponding_lineno(frame.f_lineno)
    elif template.filename:
        error.filename, error.lineno = template.filename, 1
    return error


class TemplateSet:
    """Which environment renders each template: the package's own, or, for a template that runs a
    kit's text (LayeredLoader.tainted), the sandbox. Decided once per template name."""

    def __init__(self, layers: Sequence[TemplateLayer] = (), package: jinja2.Environment | None = None) -> None:
        self.package = package or make_environment()
        self.sandbox = sandbox_environment(layers) if layers else None
        self.kit_files = tuple(f"{layer.shown}/" for layer in layers)
        self._found: dict[str, tuple[jinja2.Template, bool]] = {}

    def get(self, name: str) -> tuple[jinja2.Template, bool]:
        """The compiled template, and whether it renders in the sandbox (decided, and the template
        found, once per name: a dictionary look-up per output after that)."""
        found = self._found.get(name)
        if found is None:
            environment = self.package
            if self.sandbox is not None:
                loader = self.sandbox.loader
                assert isinstance(loader, LayeredLoader)
                if loader.tainted(self.sandbox, name):
                    environment = self.sandbox
            found = self._found[name] = (environment.get_template(name), environment is not self.package)
        return found

    def kit_frame(self, error: BaseException, fallback: str) -> tuple[str, int]:
        """The kit file and line an error in a sandboxed render comes from: the innermost kit
        template frame (Jinja gives template frames the template's file name and line), else the
        error's own, else `fallback`'s first line."""
        found = (fallback, 0)
        filename = getattr(error, "filename", None)
        if isinstance(filename, str):
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
