"""The profile's `outputs:` (estate, cluster, namespace): which kit outputs render where, with which
parameters. A setting is `true` (on, with defaults), `false` (off here) or a mapping of parameters
(on). The nearest level wins for on/off; parameters merge (declaration defaults, then estate, then
cluster, then namespace, the nearest last).

`settings_problems` checks what each level says on its own (names, scopes, types, unknown
parameters), on the raw profile, at the profile line; `missing_problems` checks that every place an
output renders has all its required parameters, on the resolved model (so every migration phase is
checked too)."""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterator
from functools import cache
from typing import Any

import jsonschema_rs

from ..validation.embedded import offline_validator

from ..problems import Problem, ProfilePath, format_path
from ..profile.load import holds_surrogate
from ..profile.model import Cluster, KitSettings, Namespace, Profile
from .model import Kit, KitOutput, Scope

RULE = "kit-outputs"

# The scopes whose outputs a level may set: a cluster's settings reach its namespaces too.
_SETTABLE = {
    "estate": set(Scope),
    "cluster": {Scope.CLUSTER, Scope.NAMESPACE},
    "namespace": {Scope.NAMESPACE},
}


@cache
def _partial_validator(output: KitOutput) -> Any:
    """The parameters' schema without `required`: one level need not say everything."""
    schema = {key: value for key, value in output.parameters.items() if key != "required"}
    return offline_validator(schema)


@cache
def _full_validator(output: KitOutput) -> Any:
    return offline_validator(dict(output.parameters))


def _levels(data: Any) -> Iterator[tuple[str, ProfilePath, Any]]:
    if not isinstance(data, dict):
        return
    yield "estate", ("outputs",), data.get("outputs")
    for key, level in (("clusters", "cluster"), ("namespaces", "namespace")):
        entries = data.get(key)
        for index, entry in enumerate(entries if isinstance(entries, list) else []):
            if isinstance(entry, dict):
                yield level, (key, index, "outputs"), entry.get("outputs")


def settings_problems(data: Any, kit: Kit | None) -> list[Problem]:
    """Every `outputs:` setting that names no kit output, an output of a scope its level cannot set,
    or parameters that do not fit the output's schema."""
    problems: list[Problem] = []
    outputs = {output.name: output for output in (kit.outputs if kit is not None else ())}
    for level, path, settings in _levels(data):
        if not isinstance(settings, dict):
            continue
        for name, setting in settings.items():
            at = (*path, name)
            output = outputs.get(name)
            if output is None:
                problems.append(_unknown(name, at, outputs, kit))
                continue
            if output.scope not in _SETTABLE[level]:
                problems.append(Problem(
                    f"output '{name}' is {output.scope.value}-scoped: a {level}'s `outputs:` cannot set it", RULE, at,
                    f"set it in the estate's `outputs:`{' or a cluster' + chr(39) + 's' if output.scope is Scope.CLUSTER else ''}",
                    at_key=True))
                continue
            if isinstance(setting, dict) and not holds_surrogate(setting):  # that one is reported at load
                for error in _partial_validator(output).iter_errors(setting):
                    problems.append(_parameter_problem(output, at, tuple(error.instance_path), error))
    return problems


def _unknown(name: str, at: ProfilePath, outputs: dict[str, KitOutput], kit: Kit | None) -> Problem:
    if kit is None:
        return Problem(f"no kit output '{name}': the profile names no kit", RULE, at,
                       "list the kit folders that declare it in `kit:` (README, \"Templating kit\")", at_key=True)
    close = difflib.get_close_matches(name, list(outputs), n=1)
    hint = f"did you mean '{close[0]}'? " if close else ""
    hint += f"the kits declare: {', '.join(sorted(outputs)) or 'no outputs'}"
    return Problem(f"no kit output '{name}' in {', '.join(kit.folders)}", RULE, at, hint, at_key=True)


