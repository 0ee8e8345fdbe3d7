"""Rendering each distinct shape once: most of an estate is the same objects in many namespaces.

Two outputs have the same *shape* when they fill the same template with contexts that differ only
in their object's `name` and `namespace`, each a *safe scalar*: a DNS label that starts with a
letter and is no YAML keyword, so that `q` prints it as it is, plain, and every YAML reader reads it
back as that string (yaml_text.py). A kustomization's shape is its number of files: each file it
lists is a slot, whose value must be a *safe file name*, a safe scalar but that it may also hold
dots (`deployment-web.yaml`; YAML reads no number, boolean or null from a plain scalar that starts
with a letter and that `q` prints plain). gen renders a shape once, with opaque *slots* where those
values go, and derives each instance's file from it. Why a derived file is exactly what rendering
gives:

1. **The template cannot tell one value from another.** A slot lets a template do three things
   with it: pass it along (bind it, put it in a list), test it for truth, `none` or `defined` (the
   same answer for every non-empty string), and print it through `q`. Everything else raises
   `SlotTouched`: comparing, hashing, measuring, iterating, indexing, reading an attribute, turning it
   into text (`~`, `format`, every text filter), the `string` and `sameas` tests (whose answer a
   slot would change), calling it. `SlotTouched` is a BaseException, so no `except Exception` in
   Jinja or a filter turns it into an answer. A template may also not capture rendered text into a
   value (macros, `call`, `filter` and `set` blocks, inheritance), read `_` attributes or items,
   pass arguments to a method, format with `%`, or use a filter or test outside short lists (none
   of which reads an attribute by a name it is given) (the static check below), so the only text
   that depends on a slot is what `q` printed for it. If rendering the shape raises anything, the
   shape is not used and each of its outputs is rendered as before. So, for any values, the rendered text is the shape's
   text with each slot's mark replaced by `q(value)`, which for a safe scalar is the value itself.
2. **The parse-back is the shape's, with the values put in.** The shape is parsed back once, with a
   probe value per slot (itself a safe scalar; a text that holds a probe's prefix anywhere else is
   not a shape). The YAML scanner must read each probe as a whole plain scalar token and nowhere
   else (not an anchor, alias or tag, not quoted, not in a comment: as many tokens as marks), and
   the document must hold each as a whole scalar value, not a key, as many as the text has marks.
   A safe scalar (or file name) in place of a probe is a plain scalar of the same characters' kind
   in the same place (a dot is an ordinary character inside a plain scalar, and cannot start one
   here), so the YAML scanner cuts the same tokens and the resolver reads a string; the document is
   the probe's document with each probe value replaced.
3. **Everything else is per file, as before**: the identity check against the plan, the schema
   validation and a kit's rules run on each derived document, the secret gate on each text.

Outputs whose slot values are not safe scalars, helm values merged into live values, Markdown and
shell outputs, and templates a kit serves (they render in the sandbox) are rendered one by one.
tests/test_shapes.py renders every example, every phase of their migration plans and generated
estates both ways and compares every byte.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from operator import attrgetter
from typing import Any

import jinja2
import yaml
from jinja2 import nodes

from ..plan import Output
from ..plan.outputs import KustomizationContext, ObjectContext, TemplateContext, field_names
from ..memo import REMEMBERED, remembered
from ..yaml_text import quote_text
from .derived import Derived, Form, Shape, Tree
from .slots import MARK, Slot, SlotTouched
from .templating import parse_back

# The fields a shape may slot: every object context has them.
SLOTTED = ("name", "namespace")
# A DNS label (RFC 1123) that starts with a letter: q prints it plain unless it is a YAML keyword.
_SAFE = re.compile(r"[a-z](?:[-a-z0-9]{0,61}[a-z0-9])?")
_PROBED = "gen-shape-probe-"  # what every probe value starts with
_PROBE = _PROBED + "{}-zq"


def safe_scalar(value: Any) -> bool:
    """A value a shape may slot: printed by `q` as it is, read back by every reader as that string."""
    return _plain(_SAFE, value)


def _plain(pattern: re.Pattern[str], value: Any) -> bool:
    return type(value) is str and pattern.fullmatch(value) is not None and quote_text(value) == value


# A file name a kustomization lists (`<kind>-<name>.yaml`, a name a DNS subdomain): a safe scalar
# that may hold dots. It starts with a letter, so YAML reads no number (those start with a digit, a
# sign or a dot), and `q` prints it plain, so it is no boolean or null either.
_SAFE_FILE = re.compile(r"[a-z](?:[-a-z0-9.]{0,251}[a-z0-9])?")


def safe_file_name(value: Any) -> bool:
    """A file name a kustomization's shape may slot (each of its files is a slot)."""
    return _plain(_SAFE_FILE, value)


