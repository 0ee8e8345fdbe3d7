"""Stage 8, report: problems -> text for people, JSON for tools, annotations for GitHub Actions."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from enum import StrEnum

TYPE_CHECKING = False  # `typing` is not imported on the no-change path; mypy reads this as true
if TYPE_CHECKING:
    from .problems import Location, Problem


class ReportFormat(StrEnum):
    TEXT = "text"
    JSON = "json"
    GITHUB = "github"


NOTHING_WRITTEN = "nothing was written"
PARTIAL_WRITE = "some files were already replaced; render again to finish (the ledger still lists the previous run)"


# Characters a terminal acts on rather than shows: C0 and C1 controls, DEL, and the bidirectional
# overrides that reorder what follows. A profile value (a file name, a key) quoted in a message must
# not move the cursor, clear the screen, start a new report line or hide text.
_UNSHOWN = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def shown(text: str) -> str:
    """`text` as a terminal shows it verbatim: each character it would act on, as its escape."""
    return _UNSHOWN.sub(lambda match: _escape_char(match.group()), text)


def _escape_char(char: str) -> str:
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def _where(problem: Problem) -> Location:
    from .problems import Location  # only once there is a problem: the no-change path imports none

    return problem.location or Location("<profile>", 1, 1)


def _summary(problems: Sequence[Problem], outcome: str) -> str:
    errors = sum(p.is_error for p in problems)
    warnings = len(problems) - errors
    parts = [f"{errors} error{'s' if errors != 1 else ''}"]
    if warnings:
        parts.append(f"{warnings} warning{'s' if warnings != 1 else ''}")
    return ", ".join(parts) + (f"; {outcome}" if errors else "")


def _position(where: Location) -> str:
    """`file:line:column`, or just `file` for a problem of a path on disk (line 0)."""
    return f"{where.file}:{where.line}:{where.column}" if where.line else where.file


def _subject(problem: Problem) -> str:
    """The profile path a problem is about; problems of the output tree have none."""
    from .problems import format_path

    on_disk = problem.location is not None and problem.location.line == 0
    return f"{format_path(problem.path)}: " if problem.path or not on_disk else ""


def format_text(problems: Sequence[Problem], outcome: str = NOTHING_WRITTEN) -> str:
    lines = []
    for problem in problems:
        where = _where(problem)
        lines.append(shown(
            f"{_position(where)}: {problem.severity.value}: {_subject(problem)}{problem.message} [{problem.rule}]"
        ))
        if problem.related:
            lines.append(shown(f"    named at: {_position(problem.related)}"))
        if problem.hint:
            lines.append(shown(f"    hint: {problem.hint}"))
    if problems:
        lines.append(_summary(problems, outcome))
    return "\n".join(lines) + ("\n" if lines else "")


def format_json(problems: Sequence[Problem], outcome: str = NOTHING_WRITTEN) -> str:
    from .problems import format_path

    items = []
    for problem in problems:
        where = _where(problem)
        items.append(
            {
                "file": where.file,
                "line": where.line or None,
                "column": where.column or None,
                "path": format_path(problem.path) if _subject(problem) else None,
                "severity": problem.severity.value,
                "rule": problem.rule,
                "message": problem.message,
                "hint": problem.hint,
                "related": (
                    {"file": problem.related.file, "line": problem.related.line, "column": problem.related.column}
                    if problem.related else None
                ),
            }
        )
    errors = sum(p.is_error for p in problems)
    body = {"errors": errors, "warnings": len(problems) - errors, "problems": items}
    if errors:
        body["outcome"] = outcome
    return json.dumps(body, indent=2) + "\n"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def format_github(problems: Sequence[Problem], outcome: str = NOTHING_WRITTEN) -> str:
    lines = []
    for problem in problems:
        where = _where(problem)
        level = "error" if problem.is_error else "warning"
        message = shown(f"{_subject(problem)}{problem.message}")
        position = f",line={where.line},col={where.column}" if where.line else ""
        if problem.related:
            message += f"\nnamed at: {shown(_position(problem.related))}"
        if problem.hint:
            message += f"\nhint: {shown(problem.hint)}"
        lines.append(
            f"::{level} file={_escape_property(shown(where.file))}{position},"
            f"title={_escape_property('gen ' + problem.rule)}::{_escape_data(message)}"
        )
    return "\n".join(lines) + ("\n" if lines else "")


FORMATTERS = {ReportFormat.TEXT: format_text, ReportFormat.JSON: format_json, ReportFormat.GITHUB: format_github}


def format_problems(
    problems: Sequence[Problem], fmt: ReportFormat = ReportFormat.TEXT, outcome: str = NOTHING_WRITTEN
) -> str:
    """`outcome` ends the report when there are errors: what happened to the output tree."""
    return FORMATTERS[fmt](problems, outcome)
