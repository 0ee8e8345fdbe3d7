"""`gen matrix` output: a table for people, a JSON list of `{from, to, decision, decidedBy}` for tools."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from enum import StrEnum

from .matrix import Decision, MatrixEntry


class MatrixFormat(StrEnum):
    TEXT = "text"
    JSON = "json"


HEADINGS = ("FROM", "TO", "DECISION", "DECIDED BY")


def format_matrix_text(entries: Sequence[MatrixEntry], title: str) -> str:
    rows = [HEADINGS, *((e.source, e.target, e.decision.value, e.decided_by) for e in entries)]
    widths = [max(len(row[column]) for row in rows) for column in range(3)]
    lines = [title]
    for row in rows:
        lines.append("  ".join(cell.ljust(width) for cell, width in zip(row, widths)) + "  " + row[3])
    counts = Counter(entry.decision for entry in entries)
    totals = [f"{counts[decision]} {decision.value}" for decision in Decision if counts[decision]]
    lines.append(", ".join(totals) or "no pairs")
    return "\n".join(lines) + "\n"


def format_matrix_json(entries: Sequence[MatrixEntry]) -> str:
    return json.dumps([entry.record() for entry in entries], indent=2) + "\n"


def format_matrix(entries: Sequence[MatrixEntry], fmt: MatrixFormat, title: str) -> str:
    return format_matrix_text(entries, title) if fmt is MatrixFormat.TEXT else format_matrix_json(entries)
