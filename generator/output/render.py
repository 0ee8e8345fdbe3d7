"""Stage 6, render: planned outputs -> file texts, through Jinja.

Safety rests on two mechanisms:
- every `{{ expression }}` must pass through the `q` filter, which turns a value into one YAML
  scalar token (plain when that is unambiguous in YAML 1.1 and 1.2, double-quoted otherwise: the
  rules of generator/yaml_text.py, which the merged helm values follow too).
  The environment's `finalize` refuses anything else, so a template cannot leak a raw string;
- every text is parsed back and must be exactly one YAML mapping, of the kind, name and namespace
  the plan declared for it.
A profile value therefore cannot add a key, a document or a type change to the output.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import jinja2
import ryaml

from ..plan import ObjectIdentity, Output, Plan
from ..yaml_text import YamlScalar, quote_text, scalar_token
from .merge import UnprovenMerge, merged_values


class RenderError(Exception):
    """A template or the catalog is broken: a bug in gen, not in the profile."""


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
    raise RenderError(
        f"template prints {value!r} without the `q` filter; write {{{{ value | q }}}}"
    )


# An include alone on its line, not followed by a tag that strips the whitespace before it.
_INCLUDE = re.compile(r'^[ \t]*\{% include "([^"]+)" %\}\n(?![ \t\n]*\{[%{#]-)', re.MULTILINE)
# What an included template may not hold to be inlined: names of its own, whitespace control.
_SCOPED = re.compile(r"\{%-?\s*(set|macro|extends|block|import|from)\b|\{[%{#]-|-[%}#]\}")


class InliningLoader(jinja2.PackageLoader):
    """The package's templates, with each `{% include "name" %}` line replaced by the included text
    when that means the same: the include stands alone on its line and no whitespace control reaches
    across it, and the included template ends with a newline and sets, defines or imports nothing
    (so its names cannot leak into the parent).
    Rendering then costs one template call per output, not one per include; the output is the same
    byte for byte (the golden trees prove it on every example)."""

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Callable[[], bool] | None]:
        source, filename, uptodate = super().get_source(environment, template)

        def inline(match: re.Match[str]) -> str:
            included, _, _ = self.get_source(environment, match.group(1))
            return included if included.endswith("\n") and not _SCOPED.search(included) else match.group(0)

        return _INCLUDE.sub(inline, source), filename, uptodate


def strict_environment(finalize: Callable[[Any], Any], loader: jinja2.BaseLoader | None = None) -> jinja2.Environment:
    """gen's Jinja settings: templates read only from inside the package (never from a folder that
    happens to exist beside the code; tests may hand in a loader of their own), undefined names
    are errors, and `finalize` decides what a template may print."""
    environment = jinja2.Environment(
        loader=loader or InliningLoader("generator", "templates"),
        undefined=jinja2.StrictUndefined,
        finalize=finalize,
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,  # templates ship in the package: no stat() per get_template and include
    )
    # No globals (`range`, `dict`, `lipsum`...): templates print their context and nothing else, and
    # every render is spared copying them into its context.
    environment.globals.clear()
    return environment


def make_environment(loader: jinja2.BaseLoader | None = None) -> jinja2.Environment:
    """The environment of the YAML templates: every printed value goes through `q`. The package's
    own is built once per process, so that each template is compiled once however many renders
    (the layering check, the render, a test suite, a fuzzer) ask for it."""
    return _package_environment() if loader is None else _yaml_environment(loader)


@functools.cache
def _package_environment() -> jinja2.Environment:
    return _yaml_environment(None)


def _yaml_environment(loader: jinja2.BaseLoader | None) -> jinja2.Environment:
    environment = strict_environment(_finalize, loader)

    environment.filters["q"] = quote
    from .blocks import comment, yaml_block  # built on quote(): imported here, after it exists

    environment.filters["yaml_block"] = yaml_block
    environment.filters["comment"] = comment
    return environment


@dataclass(frozen=True)
class RenderedFile:
    path: str
    text: str
    # The text parsed back (for the output validator), not part of what the file is.
    document: Any = field(default=None, compare=False, repr=False)
    # Read back from the tree, whose file was just proven to hold exactly these bytes (output/cache.py).
    on_disk: bool = field(default=False, compare=False)


# The parse-back runs on every rendered file, so it uses a compiled parser: ryaml (Rust,
# serde_yaml), about three times faster than libyaml through PyYAML's constructor on gen's output,
# with the same results on every file of the benchmark estates.


def _parse_back(output: Output, text: str) -> Any:
    try:
        # One document, or an error: a second document (`---`) is refused by the parser itself.
        document = ryaml.loads(text)  # type: ignore[attr-defined]
    except ryaml.InvalidYamlError as error:  # type: ignore[attr-defined]
        try:  # several documents, each valid YAML, or not YAML at all?
            ryaml.loads_all(text)  # type: ignore[attr-defined]
        except ryaml.InvalidYamlError:  # type: ignore[attr-defined]
            raise RenderError(f"{output.path} ({output.template}) is not valid YAML: {error}") from None
        document = None
    if not isinstance(document, dict):
        raise RenderError(f"{output.path} ({output.template}) must hold exactly one YAML mapping")
    return document


def _identity_of(document: Any, expected: ObjectIdentity) -> ObjectIdentity:
    """The identity `document` has, in the terms of `expected` (a name only where it has one)."""
    if not isinstance(document, dict):
        return ObjectIdentity("", "", None)
    metadata = document.get("metadata")
    metadata = metadata if isinstance(metadata, dict) else {}
    items = document.get("items") if expected.items else None
    return ObjectIdentity(
        document.get("apiVersion", ""),
        document.get("kind", ""),
        metadata.get("name") if expected.name is not None else None,
        metadata.get("namespace"),
        tuple(_identity_of(item, want) for item, want in zip(items, expected.items))
        if isinstance(items, list) and len(items) == len(expected.items)
        else (),
    )


def _check_identity(output: Output, document: dict[str, Any], identity: ObjectIdentity) -> None:
    found = _identity_of(document, identity)
    if found != identity:
        raise RenderError(f"{output.path} ({output.template}) renders {found}, the plan declared {identity}")


def render_output(environment: jinja2.Environment, output: Output, profile: str) -> RenderedFile:
    try:
        template = environment.get_template(output.template)
        text = template.render({"profile": profile, **output.context.variables()})
    except jinja2.TemplateError as error:
        raise RenderError(f"{output.path}: template {output.template}: {error}") from None
    document = _parse_back(output, text)
    if output.identity is not None:
        _check_identity(output, document, output.identity)
    base = output.context.merge_base()
    if base is not None:
        header = "".join(line for line in text.splitlines(keepends=True) if line.startswith("#"))
        try:
            text, document = merged_values(header, base, document)
        except UnprovenMerge as failure:
            raise RenderError(f"{output.path}: the values merged into {base.ref.written}: {failure}") from None
    return RenderedFile(output.path, text, document)


def render(plan: Plan, environment: jinja2.Environment | None = None) -> list[RenderedFile]:
    env = environment or make_environment()
    return [render_output(env, output, plan.profile) for output in plan.outputs]
