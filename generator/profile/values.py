"""Live helm values named by the profile (`baseValues`): read once, cleared of secrets.

A saved `helm get values controlplane` file holds certificates, keys and tokens. gen merges its
overlay into the file so the result can be applied alone, but nothing secret may reach Git: every
value under `secrets:` and every value that looks like key material is removed here, before any
later stage sees the data, and each removal is reported as a warning at its line in the file.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from ..problems import Location, Problem, Severity
from ..yaml_text import disagreements, read_yaml_1_1, shown
from .load import CONSTRUCTION_ERRORS, _unconstructible_scalar
from .model import BaseValuesRef

# The first line of the header gen writes above merged values (a merged file may be a base again).
GEN_HEADER = "# Rendered by gen from profile"
# How that header lists the secrets it removed (templates/helm/_base-values-note.yaml.j2).
SECRETS_LISTED = "# gen removed the secrets of the live values"
SECRET_ITEM = "#   "
GEN_HEADER_END = "# The live values follow, as they were saved, without their secrets."
SECRET_KEY = re.compile(
    r"(password|passwd|passphrase|secret|token|apikey|privatekey|secretkey|accesskey|signingkey|"
    r"credential|credentials)\Z",
    re.IGNORECASE,
)
PEM = re.compile(r"-----BEGIN [A-Z0-9 ]+-----")
JWT = re.compile(r"^eyJ[\w-]+\.eyJ[\w-]+\.[\w-]*\Z")
JWK_KEYS = frozenset({"kty"})


@dataclass(frozen=True)
class LoadedValues:
    """A base values file, secrets removed. `data` is never changed after loading: whoever merges
    into it works on a copy."""

    ref: BaseValuesRef
    data: CommentedMap
    dropped: tuple[str, ...]  # dotted paths of the removed values, in file order


def _is_jwk(value: Any) -> bool:
    if isinstance(value, dict):
        return JWK_KEYS <= set(value) or (
            isinstance(value.get("keys"), list) and any(isinstance(k, dict) and "kty" in k for k in value["keys"])
        )
    if isinstance(value, str) and value.lstrip().startswith("{"):
        try:
            return _is_jwk(json.loads(value))
        except ValueError:
            return False
    return False


def looks_secret(key: str, value: Any) -> bool:
    """Key material by its look (PEM, JWT, JWK), or a non-empty scalar under a secret-sounding key."""
    if _is_jwk(value):
        return True
    if isinstance(value, str):
        if PEM.search(value) or JWT.match(value.strip()):
            return True
    scalar = isinstance(value, (str, int, float)) and not isinstance(value, bool)
    return scalar and str(value) != "" and bool(SECRET_KEY.search(key.replace("-", "").replace("_", "")))


def _dotted(path: tuple[str | int, ...]) -> str:
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _leaves(value: Any, path: tuple[str | int, ...], position: tuple[int, int]) -> list[tuple[str, int, int]]:
    """Each scalar below `value` with its position: what a removal takes away, named one by one."""
    if isinstance(value, CommentedMap) and value:
        return [
            leaf for key in value for leaf in _leaves(value[key], (*path, str(key)), value.lc.key(key))
        ]
    if isinstance(value, CommentedSeq) and value:
        return [leaf for index, item in enumerate(value) for leaf in _leaves(item, (*path, index), value.lc.item(index))]
    return [(_dotted(path), position[0] + 1, position[1] + 1)]


def _scrub(node: Any, path: tuple[str | int, ...], found: list[tuple[str, int, int]]) -> None:
    """Remove secrets below `node` in place; record (path, line, column) of each removed scalar."""
    if isinstance(node, CommentedMap):
        for key in list(node):
            value = node[key]
            child = (*path, str(key))
            if (not path and key == "secrets") or looks_secret(str(key), value):
                found.extend(_leaves(value, child, node.lc.key(key)))
                del node[key]
            else:
                _scrub(value, child, found)
    elif isinstance(node, CommentedSeq):
        for index in reversed(range(len(node))):
            value = node[index]
            if _is_jwk(value) or (isinstance(value, str) and (PEM.search(value) or JWT.match(value.strip()))):
                found.extend(_leaves(value, (*path, index), node.lc.item(index)))
                del node[index]
            else:
                _scrub(value, (*path, index), found)


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
        text = Path(ref.file).read_text("utf-8")
    except FileNotFoundError:
        return None, problem(
            f"base values file {ref.file} does not exist",
            "the path is relative to the profile file; write `baseValues: none` if the rendered file alone "
            "installs the release",
        )
    except (OSError, UnicodeDecodeError) as error:
        return None, problem(f"cannot read base values file {ref.file}: {error}", "save it as a UTF-8 YAML file")
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
    readings = _readings(body, data, ref, offset)
    found: list[tuple[str, int, int]] = []
    _scrub(data, (), found)
    removed = {dotted for dotted, _, _ in found}
    errors = [problem for dotted, problem in readings if not dotted or not _under(dotted, removed)]
    warnings = [
        Problem(
            f"removed secret value '{dotted}' of {ref.written}: it does not go to Git",
            "secret-removed",
            ref.path,
            "supply it at install time from your secret store (see the header of the rendered values file)",
            Severity.WARNING,
            location=Location(ref.file, line + offset, column),
        )
        for dotted, line, column in found
    ]
    dropped = dict.fromkeys((*removed_before, *(dotted for dotted, _, _ in found)))
    if errors:
        return None, [*errors, *warnings]
    return LoadedValues(ref, data, tuple(dropped)), warnings