# Contexts whose one field is a tuple of file names, each a slot: its shape is how many there are.
_ITEMS: dict[type, str] = {KustomizationContext: "resources"}


# ---- which templates may render as shapes --------------------------------------------------------

_ALLOWED = (
    nodes.Template, nodes.Output, nodes.TemplateData, nodes.Name, nodes.Const, nodes.Getattr, nodes.Getitem,
    nodes.Slice, nodes.Filter, nodes.Test, nodes.If, nodes.For, nodes.CondExpr, nodes.Compare, nodes.Operand,
    nodes.And, nodes.Or, nodes.Not, nodes.List, nodes.Tuple, nodes.Dict, nodes.Pair, nodes.Concat,
    nodes.BinExpr, nodes.UnaryExpr, nodes.Call, nodes.Include, nodes.Assign,
)
_TESTS = frozenset({"none", "defined", "undefined"})
# Filters that, given a slot, either pass it on as it is or raise (they measure, iterate or print
# it); none reads an attribute by a name it is given.
_FILTERS = frozenset({"q", "yaml_block", "comment", "length", "count", "default", "d", "first", "last", "list",
                      "items", "dictsort", "lower", "upper", "trim", "string"})


def _refusal(node: nodes.Node) -> str | None:
    if not isinstance(node, _ALLOWED) or isinstance(node, nodes.Mod):  # `'x' % slot` formats nothing
        return type(node).__name__
    if isinstance(node, nodes.Getattr) and node.attr.startswith("_"):
        return f"attribute {node.attr}"
    if (isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str)
            and node.arg.value.startswith("_")):
        return f"item {node.arg.value}"  # Jinja falls back from an item to the attribute of that name
    if isinstance(node, nodes.Call) and (node.args or node.kwargs or node.dyn_args or node.dyn_kwargs):
        return "a call with arguments"
    if isinstance(node, nodes.Test) and node.name not in _TESTS:
        return f"test {node.name}"
    if isinstance(node, nodes.Filter) and (node.name not in _FILTERS or node.kwargs or node.dyn_args or node.dyn_kwargs):
        return f"filter {node.name}"
    if isinstance(node, nodes.Include) and (not isinstance(node.template, nodes.Const) or node.ignore_missing):
        return "an include by a computed name, or of a template that may be missing"
    return None


@lru_cache(maxsize=None)
def _refused(environment: jinja2.Environment, name: str) -> str | None:
    """Why `name` (as its environment's loader serves it, includes and all) may not render as a
    shape; None if it may."""
    return _refused_in(environment, name, frozenset())


def _refused_in(environment: jinja2.Environment, name: str, seen: frozenset[str]) -> str | None:
    if name in seen:
        return f"{name} includes itself"
    try:
        assert environment.loader is not None
        source, _, _ = environment.loader.get_source(environment, name)
        parsed = environment.parse(source)
    except Exception as error:  # a missing or broken template renders on its own, and fails as it fails
        return f"{type(error).__name__}"
    if MARK in source or _PROBED in source:
        return "a NUL character or a probe in its text"
    for node in parsed.find_all(nodes.Node):
        why = _refusal(node)
        if why is None and isinstance(node, nodes.Include) and isinstance(node.template, nodes.Const):
            why = _refused_in(environment, str(node.template.value), seen | {name})
        if why is not None:
            return why
    return None


# ---- shapes ----------------------------------------------------------------------------------------

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's scanner where PyYAML has it


def _probes(node: Any, at: tuple[Any, ...], found: list[tuple[tuple[Any, ...], str]]) -> bool:
    """Collects (path, value) of every string that holds a probe; False if a key holds one."""
    if isinstance(node, dict):
        for key, value in node.items():
            if isinstance(key, str) and _PROBED in key:
                return False
            if not _probes(value, (*at, key), found):
                return False
    elif isinstance(node, list):
        for index, value in enumerate(node):
            if not _probes(value, (*at, index), found):
                return False
    elif isinstance(node, str) and _PROBED in node:
        found.append((at, node))
    return True


@dataclass(frozen=True)
class _Fields:
    """How a context class is keyed: the fields its shape slots, and the others."""

    slotted: Callable[[Any], tuple[Any, ...]]  # the slotted fields' values (name, namespace)
    others: Callable[[Any], Any]  # the other fields' values, in field order
    single: bool  # `others` gives one value, not a tuple
    slots: bool  # whether it slots anything


