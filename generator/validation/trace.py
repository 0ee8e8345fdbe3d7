"""Findings as problems a person can act on: where in which file, and for rendered objects, which
profile entry made them."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

from ..files import INPUT_LIMIT, Unreadable, line_and_column, read_regular, size_text
from ..output.render import RenderedFile
from ..parallel import in_slices
from ..plan import Output, Plan
from ..problems import Location, Problem
from .embedded import EmbeddedValidator, Finding, JsonPath, Yaml11Loader, format_json_path
from ..yaml_limits import excess, may_exceed
from .pack import values_kind

RULE = "output-schema"


def _node_at(node: Any, path: JsonPath, at_key: bool = False) -> Any:
    """The deepest node of a composed YAML document that `path` reaches (the key node of the last
    step, with `at_key`)."""
    for step, part in enumerate(path):
        if isinstance(node, yaml.MappingNode):
            last = at_key and step == len(path) - 1
            match = next(
                (key if last else value for key, value in node.value if getattr(key, "value", None) == part), None
            )
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            match = node.value[part]
        else:
            match = None
        if match is None:
            break
        node = match
    return node


def position_of(text: str, document_index: int, path: JsonPath, at_key: bool = False) -> tuple[int, int]:
    """1-based line and column of `path` in the document_index-th document of `text`."""
    nodes = list(yaml.compose_all(text, Loader=Yaml11Loader))
    if document_index >= len(nodes) or nodes[document_index] is None:
        return 1, 1
    node = _node_at(nodes[document_index], path, at_key)
    return node.start_mark.line + 1, node.start_mark.column + 1


def findings_of(validator: EmbeddedValidator, file_name: str, document: Any) -> list[Finding]:
    kind = values_kind(file_name)
    return validator.validate_values(document, kind) if kind else validator.validate(document)


def rendered_problems(plan: Plan, files: Iterable[RenderedFile], validator: EmbeddedValidator) -> list[Problem]:
    """Every schema finding on the rendered files, pointed at the profile entry that made each."""
    return [problem for output, file in zip(plan.outputs, files) for problem in output_problems(output, file, validator)]


def output_problems(output: Output, file: RenderedFile, validator: EmbeddedValidator) -> list[Problem]:
    """The schema findings on one rendered file (its parsed document), pointed at the profile entry."""
    if output.identity is None and values_kind(file.path) is None:
        return []
    problems = []
    for finding in findings_of(validator, file.path, file.document):
        line, column = position_of(file.text, 0, finding.path, finding.at_key)
        problems.append(
            Problem(
                f"{file.path}:{line}:{column}: {format_json_path(finding.path)}: {finding.message}",
                RULE,
                output.source,
                f"{output.description} does not fit its schema: check this profile entry, or report a "
                "bug in gen",
            )
        )
    return problems


def manifest_files(paths: Iterable[Path]) -> list[Path]:
    """The YAML files under `paths` (files or directories), gen's own `.gen/` folders left out."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(
                p for p in sorted(path.rglob("*")) if p.suffix in (".yaml", ".yml") and ".gen" not in p.parts
                and p.is_file()
            )
        else:
            found.append(path)
    return found


PARALLEL_FROM = 1500  # files: below this, starting a worker costs more than it saves


def files_problems(files: list[Path], validator: EmbeddedValidator) -> list[Problem]:
    """The findings in every file, in file order; on every core for many files."""

    def work(start: int, end: int) -> list[Problem]:
        return [problem for file in files[start:end] for problem in file_problems(file, validator)]

    return [problem for part in in_slices(work, len(files), PARALLEL_FROM) for problem in part]


MAX_DEPTH = 200  # levels of nesting: Kubernetes objects use a few dozen; jsonschema-rs stops at about 250
MAX_NODES = 1_000_000  # nodes once aliases are expanded (or one per character of the file, if more)


def _read(file: Path) -> str | Problem:
    """The file's text, or why it cannot be read: a regular file of at most INPUT_LIMIT, UTF-8,
    that does not expand or nest past the limits once its aliases are expanded."""
    try:
        data = read_regular(file, INPUT_LIMIT)
    except Unreadable as error:
        return Problem(f"{error.strerror}", RULE, hint=f"give manifest files (regular files of at most "
                       f"{size_text(INPUT_LIMIT)}) or folders that hold them", location=Location(str(file), 0, 0))
    except OSError as error:
        return Problem(f"cannot read: {error.strerror}", RULE, location=Location(str(file), 0, 0))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line, column = line_and_column(data, error.start)
        return Problem(f"not UTF-8 text: byte 0x{data[error.start]:02x} cannot start or continue a character",
                       RULE, hint="save the file as UTF-8", location=Location(str(file), line, column))
    if may_exceed(text, MAX_DEPTH):
        try:
            found = excess(yaml.parse(text, Loader=Yaml11Loader), max(MAX_NODES, len(text)), MAX_DEPTH)
        except yaml.YAMLError:
            found = None  # the loader reports it, at its place
        if found is not None:
            return Problem(f"the file {found.message}", RULE,
                           hint="write the manifest out plainly: no nested aliases (&anchor/*alias), no deep nesting",
                           location=Location(str(file), found.line, found.column))
    return text


def file_problems(file: Path, validator: EmbeddedValidator) -> list[Problem]:
    """Findings in any manifest file, at their line and column."""
    text = _read(file)
    if isinstance(text, Problem):
        return [text]
    try:
        documents = list(yaml.load_all(text, Loader=Yaml11Loader))
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = Location(str(file), mark.line + 1, mark.column + 1) if mark else Location(str(file), 1, 1)
        return [Problem(f"not valid YAML: {getattr(error, 'problem', error)}", RULE, location=where)]
    problems = []
    for index, document in enumerate(documents):
        if document is None:
            continue
        for finding in findings_of(validator, file.name, document):
            line, column = position_of(text, index, finding.path, finding.at_key)
            hint = "fix the manifest (or the profile that rendered it)"
            if finding.path == ("kind",) and finding.message.startswith("no schema"):
                hint = ("a kind of a templating kit? `gen validate --profile PROFILE` adds the schemas of the "
                        "profile's kits")
            problems.append(Problem(finding.message, RULE, finding.path, hint, location=Location(str(file), line, column)))
    return problems
