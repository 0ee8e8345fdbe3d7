"""Read the AuthorizationPolicies a profile names (`namespaces[].policies`): a YAML file (one or
more documents) or a directory of them (every *.yaml and *.yml below it, in path order, except
kustomization files). Every problem is located at the policy file's line and column, with the
profile entry that names the file as its path, so the report shows both.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path, PurePosixPath
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from ..files import MAX_INPUT_FILES, read_text
from ..problems import Location, Problem, Severity
from ..profile.load import surrogate_problems, CONSTRUCTION_ERRORS, SourceMapBuilder, TooLarge
from ..profile.source_map import SourceMap
from ..profile.model import Namespace, Profile
from ..profile.model_waypoints import PolicySource
from .model import AuthorizationPolicy, PolicyFile
from .schema import Finding, meaning_findings, shape_findings

YAML_SUFFIXES = (".yaml", ".yml")
KUSTOMIZATION_FILES = ("kustomization.yaml", "kustomization.yml", "Kustomization")


@dataclass(frozen=True)
class LoadedPolicies:
    """The valid policies of each `policies` entry; an invalid one is reported and left out."""

    by_source: Mapping[PolicySource, tuple[AuthorizationPolicy, ...]] = field(default_factory=dict)

    def of(self, namespace: Namespace) -> tuple[AuthorizationPolicy, ...]:
        return self.by_source.get(namespace.policies, ()) if namespace.policies else ()


def _problem(source: PolicySource, message: str, hint: str, where: Location, rule: str = "policy-file",
             severity: Severity = Severity.ERROR) -> Problem:
    return Problem(message, rule, source.path, hint, severity, location=where)


def _files(source: PolicySource) -> tuple[list[tuple[Path, str]], list[Problem]]:
    """(file on disk, name relative to the profile) of each policy file the entry names."""
    root = Path(source.file)
    whole = Location(source.file, 0, 0)
    if root.is_dir():
        entries = list(islice(root.rglob("*"), MAX_INPUT_FILES + 1))  # `policies: /` must not walk the disk
        if len(entries) > MAX_INPUT_FILES:
            return [], [_problem(source, f"policy folder {source.file} holds more than {MAX_INPUT_FILES} entries",
                                 "name the folder that holds the policy files", whole)]
        found = sorted(
            (path for path in entries if not path.is_dir() and path.suffix in YAML_SUFFIXES
             and path.name not in KUSTOMIZATION_FILES),
            key=lambda path: path.relative_to(root).as_posix(),
        )
        return [(path, str(PurePosixPath(source.written) / path.relative_to(root).as_posix())) for path in found], []
    if root.exists() or root.is_symlink():  # a file; or what reading refuses in words
        return [(root, source.written)], []
    return [], [_problem(source, f"policy file or directory {source.file} does not exist",
                         "the path is relative to the profile file", whole)]


def _documents(path: Path, shown: str, source: PolicySource) -> tuple[list[tuple[Any, PolicyFile]], list[Problem]]:
    name = str(path)
    try:
        text = read_text(path)  # a FIFO or device named `x.yaml` is refused, not read forever
    except OSError as error:
        return [], [_problem(source, f"cannot read policy file {name}: {error.strerror}",
                             "name a UTF-8 YAML file or a folder of them", Location(name, 0, 0))]
    except UnicodeDecodeError:
        return [], [_problem(source, f"cannot read policy file {name}: it is not UTF-8 text",
                             "save it as a UTF-8 YAML file", Location(name, 0, 0))]
    yaml = YAML(typ="rt")
    yaml.allow_duplicate_keys = False
    documents = []
    try:
        for index, document in enumerate(yaml.load_all(text)):
            builder = SourceMapBuilder(name)
            plain = builder.walk(document, ())
            if builder.problems:
                return [], [_problem(source, p.message, p.hint, p.location or Location(name, 1, 1))
                            for p in builder.problems]
            documents.append((plain, PolicyFile(name, shown, index, SourceMap(name, builder.keys, builder.values))))
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = Location(name, mark.line + 1, mark.column + 1) if mark else Location(name, 1, 1)
        return [], [_problem(source, f"policy file is not valid YAML: {error.problem}", "fix the YAML syntax", where)]
    except (YAMLError, RecursionError, TooLarge, *CONSTRUCTION_ERRORS) as error:
        reason = "it nests or expands too far" if isinstance(error, (RecursionError, TooLarge)) else str(error)
        return [], [_problem(source, f"policy file is not valid YAML: {reason}", "fix the file", Location(name, 1, 1))]
    return [(plain, where) for plain, where in documents if plain is not None], []


def _pairs(raw: Any) -> tuple[tuple[str, str], ...]:
    return tuple((str(key), str(value)) for key, value in (raw or {}).items())


def _policy(plain: dict[str, Any], where: PolicyFile, source: PolicySource) -> AuthorizationPolicy:
    metadata = plain["metadata"]
    return AuthorizationPolicy(
        name=metadata["name"],
        namespace=metadata.get("namespace"),
        api_version=plain["apiVersion"],
        labels=_pairs(metadata.get("labels")),
        annotations=_pairs(metadata.get("annotations")),
        spec=plain.get("spec") or {},
        source=source,
        written=where,
    )


def _located(findings: list[Finding], where: PolicyFile, source: PolicySource) -> list[Problem]:
    return [
        _problem(source, message, hint, where.at(path, at_key), "policy-schema")
        for path, message, hint, at_key in findings
    ]


def load_source(source: PolicySource, namespace: str) -> tuple[tuple[AuthorizationPolicy, ...], list[Problem]]:
    files, problems = _files(source)
    policies: list[AuthorizationPolicy] = []
    first: dict[str, AuthorizationPolicy] = {}
    for path, shown in files:
        documents, found = _documents(path, shown, source)
        problems += found
        for plain, where in documents:
            findings = [(p.path, p.message, p.hint, p.at_key) for p in surrogate_problems(plain)] or \
                shape_findings(plain) or meaning_findings(plain, namespace)
            if findings:
                problems += _located(findings, where, source)
                continue
            policy = _policy(plain, where, source)
            earlier = first.setdefault(policy.name, policy)
            if earlier is not policy:
                was = earlier.written.at(("metadata", "name"))
                problems.append(_problem(
                    source, f"two policies are named {policy.name!r} (the other at {was.file}:{was.line})",
                    "names are unique within a namespace: rename one", where.at(("metadata", "name")),
                    "policy-schema"))
                continue
            policies.append(policy)
    if not policies and not problems:
        problems.append(_problem(source, f"{source.written} holds no AuthorizationPolicy", "point `policies` at the "
                                 "team's policy YAML, or remove the key", Location(source.file, 0, 0),
                                 severity=Severity.WARNING))
    return tuple(policies), problems


def load_policies(profile: Profile) -> tuple[LoadedPolicies, list[Problem]]:
    """Each namespace entry's policies, read once per entry."""
    by_source: dict[PolicySource, tuple[AuthorizationPolicy, ...]] = {}
    problems: list[Problem] = []
    for namespace in profile.namespaces:
        if namespace.policies is None:
            continue
        policies, found = load_source(namespace.policies, namespace.name)
        by_source[namespace.policies] = policies
        problems += found
    return LoadedPolicies(by_source), problems
