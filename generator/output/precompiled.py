"""The package's templates, compiled ahead of time.

Jinja turns a template into Python source (lexing, parsing, code generation), which costs a few
milliseconds a template: about 65 ms for the sixteen an estate uses, paid by every `gen render` and
again by each worker of a parallel one, before the first file is rendered. That work depends on
nothing but the template's text, gen's Jinja settings and Jinja's version, so it is done once,
when the package is built: `generator/_compiled/` holds, per template and environment (YAML,
Markdown, shell), the module Jinja generates for it, and Python's own bytecode cache does the rest.

A compiled module is used only when it is provably the template's: it records the SHA-256 of the
source it was generated from (includes inlined, as the loader serves it), the Jinja version that
generated it, and a digest of every environment setting Jinja's lexer, parser and code generator
read (delimiters, whitespace control, extensions, autoescape, `finalize`, the filters and tests by
name with how each takes its arguments, async, the sandbox's intercepted operators); the loader
compares all three with the template and environment at hand. Modules are generated without
Jinja's constant folding, which would otherwise run filters such as `q` (and `finalize`) on literals
at generation time and keep their output: generation sees twins of them that refuse to run, so the
code holds template logic only, and every filter runs when the template renders, as gen's code
has it then. Anything else (an edited
template, another Jinja, other settings, a kit's template, an environment of a test) is compiled as
before. tests/test_precompiled.py proves the committed modules are what generating them gives
today; `pytest --update-golden` rewrites them.
"""

from __future__ import annotations

import hashlib
import importlib
import sys
from collections.abc import MutableMapping
from pathlib import Path
from typing import Any

import jinja2

PACKAGE = "generator._compiled"
FOLDER = Path(__file__).resolve().parents[1] / "_compiled"
HEADER = "# Generated from generator/templates/{name} ({flavour}) by generator/output/precompiled.py: do not edit.\n"


def flavour_of(name: str) -> str:
    """The environment that renders a package template: by its suffix (output/render.py)."""
    return "markdown" if name.endswith(".md.j2") else "shell" if name.endswith(".sh.j2") else "yaml"


def module_name(flavour: str, name: str) -> str:
    return "t_" + hashlib.sha256(f"{flavour}\0{name}".encode()).hexdigest()[:20]


def _digest(source: str) -> str:
    return hashlib.sha256(source.encode("utf-8")).hexdigest()


def _how_called(function: Any) -> str:
    """A filter's, test's or `finalize`'s name and what Jinja passes it first (context, environment)."""
    passed = getattr(function, "jinja_pass_arg", None)
    return f"{getattr(function, '__qualname__', type(function).__qualname__)}:{getattr(passed, 'name', '')}"


def settings_digest(environment: jinja2.Environment) -> str:
    """What of an environment shapes the code Jinja generates for a template."""
    autoescape = environment.autoescape
    parts = [
        f"{type(environment).__module__}.{type(environment).__qualname__}",
        environment.block_start_string, environment.block_end_string, environment.variable_start_string,
        environment.variable_end_string, environment.comment_start_string, environment.comment_end_string,
        environment.line_statement_prefix, environment.line_comment_prefix, environment.trim_blocks,
        environment.lstrip_blocks, environment.newline_sequence, environment.keep_trailing_newline,
        sorted(environment.extensions), autoescape if isinstance(autoescape, bool) else _how_called(autoescape),
        None if environment.finalize is None else _how_called(environment.finalize), environment.is_async,
        sorted((name, _how_called(function)) for name, function in environment.filters.items()),
        sorted((name, _how_called(function)) for name, function in environment.tests.items()),
        getattr(environment, "sandboxed", False), sorted(getattr(environment, "intercepted_binops", ())),
        sorted(getattr(environment, "intercepted_unops", ())),
    ]
    return _digest(repr(parts))


def load(environment: jinja2.Environment, flavour: str, name: str, source: str, filename: str,
         globals: MutableMapping[str, Any]) -> jinja2.Template | None:
    """The template compiled ahead of time, if its module was generated from exactly `source` by
    this Jinja, with these settings; None otherwise (the caller compiles it)."""
    path = f"{PACKAGE}.{module_name(flavour, name)}"
    try:
        module = importlib.import_module(path)
    except Exception:  # none generated for it, or a module that does not load: compile instead
        return None
    finally:
        sys.modules.pop(path, None)  # each load gets its own namespace: it is bound to its environment
    if (getattr(module, "SOURCE_SHA256", None) != _digest(source) or getattr(module, "JINJA", None) != jinja2.__version__
            or getattr(module, "SETTINGS", None) != settings_digest(environment)):
        return None
    module.__file__ = filename  # tracebacks (GEN_DEBUG) name the template, as for one compiled here
    return environment.template_class.from_module_dict(environment, module.__dict__, globals)


def _unfoldable(function: Any) -> Any:
    """A twin of a filter, test or `finalize` that Jinja calls the same way and that refuses to run,
    so that no output of it is folded into generated code (Jinja folds what succeeds)."""
    def twin(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("not while generating code")

    if hasattr(function, "jinja_pass_arg"):
        twin.jinja_pass_arg = function.jinja_pass_arg  # type: ignore[attr-defined]
    return twin


def _generating(environment: jinja2.Environment) -> jinja2.Environment:
    """The environment as code generation sees it: the same settings, nothing folded."""
    overlay = environment.overlay(optimized=False)
    overlay.filters = {name: _unfoldable(function) for name, function in environment.filters.items()}
    overlay.tests = {name: _unfoldable(function) for name, function in environment.tests.items()}
    if environment.finalize is not None:
        overlay.finalize = _unfoldable(environment.finalize)
    return overlay


def generated(environment: jinja2.Environment, flavour: str, name: str) -> str:
    """The module of one template, as it is committed."""
    assert environment.loader is not None
    source, _, _ = environment.loader.get_source(environment, name)
    code = _generating(environment).compile(source, name, f"templates/{name}", raw=True, defer_init=True)
    return (HEADER.format(name=name, flavour=flavour) + f"SOURCE_SHA256 = {_digest(source)!r}\n"
            f"JINJA = {jinja2.__version__!r}\nSETTINGS = {settings_digest(environment)!r}\n" + code.rstrip("\n") + "\n")


def all_generated() -> dict[str, str]:
    """File name -> text of every module of `generator/_compiled/`, its `__init__.py` included."""
    from ..graph.shell import shell_environment
    from ..migration.markdown import markdown_environment
    from .templating import make_environment

    environments = {"yaml": make_environment(), "markdown": markdown_environment(), "shell": shell_environment()}
    root = FOLDER.parent / "templates"
    found = {"__init__.py": '"""Templates compiled ahead of time (generator/output/precompiled.py)."""\n'}
    for path in sorted(root.rglob("*.j2")):
        name = path.relative_to(root).as_posix()
        flavour = flavour_of(name)
        found[f"{module_name(flavour, name)}.py"] = generated(environments[flavour], flavour, name)
    return found


def write_all(folder: Path = FOLDER) -> None:
    """Rewrites `folder` with the modules `all_generated` gives (development: `pytest --update-golden`)."""
    wanted = all_generated()
    folder.mkdir(exist_ok=True)
    for stale in folder.glob("*.py"):
        if stale.name not in wanted:
            stale.unlink()
    for file, text in wanted.items():
        (folder / file).write_text(text, "utf-8")
