"""generator/_compiled/: the package's templates compiled ahead of time (output/precompiled.py).
The committed modules are what generating them gives today, the package's environments load them
instead of compiling, and a module that is not provably its template's is never used."""

from __future__ import annotations

import jinja2
import pytest

from generator.graph.shell import shell_environment
from generator.migration.markdown import markdown_environment
from generator.output import precompiled
from generator.output.templating import LayeredLoader, make_environment


def test_the_committed_modules_are_what_the_templates_generate() -> None:
    wanted = precompiled.all_generated()
    committed = {path.name: path.read_text("utf-8") for path in precompiled.FOLDER.glob("*.py")}
    stale = sorted(name for name in wanted.keys() | committed.keys() if wanted.get(name) != committed.get(name))
    assert not stale, f"generator/_compiled/ is stale ({len(stale)} modules); run pytest --update-golden"
    assert len(wanted) == 1 + sum(1 for _ in (precompiled.FOLDER.parent / "templates").rglob("*.j2"))


def _precompiled(template: jinja2.Template) -> bool:
    """Whether the template's code came from generator/_compiled/ (its name is the template's)."""
    return "_compiled" in template.root_render_func.__code__.co_filename  # type: ignore[attr-defined]


@pytest.mark.parametrize("environment, name", [
    (make_environment, "k8s/deployment.yaml.j2"),
    (markdown_environment, "graph/README.md.j2"),
    (shell_environment, "graph/verify.sh.j2"),
])
def test_the_package_environments_load_them_without_compiling(
        monkeypatch: pytest.MonkeyPatch, environment: object, name: str) -> None:
    package = environment()  # type: ignore[operator]
    package.cache.clear()  # as in a fresh process

    def compile_refused(*args: object, **kwargs: object) -> None:
        raise AssertionError("compiled at run time")

    monkeypatch.setattr(package, "compile", compile_refused)
    template = package.get_template(name)
    assert _precompiled(template)
    assert template.filename is not None and template.filename.endswith(f"templates/{name}")  # tracebacks name it


def test_an_edited_template_is_compiled_from_its_text(monkeypatch: pytest.MonkeyPatch) -> None:
    """A module records the source it came from: a template whose text differs (an edit after the
    modules were generated) renders its own text, not the module's."""
    loader = LayeredLoader(flavour="yaml")
    original = LayeredLoader.get_source

    def edited(self: LayeredLoader, environment: jinja2.Environment, name: str) -> tuple[str, str, object]:
        source, filename, uptodate = original(self, environment, name)
        return source.replace("kind: ServiceAccount", "kind: ServiceAccount\n# edited"), filename, uptodate

    monkeypatch.setattr(LayeredLoader, "get_source", edited)
    environment = make_environment(loader)
    template = environment.get_template("k8s/serviceaccount.yaml.j2")
    assert not _precompiled(template)
    assert "# edited" in template.render(profile="p", name="sa", namespace="ns", labels={}, annotations={})


def test_another_jinja_compiles_as_before(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(jinja2, "__version__", "0.0-other")
    environment = make_environment(LayeredLoader(flavour="yaml"))
    assert not _precompiled(environment.get_template("k8s/serviceaccount.yaml.j2"))


def test_a_kits_loader_never_uses_them() -> None:
    from generator.output.templating import TemplateLayer

    loader = LayeredLoader([TemplateLayer("kit", {"k8s/extra.yaml.j2": "x: 1\n"})], flavour="yaml")
    assert loader.flavour is None


def test_other_settings_compile_as_before() -> None:
    """A module records the settings it was generated under: an environment that differs (here an
    extra filter, whitespace control) is never served it."""
    base = make_environment()
    extra = make_environment(LayeredLoader(flavour="yaml"))
    extra.filters["shout"] = str.upper
    assert precompiled.settings_digest(extra) != precompiled.settings_digest(base)
    assert not _precompiled(extra.get_template("k8s/serviceaccount.yaml.j2"))
    trimmed = make_environment(LayeredLoader(flavour="yaml"))
    trimmed.trim_blocks = False
    assert not _precompiled(trimmed.get_template("k8s/serviceaccount.yaml.j2"))


def test_filters_on_literals_run_when_the_template_renders(monkeypatch: pytest.MonkeyPatch) -> None:
    """No filter output is folded into a module at generation: `{{ "{{.name}}" | q }}` (the
    ApplicationSet's Go template) is quoted by the `q` of the running gen, not by the one that
    generated the module."""
    from generator.output import templating

    name = "delivery/applicationset.yaml.j2"
    module = (precompiled.FOLDER / f"{precompiled.module_name('yaml', name)}.py").read_text("utf-8")
    assert "{{.name}}" in module and '"{{.name}}"' not in module  # the literal, not its quoted form
    calls: list[str] = []
    real = templating.quote_text

    def counting(value: str) -> object:
        calls.append(value)
        return real(value)

    monkeypatch.setattr(templating, "quote_text", counting)
    environment = make_environment(LayeredLoader(flavour="yaml"))
    template = environment.get_template(name)
    assert _precompiled(template)
    text = template.render(profile="p", name="apps", namespace="argocd", directories=[], project="default",
                           repo_url="https://git.example/estate.git", revision="main")
    assert '      name: "{{.name}}"\n' in text and "{{.name}}" in calls
