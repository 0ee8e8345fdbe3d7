"""The kits a profile names (`kit:`), read, checked and layered into one `Kit`, or every problem
with each, located at the kit file and line and at the profile's `kit[i]`."""

from __future__ import annotations

import hashlib
import posixpath
import json
import re
from collections.abc import Mapping
from pathlib import Path, PurePosixPath
from types import MappingProxyType
from typing import Any

import jinja2
import jsonschema_rs

from ..validation.embedded import offline_validator

from ..output.sandbox import refused_blocks, sandbox_environment
from ..output.templating import LayeredLoader, TemplateLayer
from ..plan.catalog import builtin_catalog, read_apps, templates_root
from ..problems import Location, Problem, ProfilePath
from ..validation.trace import position_of
from .declarations import RULE, output_declaration, parameters_schema, rule_declaration
from .model import Kit, KitOutput, KitRule, Scope, Severity
from .read import KitFiles, read_kit
from .tree import LayeredTree

_OUTPUT_FILE = re.compile(r"^outputs/([a-z0-9]([-a-z0-9]*[a-z0-9])?)\.yaml$")
_RULE_FILE = re.compile(r"^rules/([a-z0-9]([-a-z0-9]*[a-z0-9])?)\.yaml$")
_APP_ENTRY = re.compile(r"^apps/([^/]+)/app\.yaml$")
_SCHEMA_FILE = re.compile(r"^schemas/(?:([a-z0-9.-]+)/)?([a-z0-9]+)_(v[0-9a-z]+)\.json$")


def kit_folders(data: Any) -> list[tuple[int, str]]:
    """The kit folders a (raw) profile names, with their index; nothing if `kit:` is not a list of
    strings (validation says so)."""
    folders = data.get("kit") if isinstance(data, dict) else None
    if not isinstance(folders, list):
        return []
    return [(index, folder) for index, folder in enumerate(folders) if isinstance(folder, str)]


def load_kit(data: Any, profile_dir: Path, shown_profile: str | None = None) -> tuple[Kit | None, list[Problem]]:
    """The profile's kits as one, or None (no `kit:`); problems say every mistake in every kit.
    Kit files are named in messages as the profile is (`shown_profile`), relative to where it is."""
    folders = kit_folders(data)
    if not folders:
        return None, []
    read: list[tuple[ProfilePath, KitFiles]] = []
    problems: list[Problem] = []
    for index, folder in folders:
        shown = posixpath.normpath(posixpath.join(posixpath.dirname(shown_profile or ""), folder))
        files, found = read_kit(folder, profile_dir, ("kit", index), shown)
        problems += found
        if files is not None:
            read.append((("kit", index), files))
    if not read:
        return None, problems
    layers = tuple(TemplateLayer(files.shown, MappingProxyType(files.texts)) for _, files in read)
    problems += _template_problems(layers, read)
    apps, origins = _apps(layers, read, problems)
    outputs = _outputs(read, layers, problems)
    rules = _rules(read, problems)
    schemas, schema_origins = _schemas(read, problems)
    if problems:
        return None, problems
    # Of the kits' contents, by their order and the names the profile gives them: not of where the
    # repository lies (`shown` follows the command line), so that the ledger is the same on any machine.
    digest = hashlib.sha256()
    for index, layer in enumerate(layers):
        for name, text in sorted(layer.texts.items()):
            digest.update(f"{index}\0{name}\0{text}\0".encode("utf-8", "surrogatepass"))
    return Kit(tuple(folder for _, folder in folders), layers, MappingProxyType(apps), MappingProxyType(origins),
               outputs, rules, MappingProxyType(schemas), MappingProxyType(schema_origins),
               digest.hexdigest()), []


def _template_problems(layers: tuple[TemplateLayer, ...], read: list[tuple[ProfilePath, KitFiles]]) -> list[Problem]:
    """Each kit template compiled once: a syntax error is the kit's, at its file and line."""
    environment = sandbox_environment(layers)
    loader = environment.loader
    assert isinstance(loader, LayeredLoader)
    problems = []
    for (at, files), layer in zip(read, layers):
        for name in sorted(files.texts):
            if not name.endswith(".j2") or loader.kit_of(name) is not layer:
                continue
            shown = f"{layer.shown}/{name}"
            try:
                environment.get_template(name)
                for line, tag in refused_blocks(environment, layer.texts[name]):
                    problems.append(Problem(
                        f"{shown}:{line}: a `{{% {tag} %}}` block is not available in kit templates (but `{{% filter "
                        "indent(n) %}}`): its output would reach the file without `q`", RULE, at,
                        "print each value with `q` (or `yaml_block`) instead", location=Location(shown, line, 1)))
            except jinja2.TemplateSyntaxError as error:
                problems.append(Problem(f"{shown}:{error.lineno}: not a valid template: {error.message}", RULE, at,
                                        "fix the template's Jinja syntax",
                                        location=Location(shown, error.lineno or 1, 1)))
            except Exception as error:  # a kit template Jinja cannot compile (nesting past the parser's depth)
                problems.append(Problem(f"{shown}: {type(error).__name__}: {error}", RULE, at,
                                        location=Location(shown, getattr(error, "lineno", None) or 1, 1)))
    return problems


def _apps(layers: tuple[TemplateLayer, ...], read: list[tuple[ProfilePath, KitFiles]],
          problems: list[Problem]) -> tuple[dict[str, Any], dict[str, str]]:
    apps: dict[str, Any] = dict(builtin_catalog())
    origins: dict[str, str] = {}
    tree = LayeredTree(layers, templates_root())
    for at, files in read:
        names = [match.group(1) for name in files.texts if (match := _APP_ENTRY.match(name))]
        if not names:
            continue
        found, broken = read_apps(tree, files.shown, names)
        for where, messages in broken.items():
            text = files.texts.get(where[len(files.shown) + 1:], "")
            problems.extend(_entry_problem(where, text, message, at) for message in messages)
        for name, app in found.items():
            apps[name] = app
            origins[name] = files.shown
    return apps, origins


