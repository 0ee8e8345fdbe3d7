"""What must hold at every phase, not only the last: every check of the render pipeline passes on
the phase's state, and the allow/deny decision of every ordered pair (of workspaces, and of
namespaces) is the baseline's.

The checks are the registry's (`checks.CHECKS`), run on the model of each phase as `gen render
--phase N` would run them, so a check added to the registry is enforced per phase as well. A
problem counts against the first phase whose state has it and the previous phase's has not; it is
reported naming that phase, at the phase's item that moved the namespace concerned (else at the
phase's name). Problems the baseline has already are the profile's own, reported as usual.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from ..checks import CHECKS, Check, run_checks
from ..matrix import MatrixEntry, namespace_matrix, workspace_matrix
from ..problems import Problem, ProfilePath, format_path, has_errors
from ..profile.model import Profile
from ..profile.model_migration import Phase
from ..checks.migration import phases_move_sidecar_namespaces
from .state import phase_moves, phases_of, state_at

Matrix = Callable[[Profile], list[MatrixEntry]]
MATRICES: tuple[tuple[str, Matrix], ...] = (("workspaces", workspace_matrix), ("namespaces", namespace_matrix))

ProblemKey = tuple[str, str, ProfilePath, str]


def _key(problem: Problem) -> ProblemKey:
    return (problem.rule, problem.message, problem.path, problem.severity.value)


def _where(profile: Profile, phase: Phase, path: ProfilePath) -> ProfilePath:
    """The phase's item that moved the namespace entry `path` lies in, else the phase's name."""
    for item, (cluster, name) in phase_moves(profile, phase):
        for namespace in profile.namespaces:
            if namespace.name == name and cluster in namespace.clusters and path[: len(namespace.path)] == namespace.path:
                return item.path
    return (*phase.path, "name")


def _phase_problem(profile: Profile, number: int, phase: Phase, problem: Problem) -> Problem:
    return Problem(
        f"phase {number} '{phase.name}': {problem.message}",
        problem.rule,
        _where(profile, phase, problem.path),
        (f"{problem.hint}; " if problem.hint else "")
        + f"found on the state after this phase (`gen render --phase {number}`), at {format_path(problem.path)}",
        problem.severity,
    )


def _decisions(entries: Iterable[MatrixEntry]) -> dict[tuple[str, str], MatrixEntry]:
    return {(entry.source, entry.target): entry for entry in entries}


def _pair_problem(number: int, phase: Phase, level: str, before: MatrixEntry, after: MatrixEntry) -> Problem:
    return Problem(
        f"phase {number} '{phase.name}' changes who may call whom ({level}): {after.source} -> {after.target} "
        f"is {before.decision.value} before the migration ({before.decided_by}), {after.decision.value} after "
        f"this phase ({after.decided_by})",
        "matrix-changed",
        (*phase.path, "name"),
        "a phase must leave every allow and deny as the baseline has it (`gen matrix`); change the security "
        "settings in a change of their own, before or after the migration",
    )


def phase_problems(
    profile: Profile, checks: Sequence[Check] = CHECKS, matrices: Sequence[tuple[str, Matrix]] = MATRICES
) -> list[Problem]:
    """Every problem a phase brings; none when the phases' references are broken (those problems
    are checks/migration.py's)."""
    phases = phases_of(profile)
    if not phases or has_errors(list(phases_move_sidecar_namespaces(profile))):
        return []
    baseline = state_at(profile, 0)
    previous = {_key(problem) for problem in run_checks(baseline, checks)}
    before = [(level, _decisions(matrix(baseline))) for level, matrix in matrices]
    changed_before: set[tuple[str, str, str]] = set()
    problems: list[Problem] = []
    for number, phase in enumerate(phases, 1):
        state = state_at(profile, number)
        found = run_checks(state, checks)
        problems += [_phase_problem(profile, number, phase, p) for p in found if _key(p) not in previous]
        previous = {_key(problem) for problem in found}
        changed_now: set[tuple[str, str, str]] = set()
        for (level, baseline_decisions), (_, matrix) in zip(before, matrices):
            for pair, after in _decisions(matrix(state)).items():
                old = baseline_decisions.get(pair)
                if old is None or old.decision is after.decision:
                    continue
                changed_now.add((level, *pair))
                if (level, *pair) not in changed_before:
                    problems.append(_pair_problem(number, phase, level, old, after))
        changed_before = changed_now
    return problems
