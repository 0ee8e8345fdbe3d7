"""Live helm values named by the profile (`baseValues`): read once, cleared of secrets.

A saved `helm get values controlplane` file holds certificates, keys and tokens. gen merges its
overlay into the file so the result can be applied alone, but nothing secret may reach Git: the
file passes the secret filter (secrets/values.py) here, before any later stage sees the data, and
each removal is reported as a warning at its line in the file.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from ..files import read_text
from ..problems import Location, Problem, Severity
from ..secrets.values import AliasError, Filtered, filter_secrets, tsb_secret_path
from ..yaml_text import disagreements, read_yaml_1_1, shown
from .load import CONSTRUCTION_ERRORS, _unconstructible_scalar
from .model import BaseValuesRef

# The first line of the header gen writes above merged values (a merged file may be a base again).
GEN_HEADER = "# Rendered by gen from profile"
# How that header lists the secrets it removed (templates/helm/_base-values-note.yaml.j2).
SECRETS_LISTED = "# gen removed the secrets of the live values"
SECRET_ITEM = "#   "
GEN_HEADER_END = "# The live values follow, as they were saved, without their secrets."


@dataclass(frozen=True)
class LoadedValues:
    """A base values file, secrets removed. `data` is never changed after loading: whoever merges
    into it works on a copy."""

    ref: BaseValuesRef
    data: CommentedMap
    dropped: tuple[str, ...]  # dotted paths of the removed values, in file order
    kept: tuple[str, ...] = ()  # strings `notSecret` kept, which the output gate lets pass


def strip_gen_header(text: str) -> tuple[str, int, tuple[str, ...]]:
    """A file gen merged before starts with gen's comment header: drop it, so that merging a merged
    file again changes nothing. Returns the rest, how many lines went, and the secrets that header
    lists as removed (they are still missing from the values, so the new header lists them too)."""
    if not text.startswith(GEN_HEADER):
        return text, 0, ()
    lines = text.split("\n")
    count = 0
    removed: list[str] = []
    listing = False
    if GEN_HEADER_END not in lines:
        return text, 0, ()
    while lines[count] != GEN_HEADER_END:
        line = lines[count]
        if line.startswith(SECRETS_LISTED):
            listing = True
        elif listing and line.startswith(SECRET_ITEM):
            spelled = line[len(SECRET_ITEM):]
            removed.append(str(YAML(typ="safe").load(spelled)) if spelled.startswith('"') else spelled)
        count += 1
    count += 1  # the end line itself
    return "\n".join(lines[count:]), count, tuple(removed)


def _dotted(path: tuple[str | int, ...]) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _readings(body: str, data: CommentedMap, ref: BaseValuesRef, offset: int) -> list[tuple[str, Problem]]:
    """Where helm (YAML 1.1) reads the file otherwise than gen (YAML 1.2): `on`, `1:20`, `017`,
    `1e3` unquoted. gen would have to guess which was meant, and the merged file would change what
    helm reads either way: each is an error at its place, with the two spellings that settle it.
    Returns (dotted path, problem) pairs, so that secrets removed later can be left out."""
    try:
        helm = read_yaml_1_1(body)
    except (yaml.YAMLError, RecursionError, *CONSTRUCTION_ERRORS) as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        where = Location(ref.file, mark.line + 1 + offset, mark.column + 1) if mark else Location(ref.file, 1, 1)
        problem = getattr(error, "problem", None) or str(error)
        return [("", Problem(
            f"base values file cannot be read as helm reads YAML (1.1): {problem}", "base-values", ref.path,
            "quote the value there (\"...\") so that every YAML reader takes it as text", location=where,
        ))]
    found = []
    for path, (line, column), helm_reads, gen_reads, at_key in disagreements(data, helm):
        dotted = _dotted(path)
        what = f"the key of '{dotted}'" if at_key else f"'{dotted}'"
        found.append((dotted, Problem(
            f"{what} reads as {shown(helm_reads)} in YAML 1.1 (as helm reads it) and as {shown(gen_reads)} in "
            "YAML 1.2",
            "ambiguous-value", ref.path,
            f"write {shown(helm_reads)} or {shown(gen_reads)}, whichever is meant: gen writes only values that "
            "every YAML reader reads alike",
            location=Location(ref.file, line + 1 + offset, column + 1),
        )))
    return found


def _under(dotted: str, removed: set[str]) -> bool:
    return any(dotted == gone or dotted.startswith((gone + ".", gone + "[")) for gone in removed)


def load_values(ref: BaseValuesRef) -> tuple[LoadedValues | None, list[Problem]]:
    def problem(message: str, hint: str, location: Location | None = None) -> list[Problem]:
        return [Problem(message, "base-values", ref.path, hint, location=location)]

    try:
        text = read_text(ref.file)  # `/dev/zero` or a FIFO is refused, not read forever
    except FileNotFoundError:
        return None, problem(
            f"base values file {ref.file} does not exist",
            "the path is relative to the profile file; write `baseValues: none` if the rendered file alone "
            "installs the release",
        )
    except OSError as error:
        return None, problem(f"cannot read base values file {ref.file}: {error.strerror}",
                             "name a UTF-8 YAML file (the output of `helm get values`)")
    except UnicodeDecodeError:
        return None, problem(f"cannot read base values file {ref.file}: it is not UTF-8 text",
                             "save it as a UTF-8 YAML file")
    body, offset, removed_before = strip_gen_header(text)
    reader = YAML(typ="rt")
    root = None
    try:
        root = reader.compose(body)
        data = reader.constructor.construct_document(root) if root is not None else None
    except RecursionError:
        return None, problem("base values file nests too deep to read", "flatten the file")
    except CONSTRUCTION_ERRORS as error:  # `2001-13-45`, `!!int abc`: parsed, but no value
        found_at = _unconstructible_scalar(YAML(typ="rt"), root) if root is not None else None
        (line, column), reason = found_at if found_at else ((1, 1), str(error))
        return None, problem(
            f"base values file holds a value YAML cannot read: {reason}",
            "quote the value to make it a string, or correct it", Location(ref.file, line + offset, column),
        )
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = Location(ref.file, mark.line + 1 + offset, mark.column + 1) if mark else Location(ref.file, 1, 1)
        return None, problem(f"base values file is not valid YAML: {error.problem}", "fix the file", where)
    except YAMLError as error:
        return None, problem(f"base values file is not valid YAML: {error}", "fix the file")
    if data is None:
        data = CommentedMap()
    if not isinstance(data, CommentedMap):
        return None, problem("base values must be a YAML mapping (the output of `helm get values`)", "check the file")
    readings = _readings(body, data, ref, offset)  # on the file as written, before anything is removed
    try:
        data, filtered = filter_secrets(data, frozenset(ref.not_secret))
    except AliasError as error:
        return None, problem(f"base values file cannot be read safely: {error.message}",
                             "write the values out instead of through aliases",
                             Location(ref.file, error.line + offset, error.column))
    warnings = [
        Problem(
            f"removed secret value '{removed.path}' of {ref.written} ({removed.reason}): it does not go to Git",
            "secret-removed",
            ref.path,
            "supply it at install time from your secret store (see the header of the rendered values file)"
            + ("" if removed.path.startswith("secrets") else
               f"; if it is not a secret, list '{removed.path}' under `notSecret:` beside `baseValues`"),
            Severity.WARNING,
            location=Location(ref.file, removed.line + offset, removed.column),
        )
        for removed in filtered.removed
    ]
    dropped = dict.fromkeys((*removed_before, *(removed.path for removed in filtered.removed)))
    gone = {removed.path for removed in filtered.removed}
    errors = [problem for dotted, problem in readings if not dotted or not _under(dotted, gone)]
    if errors:  # a secret's value is never named, even in an error
        return None, [*errors, *warnings]
    return LoadedValues(ref, data, tuple(dropped), filtered.kept_values), warnings + _keep_problems(ref, data, filtered)


def _keep_problems(ref: BaseValuesRef, data: CommentedMap, filtered: Filtered) -> list[Problem]:
    """`notSecret` entries that cannot keep anything: under `secrets:`, naming no value, or naming
    one gen keeps anyway."""
    removed = {item.path for item in filtered.removed}
    problems = []
    for index, name in enumerate(ref.not_secret):
        path = (*ref.not_secret_path, index)
        if name in filtered.kept:
            continue
        if tsb_secret_path(_parts(name)):
            problems.append(Problem(
                f"'{name}' is under `secrets:` of {ref.written}: TSB's install-time credentials never go to Git",
                "not-secret", path, "remove it from `notSecret`; pass the value at install time instead"))
        elif name in removed or any(item.startswith(name + ".") or item.startswith(name + "[") for item in removed):
            continue  # below a secret that is removed whole
        elif not _names_value(data, name):
            problems.append(Problem(
                f"'{name}' names no value of {ref.written}", "not-secret", path,
                "write the path as gen's warning names it, such as spec.components.oap.tokenTtl or "
                "spec.overlays[0].name"))
        else:
            problems.append(Problem(
                f"'{name}' keeps nothing: gen does not take the value for a secret", "not-secret", path,
                "remove it from `notSecret`", Severity.WARNING))
    return problems


def _parts(name: str) -> tuple[str | int, ...]:
    """`spec.overlays[0].name` -> ('spec', 'overlays', 0, 'name')."""
    return tuple(
        int(part[1:-1]) if part.startswith("[") and part.endswith("]") and part[1:-1].isdigit() else part
        for part in name.replace("[", ".[").split(".")
        if part
    )


def _names_value(data: Any, name: str) -> bool:
    node = data
    for part in _parts(name):
        if isinstance(part, int) and isinstance(node, list) and part < len(node):
            node = node[part]
        elif isinstance(part, str) and isinstance(node, dict) and part in node:
            node = node[part]
        else:
            return False
    return True