def _parameter_problem(output: KitOutput, at: ProfilePath, path: tuple[str | int, ...], error: Any) -> Problem:
    unexpected = getattr(error.kind, "unexpected", None)
    properties = output.parameters.get("properties", {})
    if isinstance(unexpected, list) and len(unexpected) == 1 and not path:
        name = str(unexpected[0])
        close = difflib.get_close_matches(name, list(properties), n=1)
        hint = (f"did you mean '{close[0]}'? " if close else "") + \
            f"the parameters of '{output.name}': {', '.join(sorted(properties)) or 'none'}"
        return Problem(f"'{output.name}' has no parameter '{name}'", RULE, (*at, name), hint, at_key=True)
    parameter = path[0] if path else None
    described = properties.get(parameter, {}).get("description", "") if isinstance(parameter, str) else ""
    hint = f"{parameter}: {described} " if described else ""
    hint += f"(declared in {output.file})"
    return Problem(f"{format_path((*at, *path))}: {error.message}", RULE, (*at, *path), hint.strip())


def setting_of(settings: KitSettings, name: str) -> Any:
    """What one level says about output `name` (None: nothing)."""
    for key, value in settings:
        if key == name:
            return json.loads(value)
    return None


def effective(output: KitOutput, levels: tuple[KitSettings, ...]) -> tuple[bool, dict[str, Any]]:
    """Whether `output` renders, and its parameters, given the settings from the estate down."""
    enabled = output.enabled
    parameters = {name: schema["default"] for name, schema in output.parameters.get("properties", {}).items()
                  if isinstance(schema, dict) and "default" in schema}
    for settings in levels:
        setting = setting_of(settings, output.name)
        if setting is None:
            continue
        enabled = setting is not False
        if isinstance(setting, dict):
            parameters.update(setting)
    return enabled, parameters


def places(profile: Profile, output: KitOutput) -> Iterator[tuple[Cluster | None, Namespace | None, ProfilePath]]:
    """Where an output could render, before on/off: (cluster, namespace, the profile entry)."""
    if output.scope is Scope.ESTATE:
        yield None, None, ("outputs", output.name) if setting_of(profile.outputs, output.name) is not None else ()
    elif output.scope is Scope.MANAGEMENT_PLANE:
        yield None, None, ("managementPlane",)
    elif output.scope is Scope.CLUSTER:
        for cluster in profile.clusters:
            yield cluster, None, cluster.path
    else:
        for namespace in profile.namespaces:
            if output.dataplanes and namespace.dataplane.value not in output.dataplanes:
                continue
            for name in namespace.clusters:
                yield profile.cluster(name), namespace, namespace.path


def levels_of(profile: Profile, cluster: Cluster | None, namespace: Namespace | None) -> tuple[KitSettings, ...]:
    return (profile.outputs, *((cluster.outputs,) if cluster else ()), *((namespace.outputs,) if namespace else ()))


def missing_problems(profile: Profile, kit: Kit | None) -> list[Problem]:
    """Each place a kit output renders without a required parameter (or with parameters that only
    together fail its schema)."""
    problems: list[Problem] = []
    for output in kit.outputs if kit is not None else ():
        for cluster, namespace, source in places(profile, output):
            enabled, parameters = effective(output, levels_of(profile, cluster, namespace))
            if not enabled:
                continue
            errors = list(_full_validator(output).iter_errors(parameters))
            if not errors:
                continue
            at = _nearest_setting(profile, output, cluster, namespace) or source
            problems.extend(Problem(
                f"output '{output.name}'{f' for {namespace.name} on {cluster.name}' if namespace and cluster else ''}: "
                f"{error.message}", RULE, at,
                f"set it under `outputs: {{{output.name}: {{...}}}}` here, in the cluster's or the estate's "
                f"`outputs:`, or turn the output off here with `{output.name}: false` (declared in {output.file})")
                for error in errors)
    return problems


def _nearest_setting(profile: Profile, output: KitOutput, cluster: Cluster | None,
                     namespace: Namespace | None) -> ProfilePath | None:
    for entry, path in ((namespace, namespace.path if namespace else ()), (cluster, cluster.path if cluster else ())):
        if entry is not None and setting_of(entry.outputs, output.name) is not None:
            return (*path, "outputs", output.name)
    if setting_of(profile.outputs, output.name) is not None:
        return ("outputs", output.name)
    return None
