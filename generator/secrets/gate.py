"""The last gate: before anything is written, every rendered file is judged with the detectors the
filter uses (detect.py). A hit is an error at the line of the input it came from (the profile, a
values or policy file), naming the output file and line; nothing is written.

Rendered trees repeat most of their lines (templates, catalog apps), so the gate judges each
distinct line of a chunk of files once (the lines of a shape that hold no value once in all:
output/derived.py), and holds one chunk's lines at a time: a cheap pre-filter picks the few lines
that could hold a secret, and only those meet the detectors. The lines inside a PEM block pass (a
certificate is public; a key is reported at its BEGIN line). Helm values files (live values,
merged) are also parsed and every string in them judged whole, so that a secret spread over the
lines of a block scalar cannot pass line by line.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from ..files import read_text
from ..problems import Location, Problem, ProfilePath
from .detect import Finding, candidates_in, detect, lines_that_could_be_secret

if TYPE_CHECKING:
    from ..output.render import RenderedFile

RULE = "secret-in-output"
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_BEGIN = "-----BEGIN "


@dataclass(frozen=True)
class Hit:
    path: str  # the output file, relative to its tree
    line: int  # 1-based
    finding: Finding


def _scalar_of(line: str) -> str:
    """The value a YAML line holds, unescaped (`key: "a\\nb"` -> `a<newline>b`); else the line."""
    stripped = line.strip()
    while stripped.startswith("- "):
        stripped = stripped[2:].lstrip()
    try:
        value = yaml.load(stripped, Loader=_LOADER)
    except (yaml.YAMLError, ValueError, TypeError, OverflowError, IndexError, KeyError, RecursionError):
        return line
    if isinstance(value, dict) and len(value) == 1:
        value = next(iter(value.values()))
    return value if isinstance(value, str) else line


def _allowed(finding: Finding, allowed: Collection[str]) -> bool:
    return any(finding.excerpt in kept for kept in allowed)


def _in_pem_body(lines: list[str], index: int) -> bool:
    """Whether line `index` is inside a PEM block, below its BEGIN line (block-scalar lines). A
    certificate's lines are public; a key's BEGIN line is the one that is reported."""
    for previous in range(index - 1, -1, -1):
        line = lines[previous]
        if "-----END " in line:
            return False
        start = line.find(_BEGIN)
        if start >= 0:
            return "-----END " not in line[start:]
    return False


def _strings(node: Any) -> Iterable[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if isinstance(key, str):
                yield key
            yield from _strings(value)
    elif isinstance(node, list):
        for item in node:
            yield from _strings(item)
    elif isinstance(node, str):
        yield node


def _line_of(text: str, excerpt: str) -> int:
    needle = excerpt.split("\n", 1)[0][:60]
    index = text.find(needle) if needle else -1
    return text.count("\n", 0, index) + 1 if index >= 0 else 1


def _judge_whole(file: RenderedFile, allowed: Collection[str]) -> list[Hit]:
    try:
        document = yaml.load(file.text, Loader=_LOADER)
    except (yaml.YAMLError, ValueError, TypeError, OverflowError, RecursionError):
        return []  # the parse-back proved the text is YAML; PyYAML reading it otherwise is no secret
    hits = []
    for string in _strings(document):
        finding = detect(string)
        if finding is not None and not _allowed(finding, allowed):
            hits.append(Hit(file.path, _line_of(file.text, finding.excerpt), finding))
    return hits


# Files judged together: the distinct lines of one chunk are held at a time, not a whole estate's.
CHUNK = 2000
# A file of this many characters is judged whole, on its own: its lines are not cut and pooled (the
# README and verify scripts of a large estate run to megabytes).
ALONE = 1 << 16


def scan(files: Sequence[RenderedFile], whole: Collection[str] = (), allowed: Collection[str] = ()) -> list[Hit]:
    """Every secret in `files`, by file and line. `whole`: paths of files to parse and judge string
    by string besides (helm values); `allowed`: strings the profile keeps with `notSecret`."""
    from ..output.derived import Derived
    from ..output.held import Compressed  # rendering is loaded by whoever has files to gate

    # A render's files held as columns (output/held.py) give each text as held, without the file.
    held_at = getattr(files, "held", None)
    suspects: dict[str, Finding] = {}  # every line judged so far that holds a secret
    forms: set[int] = set()
    hits: dict[tuple[str, int], Hit] = {}
    for start in range(0, len(files), CHUNK):
        end = min(start + CHUNK, len(files))
        distinct: set[str] = set()
        for index in range(start, end):
            held = held_at(index) if held_at is not None else files[index].held
            if type(held) is not Derived:
                if isinstance(held, Compressed):  # a large text, made and judged a piece of lines at a time
                    for piece in held.lines():
                        _judge(candidates_in(piece, also="\\n"), allowed, suspects)
                    continue
                text = str(held)
                if len(text) >= ALONE:
                    _judge(candidates_in(text, also="\\n"), allowed, suspects)
                else:
                    distinct.update(text.split("\n"))
                continue
            derived = held
            if id(derived.form) not in forms:  # its lines without a value: once per shape (output/derived.py)
                forms.add(id(derived.form))
                distinct.update(derived.form.lines()[0])
            distinct.update(derived.marked_lines())
        _judge(lines_that_could_be_secret(list(distinct), also="\\n"), allowed, suspects)
        if not whole and not suspects:
            continue
        for index in range(start, end):  # each of its lines is judged by now
            file = files[index]
            if file.path in whole:
                hits.update(((hit.path, hit.line), hit) for hit in _judge_whole(file, allowed))
            if not suspects:
                continue
            lines = file.text.split("\n")
            for number, line in enumerate(lines):
                finding = suspects.get(line)
                if finding is not None and not _in_pem_body(lines, number):
                    hits.setdefault((file.path, number + 1), Hit(file.path, number + 1, finding))
    return [hits[key] for key in sorted(hits)]


def _judge(candidates: list[str], allowed: Collection[str], suspects: dict[str, Finding]) -> None:
    """Each candidate line that holds a secret the profile does not keep, into `suspects`."""
    for line in candidates:
        finding = detect(_scalar_of(line))
        if finding is not None and not _allowed(finding, allowed):
            suspects[line] = finding


def _source_of(excerpt: str, sources: Sequence[tuple[Path, str]], texts: dict[Path, str]) -> Location | None:
    """Where an input spells `excerpt` (as it is, or escaped in double quotes): the profile first,
    then the files it names."""
    needle = excerpt.split("\n", 1)[0][:60]
    if not needle:
        return None
    for source, shown in sources:
        if source not in texts:
            try:
                texts[source] = read_text(source)
            except (OSError, UnicodeDecodeError):
                texts[source] = ""
        text = texts[source]
        for spelling in (needle, json.dumps(needle)[1:-1]):
            index = text.find(spelling)
            if index >= 0:
                line_start = text.rfind("\n", 0, index) + 1
                return Location(shown, text.count("\n", 0, index) + 1, index - line_start + 1)
    return None


def gate_problems(
    files: Sequence[RenderedFile],
    root: str,
    sources: Sequence[tuple[Path, str]],
    made_by: Mapping[str, ProfilePath],
    whole: Collection[str] = (),
    allowed: Collection[str] = (),
) -> list[Problem]:
    """An error for each secret the rendered `files` hold (none, when the filter did its job), at
    the input line it came from, naming the output lines that would hold it: `sources` are the
    profile and the files it names (each with the name a report shows); `made_by` says which
    profile entry made each output, for a secret no input spells as it is."""
    texts: dict[Path, str] = {}
    found: dict[tuple[Location | None, ProfilePath, str], list[Hit]] = {}
    for hit in scan(files, whole, allowed):
        where = _source_of(hit.finding.excerpt, sources, texts)
        entry = made_by.get(hit.path, ())
        found.setdefault((where, entry, hit.finding.kind), []).append(hit)
    problems = []
    for (where, entry, kind), hits in found.items():
        first = hits[0]
        more = f", and {len(hits) - 1} more output line{'s' if len(hits) > 2 else ''}" if len(hits) > 1 else ""
        problems.append(Problem(
            f"{root}/{first.path}:{first.line}{more} would hold a secret ({kind})"
            + ("" if where else "; no input spells it as it is: this profile entry made the file"),
            RULE,
            entry,
            "gen writes no secret to Git: take it out of this input and pass it at install time (a Secret in "
            "the cluster, `helm upgrade -f <your secrets file>`); if it is not a secret, list its path under "
            "`notSecret:`",
            location=where,
        ))
    return problems
