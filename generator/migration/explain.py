"""`gen plan --explain`: the rollout simulator's table, one row per call, one column per step.

Each cell is the outcome at that step once it has settled, with who decided it; the moments while a
step syncs (old and new pods, objects not yet pruned, the step back in Git) were checked as well, and
the table says how many. Only calls to namespaces with policies are listed: the rest are decided by
TSB's rules alone (`gen matrix`)."""

from __future__ import annotations

import json
from dataclasses import dataclass

from ..policies.load import LoadedPolicies
from ..profile.model import Profile
from .simulate import Call, Outcome, calls, moments, outcomes
from .steps import Position


@dataclass(frozen=True)
class Row:
    call: Call
    cells: tuple[Outcome, ...]  # one per position


def explain(profile: Profile, policies: LoadedPolicies) -> tuple[list[str], list[Row], int]:
    """(the positions, the rows, how many moments were decided in all)."""
    columns: list[Position] = []
    settled: list[dict[Call, Outcome]] = []
    count = 0
    for moment in moments(profile, policies):
        count += 1
        if moment.label != "settled":
            continue
        columns.append(moment.position)
        settled.append({call: next(outcomes(moment.world, call, moment.tsb))[2]
                        for call in calls(moment.world, policies)})
    order = list(settled[0]) if settled else []
    rows = [Row(call, tuple(found[call] for found in settled if call in found)) for call in order]
    return [position.text(profile) for position in columns], rows, count


def _cell(outcome: Outcome) -> str:
    return f"{outcome.outcome}: {outcome.component}" + (f" [{outcome.policy}]" if outcome.policy else "")


def explain_text(profile: Profile, policies: LoadedPolicies, fmt: str = "text") -> str:
    names, rows, count = explain(profile, policies)
    if fmt == "json":
        records = [{"cluster": row.call.cluster, "call": row.call.text(),
                    "steps": {name: {"outcome": cell.outcome, "decidedBy": cell.component, "policy": cell.policy}
                              for name, cell in zip(names, row.cells)}} for row in rows]
        return json.dumps({"steps": names, "moments": count, "calls": records}, indent=2) + "\n"
    if not rows:
        return "no namespace of the profile has policies: TSB's rules alone decide every call (`gen matrix`)\n"
    lines = [f"steps: {', '.join(names)}",
             f"{len(rows)} calls decided at {count} moments (each step settled, while it syncs, and rolled back); "
             "every one as the baseline decides it", ""]
    for row in rows:
        if len(set(row.cells)) == 1:
            lines.append(f"{row.call.cluster}: {row.call.text()}: at every step {_cell(row.cells[0])}")
            continue
        lines.append(f"{row.call.cluster}: {row.call.text()}")
        lines += [f"  {name:<24} {_cell(cell)}" for name, cell in zip(names, row.cells)]
    return "\n".join(lines) + "\n"
