"""PHASE.md's quoting: values reach a shell command only as words no shell interprets, and
Markdown spans only as text that cannot end them; anything else refuses to render."""

from __future__ import annotations

import jinja2
import pytest

from conftest import PROFILES
from generator.migration.document import phase_document
from generator.migration.markdown import markdown_environment
from generator.output.render import RenderError
from generator.pipeline import checked_model


def render(source: str, **values: object) -> str:
    return markdown_environment(jinja2.DictLoader({"t.md.j2": source})).get_template("t.md.j2").render(values)


def test_shell_words_are_printed_only_when_no_shell_would_read_them_differently() -> None:
    assert render("{{ words | sh }}", words=("kubectl", "label", "namespace", "a", "istio.io/rev=1-24")) == (
        "kubectl label namespace a istio.io/rev=1-24"
    )
    assert render("{{ n | sh }}", n=3) == "3"
    for hostile in ("a b", "a;rm -rf /", "$(id)", "`id`", "a'b", "a\nb", "*", "~", ""):
        with pytest.raises(RenderError, match="would need quoting"):
            render("{{ words | sh }}", words=("kubectl", hostile))


def test_code_spans_and_lines_refuse_what_would_end_them() -> None:
    assert render("{{ v | code }} {{ vs | codes }}", v="a -> b [0] *x*", vs=["a", "b"]) == "`a -> b [0] *x*` `a`, `b`"
    for hostile in ("a`b", "a\nb", "a\rb"):
        with pytest.raises(RenderError, match="backquote or line break"):
            render("{{ v | code }}", v=hostile)
        with pytest.raises(RenderError):
            render("{{ v | line }}", v=hostile)


def test_a_value_printed_without_a_filter_is_refused() -> None:
    with pytest.raises(RenderError, match="without `sh`, `code` or `line`"):
        render("{{ v }}", v="x")


def test_a_profile_file_name_a_shell_would_split_is_not_printed() -> None:
    profile, _ = checked_model(PROFILES / "brownfield.yaml")
    assert phase_document(profile, 1, "my profile.yaml").profile_file == "PROFILE"
    assert phase_document(profile, 1, "brownfield.yaml").profile_file == "brownfield.yaml"
