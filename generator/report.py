"""Stage 8, report: problems -> text for people, JSON for tools, annotations for GitHub Actions."""

from __future__ import annotations

import json
from collections.abc import Sequence
from enum import StrEnum

from .problems import Location, Problem, format_path


class ReportFormat(StrEnum):
    TEXT = "text"
    JSON = "json"
    GITHUB = "github"


def _where(problem: Problem) -> Location:
    return problem.location or Location("<profile>", 1, 1)


def _summary(problems: Sequence[Problem]) -> str:
    errors = sum(p.is_error for p in problems)
    warnings = len(problems) - errors
    parts = [f"{errors} error{'s' if errors != 1 else ''}"]
    if warnings:
        parts.append(f"{warnings} warning{'s' if warnings != 1 else ''}")
    tail = "; nothing was written" if errors else ""
    return ", ".join(parts) + tail


def format_text(problems: Sequence[Problem]) -> str:
    lines = []
    for problem in problems:
        where = _where(problem)
        lines.append(
            f"{where.file}:{where.line}:{where.column}: {problem.severity.value}: "
            f"{format_path(problem.path)}: {problem.message} [{problem.rule}]"
        )
        if problem.hint:
            lines.append(f"    hint: {problem.hint}")
    if problems:
        lines.append(_summary(problems))
    return "\n".join(lines) + ("\n" if lines else "")


def format_json(problems: Sequence[Problem]) -> str:
    items = []
    for problem in problems:
        where = _where(problem)
        items.append(
            {
                "file": where.file,
                "line": where.line,
                "column": where.column,
                "path": format_path(problem.path),
                "severity": problem.severity.value,
                "rule": problem.rule,
                "message": problem.message,
                "hint": problem.hint,
            }
        )
    errors = sum(p.is_error for p in problems)
    return json.dumps({"errors": errors, "warnings": len(problems) - errors, "problems": items}, indent=2) + "\n"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def format_github(problems: Sequence[Problem]) -> str:
    lines = []
    for problem in problems:
        where = _where(problem)
        level = "error" if problem.is_error else "warning"
        message = f"{format_path(problem.path)}: {problem.message}"
        if problem.hint:
            message += f"\nhint: {problem.hint}"
        lines.append(
            f"::{level} file={_escape_property(where.file)},line={where.line},col={where.column},"
            f"title={_escape_property('gen ' + problem.rule)}::{_escape_data(message)}"
        )
    return "\n".join(lines) + ("\n" if lines else "")


FORMATTERS = {ReportFormat.TEXT: format_text, ReportFormat.JSON: format_json, ReportFormat.GITHUB: format_github}


def format_problems(problems: Sequence[Problem], fmt: ReportFormat = ReportFormat.TEXT) -> str:
    return FORMATTERS[fmt](problems)