_PATH_PREFIX = re.compile(r"^([A-Za-z0-9_.\[\]-]+): ")


def _entry_problem(where: str, text: str, message: str, at: ProfilePath) -> Problem:
    """A catalog message (`objects[2].template: ...`) at its line of the kit's app entry."""
    line, column = 1, 1
    match = _PATH_PREFIX.match(message)
    if match and text:
        path: list[str | int] = []
        for part in re.findall(r"[^.\[\]]+|\[\d+\]", match.group(1)):
            path.append(int(part[1:-1]) if part.startswith("[") else part)
        try:
            line, column = position_of(text, 0, tuple(path))
        except Exception:  # a text the catalog could not read: the start of the file
            line, column = 1, 1
    return Problem(f"{where}: {message}", RULE, at, "a kit app entry has the format of the built-in ones "
                   "(README, \"Templating kit\"; `gen kit eject <app>` copies one)",
                   location=Location(where, line, column))


def _outputs(read: list[tuple[ProfilePath, KitFiles]], layers: tuple[TemplateLayer, ...],
             problems: list[Problem]) -> tuple[KitOutput, ...]:
    by_name: dict[str, KitOutput] = {}
    tree = LayeredTree(layers, templates_root())
    for at, files in read:
        for name in sorted(files.texts):
            match = _OUTPUT_FILE.match(name)
            if match is None:
                if name.startswith("outputs/") and name.endswith((".yaml", ".yml")):
                    problems.append(Problem(f"{files.shown}/{name}: an output declaration is outputs/<name>.yaml, "
                                            "its name a DNS label", RULE, at, location=Location(f"{files.shown}/{name}", 1, 1)))
                continue
            shown = f"{files.shown}/{name}"
            declaration = output_declaration(shown, files.texts[name], at)
            data = declaration.data
            if not declaration.problems and not (tree / data["template"]).is_file():
                declaration.problem(("template",), f"no template {data['template']} in the kits or the package",
                                    "name the template by its path inside the kit (outputs/peerauthentication.yaml.j2)")
            problems.extend(declaration.problems)
            if declaration.problems:
                continue
            scope = Scope(data["scope"])
            by_name[match.group(1)] = KitOutput(
                name=match.group(1), kit=files.shown, file=shown, description=data["description"],
                template=data["template"], scope=scope, api_version=data["apiVersion"], kind=data["kind"],
                object_name=data["name"], object_namespace=data.get("namespace"),
                path=data.get("file", "{kind}-{name}.yaml"),
                dataplanes=tuple(data.get("when", {}).get("dataplane", ())),
                parameters=MappingProxyType(parameters_schema(data)), enabled=data.get("enabled", True),
                schemaless=data.get("schemaless", False),
            )
    return tuple(by_name[name] for name in sorted(by_name))


def _rules(read: list[tuple[ProfilePath, KitFiles]], problems: list[Problem]) -> tuple[KitRule, ...]:
    by_name: dict[str, KitRule] = {}
    for at, files in read:
        for name in sorted(files.texts):
            match = _RULE_FILE.match(name)
            if match is None:
                continue
            shown = f"{files.shown}/{name}"
            declaration = rule_declaration(shown, files.texts[name], at)
            problems.extend(declaration.problems)
            if declaration.problems:
                continue
            data = declaration.data
            by_name[match.group(1)] = KitRule(
                name=match.group(1), kit=files.shown, file=shown, description=data["description"],
                kinds=frozenset(data["kinds"]), severity=Severity(data.get("severity", "error")),
                schema=data["schema"],
                hint=data.get("hint", ""),
            )
    return tuple(by_name[name] for name in sorted(by_name))


def _schemas(read: list[tuple[ProfilePath, KitFiles]],
             problems: list[Problem]) -> tuple[dict[tuple[str, str], Mapping[str, Any]], dict[tuple[str, str], str]]:
    """(apiVersion, kind in lower case) -> schema, from `schemas/<group>/<kind>_<version>.json`."""
    schemas: dict[tuple[str, str], Mapping[str, Any]] = {}
    origins: dict[tuple[str, str], str] = {}
    for at, files in read:
        for name in sorted(files.texts):
            if not name.startswith("schemas/") or PurePosixPath(name).suffix != ".json":
                continue
            shown = f"{files.shown}/{name}"
            match = _SCHEMA_FILE.match(name)
            if match is None:
                problems.append(Problem(f"{shown}: a kit schema is schemas/<group>/<kind>_<version>.json "
                                        "(kubeconform's layout, the kind in lower case)", RULE, at,
                                        location=Location(shown, 1, 1)))
                continue
            group, kind, version = match.groups()
            try:
                schema = json.loads(files.texts[name])
                offline_validator(schema)
            except json.JSONDecodeError as error:
                problems.append(Problem(f"{shown}: not JSON: {error.msg}", RULE, at,
                                        location=Location(shown, error.lineno, error.colno)))
                continue
            except (ValueError, jsonschema_rs.ValidationError) as error:
                problems.append(Problem(f"{shown}: not a valid JSON Schema: {error}", RULE, at,
                                        location=Location(shown, 1, 1)))
                continue
            api_version = f"{group}/{version}" if group else version
            schemas[(api_version, kind)] = schema
            origins[(api_version, kind)] = files.shown
    return schemas, origins

