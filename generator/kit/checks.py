"""The kit's checks on a resolved profile: required parameters everywhere an output renders (every
migration phase too: a namespace that turns ambient may start rendering one), and a schema for the
kind of every kit output."""

from __future__ import annotations

from ..problems import Location, Problem, Severity
from ..profile.model import Profile
from ..validation.kubernetes import kubernetes_schema
from ..validation.pack import resource_schemas
from .model import Kit
from .settings import missing_problems

RULE = "kit-schema"


def schema_problems(kit: Kit | None) -> list[Problem]:
    """A kit output of a kind no schema covers is refused, unless its declaration says
    `schemaless: true`: then it is rendered unchecked, with a warning."""
    if kit is None:
        return []
    problems = []
    for output in kit.outputs:
        key = (output.api_version, output.kind)
        if (output.api_version, output.kind.lower()) in kit.schemas or key in resource_schemas() or \
                kubernetes_schema(*key) is not None:
            continue
        where = Location(output.file, 1, 1)
        if output.schemaless:
            problems.append(Problem(
                f"{output.file}: {output.kind} ({output.api_version}) has no schema: its objects are written unchecked",
                RULE, ("kit",), "add its schema to the kit as schemas/<group>/<kind>_<version>.json",
                Severity.WARNING, location=where))
        else:
            problems.append(Problem(
                f"{output.file}: no schema for {output.kind} ({output.api_version}): gen cannot check what the "
                "output renders", RULE, ("kit",),
                "add its schema to the kit as schemas/<group>/<kind>_<version>.json (kubeconform's layout; "
                "`gen schemas export` shows the pack's), or declare `schemaless: true` to render it unchecked",
                location=where))
    return problems


def kit_problems(profile: Profile, kit: Kit | None) -> list[Problem]:
    return [*schema_problems(kit), *missing_problems(profile, kit)]
