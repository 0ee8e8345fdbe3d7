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


@pytest.mark.parametrize("environment, name", [
    (make_environment, "k8s/deployment.yaml.j2"),
    (markdown_environment, "graph/README.md.j2"),
    (shell_environment, "graph/verify.sh.j2"),
])
def test_the_package_environments_load_them_without_compiling(
        monkeypatch: pytest.MonkeyPatch, environment: object, name: str) -> None:
    loader = LayeredLoader(flavour=precompiled.flavour_of(name))
    fresh = jinja2.Environment(**{key: getattr(environment(), key) for key in (  # type: ignore[operator]
        "undefined", "finalize", "autoescape", "keep_trailing_newline", "trim_blocks", "lstrip_blocks")}, loader=loader)

    def compile_refused(*args: object, **kwargs: object) -> None:
        raise AssertionError("compiled at run time")

    monkeypatch.setattr(fresh, "compile", compile_refused)
    template = fresh.get_template(name)
    assert template.filename is not None and "_compiled" in template.filename


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
    assert template.filename is not None and "_compiled" not in template.filename
    assert "# edited" in template.render(profile="p", name="sa", namespace="ns", labels={}, annotations={})


def test_another_jinja_compiles_as_before(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(jinja2, "__version__", "0.0-other")
    environment = make_environment(LayeredLoader(flavour="yaml"))
    template = environment.get_template("k8s/serviceaccount.yaml.j2")
    assert template.filename is not None and "_compiled" not in template.filename


def test_a_kits_loader_never_uses_them() -> None:
    from generator.output.templating import TemplateLayer

    loader = LayeredLoader([TemplateLayer("kit", {"k8s/extra.yaml.j2": "x: 1\n"})], flavour="yaml")
    assert loader.flavour is None
