"""Values overlays layered over live values hold no list.

Helm merges `-f live-values.yaml -f overlay.yaml` map by map but replaces lists (helm issue 3486):
a list in the overlay silently drops every entry the live values hold there (the cluster's own
xcp overlays, its waypoint `namespaceLevel` entries). gen merges lists itself, by identity, when
the profile gives the live values (`baseValues`, output/merge.py), and a file the profile says
installs its release alone (`baseValues: none`) replaces nothing. Any other values overlay is
rendered here and walked: each list in it is an error at the profile setting that put it there
(the context's `list_sources`), or at the profile entry of the file for a list no source names.
"""

from __future__ import annotations

from collections.abc import Iterator
from posixpath import basename
from typing import Any

from ..plan import Output, Plan
from ..plan.controlplane import HelmValuesContext
from ..problems import Problem, ProfilePath, format_path
from ..kit.active import active_templates
from .render import KitRenderFailure, render_output

RULE = "helm-list"


def lists_in(data: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    """The path of every list in `data` (a list inside a list goes with the outer one)."""
    if isinstance(data, list):
        yield path
    elif isinstance(data, dict):
        for key, value in data.items():
            yield from lists_in(value, (*path, str(key)))


def _problem(output: Output, context: HelmValuesContext, dotted: str, setting: ProfilePath) -> Problem:
    chart, namespace, file_name = context.chart, context.release_namespace, basename(output.path)
    return Problem(
        f"puts the list {dotted} into the {output.description}, to be layered over the live values "
        f"(no `baseValues`: `-f live-values.yaml -f {file_name}`); helm replaces a list there instead of "
        "merging it, and would silently drop the live entries",
        RULE,
        setting,
        f"give `baseValues:` at {format_path(output.source)}, the saved `helm get values {chart} -n {namespace}` "
        "output (gen merges the list into it by identity), or `baseValues: none` if this file alone installs "
        "the release",
    )


def layering_problems(plan: Plan) -> list[Problem]:
    """Every list in a values overlay that would be layered over live values gen did not read."""
    layered = [
        (output, output.context)
        for output in plan.planned()  # values overlays are planned with the plan: no namespace folder holds one
        if isinstance(output.context, HelmValuesContext) and output.context.layered
    ]
    if not layered:
        return []
    templates = active_templates()  # a kit may replace a values template
    problems = []
    for output, context in layered:
        sources = dict(context.list_sources)
        try:
            rendered = render_output(templates, output, plan.profile)
        except KitRenderFailure as failure:  # a kit's values template: the render says so, located
            problems.append(failure.problem)
            continue
        for path in lists_in(rendered.document):
            dotted = ".".join(path)
            problems.append(_problem(output, context, dotted, sources.get(dotted, output.source)))
    return problems
