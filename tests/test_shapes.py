"""Each distinct shape rendered once (output/shapes.py): a derived file is exactly what rendering
it on its own gives. Every example (each phase of a migration's plan too) and generated estates
render both ways, compared byte for byte; a value that is not a safe scalar is never derived, and a
template that does anything with a slot but print it is not rendered as a shape."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import jinja2
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import PROFILES
from generator.kit.active import active_templates
from generator.output import batch
from generator.output.render import render_output
from generator.output.sandbox import TemplateSet
from generator.output.shapes import Shapes, build, key_of, safe_file_name, safe_scalar
from generator.output.templating import make_environment
from generator.pipeline import check_profile
from generator.plan import ObjectIdentity, Output
from generator.plan.outputs import KustomizationContext, ObjectContext
from generator.secrets.gate import scan
from helpers import plan_into, render_into, tree

EXAMPLES = sorted(PROFILES.glob("*.yaml"))


def _both_ways(render: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[dict[str, bytes], int]:
    """The tree `render(out)` writes with shapes and without, which must be the same bytes, and how
    many files the shapes derived."""
    derived: list[int] = []
    real = batch.render_all

    def counting(*args: Any, **kwargs: Any) -> batch.Rendered:
        rendered = real(*args, **kwargs)
        derived.append(rendered.derived)
        return rendered

    monkeypatch.setattr(batch, "render_all", counting)
    monkeypatch.setattr("generator.pipeline.render_all", counting)
    shaped = tree(render(tmp_path / "shaped"))
    monkeypatch.setattr(batch, "USE_SHAPES", False)
    alone = tree(render(tmp_path / "alone"))
    assert derived[len(derived) // 2:] == [0] * (len(derived) // 2)  # the second way derived nothing
    assert shaped == alone
    return shaped, sum(derived)


@pytest.mark.parametrize("profile", EXAMPLES, ids=lambda path: path.name)
def test_every_example_renders_the_same_bytes_both_ways(profile: Path, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    files, derived = _both_ways(lambda out: render_into(profile, out), tmp_path, monkeypatch)
    assert files
    # Where objects of one shape stand in several places, they were derived; a shape only one
    # output fills is rendered as that output.
    _, plan, _ = check_profile(profile)
    assert plan is not None
    repeated = _repeated(plan.outputs)
    templates = active_templates()  # the profile's kit serves some (sandboxed: never derived)
    assert (derived > 0) == any(not templates.get(key.split("\0")[0])[1] for key in repeated)


@pytest.mark.parametrize("profile", [path for path in EXAMPLES if "\nmigration:" in path.read_text("utf-8")],
                         ids=lambda path: path.name)
def test_every_phase_of_a_migration_plan_renders_the_same_bytes_both_ways(
        profile: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files, derived = _both_ways(lambda out: plan_into(profile, out), tmp_path, monkeypatch)
    assert any(name.endswith("namespace-bookinfo.yaml") or name.endswith(".yaml") for name in files)
    assert derived > 0


def _repeated(outputs: Any) -> set[str]:
    """The shapes more than one output fills."""
    counts = Counter(keyed[0] for keyed in map(key_of, outputs) if keyed is not None)
    return {shape for shape, count in counts.items() if count > 1}


# ---- generated estates -----------------------------------------------------------------------------

# Namespace and cluster names: DNS labels, with the ones YAML reads as something else (booleans,
# null, numbers), which q quotes and a shape must therefore not slot.
_TRICKY = ["on", "off", "yes", "no", "y", "n", "true", "false", "null", "e1", "123", "0x1f", "1e3", "nan", "inf"]
_NAMES = st.one_of(st.sampled_from(_TRICKY), st.from_regex(r"[a-z][a-z0-9]{0,6}(-[a-z0-9]{1,4})?", fullmatch=True))
_APPS = ["sleep", "httpbin", "netshoot", "caffeine", "bookinfo"]


@st.composite
def _estates(draw: st.DrawFn) -> dict[str, Any]:
    clusters = draw(st.lists(_NAMES, min_size=1, max_size=3, unique=True))
    names = draw(st.lists(_NAMES.filter(lambda name: not name.startswith("kube")), min_size=1, max_size=8,
                          unique=True))
    namespaces = []
    for name in names:
        apps: list[Any] = []
        for app in draw(st.lists(st.sampled_from(_APPS), max_size=3, unique=True)):
            labels = draw(st.sampled_from([None, {"team": "a"}, {"team": draw(_NAMES)}]))
            apps.append({"name": app, "labels": labels} if labels else app)
        namespaces.append({"name": name, "clusters": draw(st.lists(st.sampled_from(clusters), min_size=1,
                                                                   unique=True)),
                           "dataplane": draw(st.sampled_from(["ambient", "sidecar", "none"])), "apps": apps})
    return {
        "profile": "generated",
        "tsb": {"version": "1.12.1", "organization": "org", "gitopsNamespace": "tsb-gitops"},
        "managementPlane": {"cluster": "tsb-mp"},
        "clusters": [{"name": name, "platform": "kind", "istio": {"version": "1.24.3"}, "ambient": {"enabled": True}}
                     for name in clusters],
        "tenants": [{"name": "team", "workspaces": [{"name": "all", "namespaces": [f"*/{name}" for name in names]}]}],
        "namespaces": namespaces,
    }


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(estate=_estates())
def test_generated_estates_render_the_same_bytes_both_ways(estate: dict[str, Any], tmp_path_factory: Any) -> None:
    folder = tmp_path_factory.mktemp("estate")
    profile = folder / "generated.yaml"
    profile.write_text(yaml.safe_dump(estate, sort_keys=False, default_style='"'), "utf-8")  # every string a string
    _, plan, problems = check_profile(profile)
    assert plan is not None, [problem.message for problem in problems]
    shaped = batch.render_all(plan, shapes=True)
    alone = batch.render_all(plan, shapes=False)
    assert alone.derived == 0
    assert [(file.path, file.text) for file in shaped.files] == [(file.path, file.text) for file in alone.files]
    assert shaped.problems == alone.problems
    # A derived file keeps its shape's form and values; its lines are the form's lines without a
    # value and its own lines with one (what the secret gate reads), and no others.
    for file in shaped.files:
        derived = file.derived
        if derived is not None:
            fixed, _ = derived.form.lines()
            lines = set(file.text.split("\n"))
            assert set(derived.marked_lines()) <= lines and lines == {*derived.marked_lines(), *fixed}
    assert scan(shaped.files) == scan(alone.files)
    # What was derived had only safe values to put in: a kustomization's files, safe file names.
    for output in plan.outputs:
        keyed = key_of(output)
        if keyed is not None:
            safe = safe_file_name if isinstance(output.context, KustomizationContext) else safe_scalar
            assert all(safe(value) for value in keyed[1])


# ---- what is never derived ---------------------------------------------------------------------------

@pytest.mark.parametrize("value", [
    "on", "yes", "null", "true", "n", "123", "1e3", "0x1f",  # YAML reads them as booleans, null, numbers
    "Ns", "-ns", "ns-", "a" * 64, "", "a b", 'a"b', "a: b", "a#b", "a\nb", "ns\u202e", "ns.svc", "ns_1",
])
def test_a_value_that_is_not_a_safe_scalar_is_never_derived(value: str) -> None:
    assert not safe_scalar(value)
    output = _output("probe.yaml.j2", "ns-a", value)
    assert key_of(output) is None
    shapes = Shapes(TemplateSet(package=_environment("name: {{ name | q }}\nnamespace: {{ namespace | q }}\n")), "p")
    assert shapes.derive(output, key_of(output)) is None and shapes.derived == 0


def _kustomization(folder: str, files: tuple[str, ...]) -> Output:
    return Output(f"{folder}/kustomization.yaml", KustomizationContext(resources=files), (), f"kustomization of {folder}",
                  ObjectIdentity("kustomize.config.k8s.io/v1beta1", "Kustomization", None))


@pytest.mark.parametrize("value", [
    "on", "yes", "null", "true", "n", "1.yaml", "1e3", ".hidden.yaml", "-x.yaml", "x.yaml.", "Deployment-x.yaml",
    "a b.yaml", "a: b.yaml", "a#b.yaml", "x.yaml\n- y.yaml", "x_y.yaml", "x/y.yaml", "", "a" * 254,
])
def test_a_kustomization_listing_a_file_name_that_is_not_safe_is_never_slotted(value: str) -> None:
    """A kustomization's files are slots only where every one is a safe file name; else the
    kustomization is its own shape, as a whole (derived only where another is the same text)."""
    assert not safe_file_name(value)
    keyed = key_of(_kustomization("ns-a", ("deployment-web.yaml", value)))
    assert keyed is not None and keyed[1] == ()
    assert key_of(_kustomization("ns-b", ("deployment-web.yaml", value)))[0] == keyed[0]  # type: ignore[index]
    assert key_of(_kustomization("ns-b", ("deployment-api.yaml", value)))[0] != keyed[0]  # type: ignore[index]


def test_a_kustomization_is_derived_from_its_number_of_files_exactly_as_rendered() -> None:
    templates = active_templates()
    shapes = Shapes(templates, "p")
    lists = [("deployment-web.yaml", "namespace-ns-0.yaml"), ("namespace-prod.yaml", "service-a.b.c.yaml"),
             ("a" * 253, "namespace-" + "b" * 63 + ".yaml"), ("x.yaml", "x.yaml")]
    for number, files in enumerate(lists):
        assert all(safe_file_name(file) for file in files)
        output = _kustomization(f"ns-{number}", files)
        keyed = key_of(output)
        assert keyed is not None and keyed[1] == files
        derived = shapes.derive(output, keyed)
        assert derived is not None
        rendered = render_output(templates, output, "p")
        assert (str(derived[0]), derived[1]) == (rendered.text, rendered.document)
    assert shapes.derived == len(lists) and len(shapes.known) == 1  # one shape: two files
    # A shape asked for with another number of slots than its kustomization lists files is none.
    template, _ = templates.get(KustomizationContext.template)
    assert build(template, _kustomization("ns-x", lists[0]), "p", 3) is None
    assert build(template, _kustomization("ns-x", lists[0]), "p", 2) is not None


def test_safe_scalars_are_dns_labels_q_prints_as_they_are() -> None:
    for value in ("ns-0", "bookinfo", "a", "a1", "cluster-east-1", "a" * 63, "ony", "nulls"):
        assert safe_scalar(value), value


@dataclass(frozen=True, kw_only=True)
class _Probe(ObjectContext):
    template: ClassVar[str] = "probe.yaml.j2"
    team: str = "a"


def _output(template: str, name: str, namespace: str) -> Output:
    return Output(f"{namespace}/configmap-{name}.yaml", _Probe(name=name, namespace=namespace), (), "probe",
                  ObjectIdentity("v1", "ConfigMap", name, namespace))


def _environment(body: str) -> jinja2.Environment:
    header = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ name | q }}\n  namespace: {{ namespace | q }}\n"
    return make_environment(jinja2.DictLoader({"probe.yaml.j2": header + body, "part.yaml.j2": "  part: x\n"}))


# Templates that do something with a slot beyond printing it through q: each could print
# something else for another value, so none may render as a shape.
_TOUCHING = {
    "compare": "data:\n{% if namespace == 'prod' %}\n  tier: prod\n{% endif %}\n  x: y\n",
    "length": "data:\n  length: {{ namespace | length | q }}\n",
    "concatenate": "data:\n  host: {{ (namespace ~ '.svc') | q }}\n",
    "method": "data:\n  upper: {{ namespace.upper() | q }}\n",
    "filter": "data:\n  upper: {{ namespace | upper | q }}\n",
    "iterate": "data:\n{% for char in namespace %}\n  c{{ loop.index | q }}: {{ char | q }}\n{% endfor %}\n",
    "index": "data:\n  first: {{ namespace[0] | q }}\n",
    "membership": "data:\n  in: {{ ('prod' in namespace) | q }}\n",
    "string test": "data:\n  text: {{ (namespace is string) | q }}\n",
    "sameas test": "data:\n  same: {{ (namespace is sameas name) | q }}\n",
    "dictionary key": "data:\n  found: {{ ({'prod': 1}[namespace] is defined) | q }}\n",
    "printed quoted": "data:\n  quoted: {{ (namespace | q) ~ '' }}\n",
    "q output compared": "data:\n{% set shown = namespace | q %}\n  prod: {{ (shown == 'prod') | q }}\n",
    "macro": "{% macro m(x) %}{{ x | q }}{% endmacro %}data:\n  x: {{ m(namespace) | length | q }}\n",
    "block set": "{% set text %}{{ namespace | q }}{% endset %}data:\n  x: {{ (text | length) | q }}\n",
    "filter block": "data:\n  x: {% filter upper %}{{ namespace | q }}{% endfilter %}\n\n",
    "attribute": "data:\n  class: {{ namespace.__class__.__name__ | q }}\n",
    "in a comment": "# for {{ namespace | q }}\ndata:\n  x: y\n",
    "part of a scalar": "data:\n  host: svc.{{ namespace | q }}\n",
    "as a key": "data:\n  {{ namespace | q }}: x\n",
    # Found by review: each gave another file or document than rendering, or failed where it works.
    "attr filter": "data:\n  x: {{ namespace | attr('__class__') | attr('__name__') | q }}\n",
    "underscore item": "data:\n  x: {{ [namespace]['__class__']['__name__'] | q }}\n",
    "percent": "data:\n  x: {{ ('x' % namespace) | q }}\n",
    "anchor": "data:\n  a: &foo one\n  b: &{{ namespace | q }} two\n  c: *foo\n  v: &k {{ namespace | q }}\n  w: *k\n",
    "tag": "data:\n  c: !!{{ namespace | q }} 5\n  v: &k {{ namespace | q }}\n  w: *k\n",
    "alias of a slot": "data:\n  v: &k {{ namespace | q }}\n  w: *k\n",
    "probe in the text": "# {{ namespace | q }}\ndata:\n  b: gen-shape-probe-1-zq\n",
    "missing include": "{% include 'nope.yaml.j2' ignore missing %}data:\n  x: y\n",
    "include of itself": "{% if false %}{% include 'probe.yaml.j2' %}{% endif %}data:\n  x: y\n",
}


@pytest.mark.parametrize("body", _TOUCHING.values(), ids=_TOUCHING.keys())
def test_a_template_that_does_more_with_a_slot_than_print_it_is_rendered_on_its_own(body: str) -> None:
    templates = TemplateSet(package=_environment(body))
    shapes = Shapes(templates, "p")
    for namespace in ("prod", "dev", "foo", "int"):
        output = _output("probe.yaml.j2", "settings", namespace)
        assert shapes.derive(output, key_of(output)) is None
    assert shapes.derived == 0


def test_a_value_that_holds_a_probe_is_not_derived() -> None:
    templates = TemplateSet(package=_environment("# {{ namespace | q }}\ndata:\n  t: {{ team | q }}\n"))
    shapes = Shapes(templates, "p")
    for namespace in ("prod", "dev"):
        output = Output(f"{namespace}/c.yaml", _Probe(name="c", namespace=namespace, team="gen-shape-probe-1-zq"),
                        (), "probe", ObjectIdentity("v1", "ConfigMap", "c", namespace))
        assert shapes.derive(output, key_of(output)) is None


def test_a_template_that_only_prints_its_slots_is_derived_exactly() -> None:
    body = ("data:\n  host: {{ namespace | q }}\n{% if namespace %}\n  set: {{ 'yes' | q }}\n{% endif %}\n"
            "{% if namespace is not none and name is defined %}\n  named: {{ name | q }}\n{% endif %}\n"
            "  team: {{ team | q }}\n  both: [{{ name | q }}, {{ namespace | q }}]\n")
    templates = TemplateSet(package=_environment(body))
    shapes = Shapes(templates, "p")
    for namespace in ("prod", "dev", "settings", "a" * 63):
        output = _output("probe.yaml.j2", "settings", namespace)
        derived = shapes.derive(output, key_of(output))
        assert derived is not None
        rendered = render_output(templates, output, "p")
        assert (str(derived[0]), derived[1]) == (rendered.text, rendered.document)
    assert shapes.derived == 4 and len(shapes.known) == 2  # name == namespace once: its own shape


def test_a_shape_only_one_output_fills_is_rendered_as_that_output(monkeypatch: pytest.MonkeyPatch) -> None:
    """Building a shape costs more than rendering its output: only shapes that repeat are built,
    each once, when a second output fills it; the first is rendered as it is, the others derived."""
    _, plan, _ = check_profile(PROFILES / "caffeine.yaml")
    assert plan is not None
    built: list[str] = []
    real = Shapes._build

    def building(self: Shapes, output: Output, count: int) -> Any:
        keyed = key_of(output)
        assert keyed is not None
        built.append(keyed[0])
        return real(self, output, count)

    monkeypatch.setattr(Shapes, "_build", building)
    rendered = batch.render_all(plan)
    counts = Counter(keyed[0] for keyed in map(key_of, plan.outputs) if keyed is not None)
    repeated = {shape for shape, count in counts.items() if count > 1}
    singles = set(counts) - repeated
    assert built and singles and set(built) == repeated and len(built) == len(repeated)
    assert rendered.derived == sum(counts[shape] - 1 for shape in repeated)