_FIELDS: dict[type, _Fields] = {}


def _fields_of(cls: type) -> _Fields:
    found = _FIELDS.get(cls)
    if found is None:
        # Only where the template sees the fields themselves (a TSB object's sees it as `obj`).
        plain = issubclass(cls, ObjectContext) and getattr(cls, "variables") is TemplateContext.variables
        slotted = SLOTTED if plain else ()
        others = [name for name in field_names(cls) if name not in slotted]
        found = _FIELDS[cls] = _Fields(
            attrgetter(*slotted) if slotted else (lambda context: ()),
            attrgetter(*others) if others else (lambda context: ()),
            len(others) == 1,
            bool(slotted),
        )
    return found


Keyed = tuple[str, tuple[str, ...]]


class ShapeKeys:
    """key_of for the outputs of one render: each distinct set of field values is described once.
    A planner builds an estate's contexts from shared values (one labels mapping, one tuple of
    containers for every namespace that runs the app), so the description of a context's other
    fields is looked up by their identities; the values are kept, so that no identity is reused,
    and a plan is never changed once made."""

    def __init__(self) -> None:
        self._described: dict[tuple[int, ...], tuple[tuple[Any, ...], str]] = {}
        self._safe: dict[str, bool] = {}
        self._safe_files: dict[str, bool] = {}
        self._keys: dict[str, str] = {}
        self._values: dict[tuple[str, ...], tuple[str, ...]] = {}

    def __call__(self, output: Output) -> Keyed | None:
        """The shape an output fills (its template, and its context with slots for the values) and
        its slots' values; None if it renders on its own (helm values merged into live ones,
        Markdown, shell) or a value it would slot is not a safe scalar. The context's other fields
        are described by a digest of their `repr`, as the render cache keys them (output/cache.py).
        A kustomization's shape is its number of files, and its values are its files, where each
        is a safe file name; else it is described as a whole, as a context that slots nothing is."""
        context = output.context
        if context.format != "yaml" or context.merge_base() is not None:
            return None
        cls = type(context)
        items = _ITEMS.get(cls)
        if items is not None:  # a kustomization: each of its files is a slot, where all are safe
            entries: tuple[str, ...] = getattr(context, items)
            if all(_judged(self._safe_files, safe_file_name, entry) for entry in entries):
                key = f"{output.template}\0{cls.__module__}.{cls.__qualname__}\0{len(entries)} items"
                return self._keys.setdefault(key, key), entries
        fields = _fields_of(cls)
        values: list[str] = []
        slots = []
        for value in fields.slotted(context):
            if value is None:
                slots.append("-")
                continue
            if not _judged(self._safe, safe_scalar, value):
                return None
            if value not in values:
                values.append(value)
            slots.append(str(values.index(value)))
        if not fields.slots:  # a context that slots nothing is described as it describes itself (hashed:
            # a kustomization's description lists its folder's files, and each is kept until rendered)
            described = hashlib.sha256(repr(context).encode("utf-8", "surrogatepass")).hexdigest()
            return f"{output.template}\0{cls.__module__}.{cls.__qualname__}\0{described}", ()
        others = fields.others(context)
        if fields.single:
            others = (others,)
        identities = tuple(map(id, others))
        found = self._described.get(identities)
        if found is None:
            if len(self._described) >= REMEMBERED:  # as memo.remembered: the last few hundred
                self._described.clear()
            digest = hashlib.sha256(repr(others).encode("utf-8", "surrogatepass")).hexdigest()[:32]
            found = self._described[identities] = (others, digest)
        key = f"{output.template}\0{cls.__module__}.{cls.__qualname__}\0{','.join(slots)}\0{found[1]}"
        # One string per shape, and one tuple per set of values (a namespace's outputs share one).
        return self._keys.setdefault(key, key), remembered(self._values, tuple(values), tuple)


def _judged(judged: dict[str, bool], judge: Callable[[Any], bool], value: str) -> bool:
    """judge(value), asked once per distinct value of the last few hundred (an estate repeats its names)."""
    return remembered(judged, value, judge)


def key_of(output: Output) -> Keyed | None:
    """ShapeKeys, for one output."""
    return ShapeKeys()(output)


