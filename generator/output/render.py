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

from typing import TYPE_CHECKING, Any

import jinja2

from ..plan import ObjectIdentity, Output, Plan
from .derived import Derived
if TYPE_CHECKING:
    from .held import Compressed
from .merge import UnprovenMerge, merged_values
from ..kit.active import active_templates
from ..problems import Location, Problem
from .sandbox import MAX_KIT_OUTPUT, TemplateSet, render_bounded
from .templating import RenderError, make_environment, parse_back, quote

__all__ = ["KitRenderFailure", "RenderError", "RenderedFile", "make_environment", "quote", "render", "render_output"]


class RenderedFile:
    """A file of the tree: its path and text. A file derived from its shape holds its text as the
    shape and its values (output/derived.py), and a large one made from a render's files its text
    compressed (output/held.py): either is made each time `text` is read."""

    __slots__ = ("path", "_text", "document", "on_disk")

    def __init__(self, path: str, text: str | Derived | Compressed, document: Any = None, on_disk: bool = False) -> None:
        self.path = path
        self._text = text
        self.document = document  # the text parsed back (for the output validator), not part of the file
        # Read back from the tree, whose file was just proven to hold exactly these bytes (output/cache.py).
        self.on_disk = on_disk

    @property
    def text(self) -> str:
        text = self._text
        return text if type(text) is str else str(text)

    @property
    def held(self) -> str | Derived | Compressed:
        """The text as it is held."""
        return self._text

    @property
    def derived(self) -> Derived | None:
        """The shape and values the text is made of, for a derived file."""
        text = self._text
        return text if type(text) is Derived else None

    def __reduce__(self) -> tuple[type[RenderedFile], tuple[str, str | Derived | Compressed, None, bool]]:
        """Pickled as its path, text and flag (a worker's files come back so): not its document."""
        return RenderedFile, (self.path, self._text, None, self.on_disk)

    def moved(self, path: str) -> RenderedFile:
        """The same text at another path (still held as it is), not read from the tree there."""
        return RenderedFile(path, self._text, self.document)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, RenderedFile):
            return NotImplemented
        return (self.path, self.text) == (other.path, other.text)

    def __hash__(self) -> int:
        return hash((self.path, self.text))

    def __repr__(self) -> str:
        return f"RenderedFile(path={self.path!r}, text={self.text!r})"


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


class KitRenderFailure(Exception):
    """A kit template failed to render, or rendered something gen refuses: the kit's mistake, a
    located problem (exit 2), not a bug in gen."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


def render_output(templates: TemplateSet | jinja2.Environment, output: Output, profile: str) -> RenderedFile:
    if output.context.format != "yaml":  # Markdown, shell: the package's templates, their own quoting
        return RenderedFile(output.path, text_template(output.context.format, output.template).render(
            {"profile": profile, **output.context.variables()}))
    if isinstance(templates, jinja2.Environment):
        templates = TemplateSet(package=templates)
    variables = {"profile": profile, **output.context.variables()}
    try:
        template, sandboxed = templates.get(output.template)
    except jinja2.TemplateError as error:
        if templates.sandbox is None:
            raise RenderError(f"{output.path}: template {output.template}: {error}") from None
        raise _kit_failure(templates, output, error) from None
    if sandboxed:
        try:
            return _proven(output, render_bounded(template, variables))
        except Exception as error:  # anything a kit's code raises (`{{ 1 / 0 }}`) is the kit's mistake
            raise _kit_failure(templates, output, error) from None
    try:
        text = template.render(variables)
    except jinja2.TemplateError as error:
        raise RenderError(f"{output.path}: template {output.template}: {error}") from None
    return _proven(output, text)


def text_template(fmt: str, name: str) -> jinja2.Template:
    """A Markdown or shell template, from the environment of its format."""
    from ..graph.shell import shell_environment
    from ..migration.markdown import markdown_environment

    environment = markdown_environment() if fmt == "markdown" else shell_environment()
    return environment.get_template(name)


def _proven(output: Output, text: str) -> RenderedFile:
    """The rendered text, once parse-back and identity prove it (helm values merged into their base)."""
    document = parse_back(output.path, output.template, text)
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


def proven_instance(output: Output, text: Derived, document: Any) -> RenderedFile:
    """A file derived from its shape (output/shapes.py), whose document is what parsing `text` back
    gives: it must be the object the plan declared, as a rendered one must."""
    if output.identity is not None:
        _check_identity(output, document, output.identity)
    return RenderedFile(output.path, text, document)


def _kit_failure(templates: TemplateSet, output: Output, error: Exception) -> KitRenderFailure:
    file, line = templates.kit_frame(error, output.template)
    message = error.message if isinstance(error, jinja2.TemplateError) and error.message else str(error)
    if not isinstance(error, (jinja2.TemplateError, RenderError)):
        message = f"{type(error).__name__}: {message}"
    return KitRenderFailure(Problem(
        f"{output.path}: template {output.template}: {message}", "kit-template", output.source,
        "kit templates render in a sandbox: they print their context through `q` (or `yaml_block`), read no "
        "Python internals, files or environment, include only kit and built-in templates, and write at most "
        f"{MAX_KIT_OUTPUT:,} characters (README, \"Templating kit\")",
        location=Location(file, line, 1)))


def render(plan: Plan, environment: jinja2.Environment | None = None) -> list[RenderedFile]:
    templates = TemplateSet(package=environment) if environment is not None else active_templates()
    return [render_output(templates, output, plan.profile) for output in plan.outputs]