def build(template: jinja2.Template, output: Output, profile: str, count: int) -> Shape | None:
    """The shape of `output`'s template and context with its `count` slots, or None where rendering
    it as a shape is not proven to give what rendering each instance gives."""
    if _refused(template.environment, output.template) is not None:
        return None
    try:
        return _built(template, output, profile, count)
    except (SlotTouched, Exception):  # whatever fails, the instances render one by one, as before
        return None


def _built(template: jinja2.Template, output: Output, profile: str, count: int) -> Shape | None:
    variables = {"profile": profile, **output.context.variables()}
    slots: dict[str, Slot] = {}
    items = _ITEMS.get(type(output.context))
    if items is not None and count:  # keyed by its files, each a slot (else as a whole: count 0)
        if len(variables[items]) != count:
            return None
        variables[items] = tuple(Slot(number) for number in range(count))
    for name in SLOTTED if _fields_of(type(output.context)).slots else ():
        value = variables.get(name)
        if value is not None:
            slots.setdefault(value, Slot(len(slots)))
            variables[name] = slots[value]
    text = template.render(variables)  # raising, the instances render one by one and fail as they fail
    if _PROBED in text:  # a value holds a probe's text: it could not be told from a slot's
        return None
    parts = text.split(MARK)  # the marks are at odd positions: each must name one of the slots
    numbers = {str(number): number for number in range(count)}
    if len(parts) % 2 == 0 or any(parts[index] not in numbers for index in range(1, len(parts), 2)):
        return None
    marks = tuple((index, numbers[parts[index]]) for index in range(1, len(parts), 2))
    probes = tuple(_PROBE.format(number) for number in range(count))
    form = Form(parts, marks)
    probed = form.text(probes)
    if marks and not _whole_plain_scalars(probed, probes, len(marks)):
        return None
    document = parse_back(output.path, output.template, probed)
    found: list[tuple[tuple[Any, ...], str]] = []
    if not _probes(document, (), found) or len(found) != len(marks) or any(value not in probes for _, value in found):
        return None
    tree: Tree = {}
    for path, value in found:
        node = tree
        for step in path[:-1]:
            node = node.setdefault(step, {})
        node[path[-1]] = probes.index(value)
    return Shape(form, document, tree)


def _whole_plain_scalars(text: str, probes: tuple[str, ...], marks: int) -> bool:
    """Whether the YAML scanner reads each of the `marks` probes in `text` as a whole plain scalar
    token, and a probe nowhere else (not in an anchor, alias, tag, key, quoted or block scalar, or
    comment: a comment is no token, so one there leaves a mark uncounted)."""
    count = 0
    try:
        for token in yaml.scan(text, Loader=_LOADER):
            value = getattr(token, "value", None)
            if not isinstance(value, str) or _PROBED not in value:
                continue
            if not isinstance(token, yaml.ScalarToken) or not token.plain or value not in probes:
                return False
            count += 1
    except Exception:  # not YAML libyaml can scan: parse-back would have refused it too
        return False
    return count == marks


class Shapes:
    """The shapes one slice of a plan has met: each built from the first output that fills it."""

    def __init__(self, templates: Any, profile: str) -> None:
        self.templates = templates  # a TemplateSet (output/sandbox.py)
        self.profile = profile
        self.known: dict[str, Shape | None] = {}
        self.derived = 0  # outputs derived from a shape, for tests and the benchmark

    def derive(self, output: Output, keyed: Keyed | None) -> tuple[Derived, Any] | None:
        """`output`'s text (as its shape and values: output/derived.py) and parsed document,
        derived from its shape (`keyed`: key_of(output)); None: render it."""
        shape = self._shape(output, keyed)
        if shape is None or keyed is None:
            return None
        self.derived += 1
        return shape.instance(keyed[1])

    def held(self, output: Output, keyed: Keyed | None, text: str) -> Derived | None:
        """`text`, a file of `output` read back from the tree (output/cache.py), as its shape and
        values, where its shape gives exactly that text; None: keep the text."""
        shape = self._shape(output, keyed)
        if shape is None or keyed is None:
            return None
        derived = Derived(shape.form, keyed[1])
        return derived if str(derived) == text else None

    def _shape(self, output: Output, keyed: Keyed | None) -> Shape | None:
        if keyed is None:
            return None
        key, values = keyed
        if key not in self.known:
            self.known[key] = self._build(output, len(values))
        return self.known[key]

    def _build(self, output: Output, count: int) -> Shape | None:
        try:
            template, sandboxed = self.templates.get(output.template)
        except jinja2.TemplateError:
            return None
        return None if sandboxed else build(template, output, self.profile, count)
