"""The migration as a sequence of Git states: the baseline, then each phase's steps.

A phase is not one commit. Each namespace it moves goes through up to three states, each safe to
sync and to hold for days (Istio's order for explicit waypoints, DESIGN 5b):

- `prepare`: still on sidecars; its explicit waypoint is deployed and the `istio.io/use-waypoint`
  labels set, and the policies that will move to the waypoint are added beside the selector ones
  (`<name>-waypoint` on `targetRefs`, the `-ztunnel` companions; a selector DENY that moves exempts
  the waypoint). The sidecars enforce what they enforced before.
- `move`: labelled ambient (injection removed); the engine restarts the pods. Old pods are still
  sidecars and keep their selector policies; new pods are captured by ztunnel, and their traffic
  crosses the waypoint, which already enforces the moved policies.
- `cleanup`: the selector policies ztunnel cannot enforce (L7, CUSTOM) and the `-waypoint` copies are
  removed: the phase's settled state, what `gen render --phase N` renders.

A step that changes nothing in the namespaces' folders is no step: a phase of namespaces without
waypoints or policies to move is one `move`. Positions are written `baseline`, `<phase>` (the phase
done: its last step) or `<phase>/<step>`; `migration.at` holds where the estate stands, and `--phase`
takes the same words (or a phase's number).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from posixpath import join as join_path

from ..plan import plan
from ..plan.outputs import Output
from ..policies.load import LoadedPolicies
from ..problems import Problem, ProfilePath
from ..profile.model import Profile
from ..profile.model_migration import BASELINE, Stage
from .state import Placement, phase_folder, phase_moves, phases_of, staged_state, state_at


class Step(StrEnum):
    PREPARE = "prepare"
    MOVE = "move"
    CLEANUP = "cleanup"


STEPS = (Step.PREPARE, Step.MOVE, Step.CLEANUP)


@dataclass(frozen=True, order=True)
class Position:
    """A Git state of the migration: phase 0 is the baseline (no step); phase N's steps follow."""

    phase: int
    step: Step | None = None

    def text(self, profile: Profile) -> str:
        if self.phase == 0:
            return BASELINE
        return f"{phases_of(profile)[self.phase - 1].name}/{self.step}"

    def folder(self, profile: Profile, steps: tuple[Step, ...]) -> str:
        """`00-baseline`, `01-client` (a phase of one step), `03-bookinfo/2-move`, ..."""
        top = phase_folder(self.phase, profile)
        if self.step is None or len(steps) == 1:
            return top
        return f"{top}/{steps.index(self.step) + 1}-{self.step}"


def state_of(profile: Profile, position: Position) -> Profile:
    """The estate at `position`, a plain profile (no `migration:`) for checks and planners."""
    if position.phase == 0 or position.step is Step.CLEANUP:
        return state_at(profile, position.phase)
    stage = Stage.PREPARE if position.step is Step.PREPARE else Stage.MOVE
    return staged_state(profile, position.phase, stage)


def namespace_directory(placement: Placement) -> str:
    return join_path("clusters", placement[0], "namespaces", placement[1])


def _planned(state: Profile, policies: LoadedPolicies, placements: list[Placement]) -> list[Output]:
    folders = tuple(namespace_directory(placement) + "/" for placement in placements)
    return [output for output in plan(state, {}, policies).outputs if output.path.startswith(folders)]


def _same(a: list[Output], b: list[Output]) -> bool:
    return [(o.path, o.context) for o in a] == [(o.path, o.context) for o in b]


# What the last (profile, policies) asked for plans, by phase and step: finding a phase's steps and
# listing what each changes (PHASE.md) plan the same states, and the pipeline, the plan tree and
# PHASE.md all ask for the same profile.
_last: list[tuple[Profile, LoadedPolicies, dict[tuple[int, Position], list[Output]]]] = []


def _namespace_outputs(profile: Profile, policies: LoadedPolicies, number: int, position: Position) -> list[Output]:
    """The outputs of the folders of the namespaces phase `number` moves, at `position`."""
    for seen, seen_policies, found in _last:
        if seen is profile and seen_policies is policies:
            break
    else:
        found = {}
        _last[:] = [(profile, policies, found)]
    key = (number, position)
    if key not in found:
        placements = [placement for _, placement in phase_moves(profile, phases_of(profile)[number - 1])]
        found[key] = _planned(state_of(profile, position), policies, placements)
    return found[key]


def _settled(number: int) -> Position:
    """Phase `number` done (0: the baseline)."""
    return Position(number, Step.CLEANUP) if number else Position(0)


def steps_of(profile: Profile, number: int, policies: LoadedPolicies) -> tuple[Step, ...]:
    """The steps of phase `number` (at least 1) that change the namespaces' folders."""
    def outputs(position: Position) -> list[Output]:
        return _namespace_outputs(profile, policies, number, position)

    before, cleanup = outputs(_settled(number - 1)), outputs(_settled(number))
    prepare, move = outputs(Position(number, Step.PREPARE)), outputs(Position(number, Step.MOVE))
    steps = [Step.MOVE]
    if not _same(prepare, before):
        steps.insert(0, Step.PREPARE)
    if not _same(cleanup, move):
        steps.append(Step.CLEANUP)
    return tuple(steps)


def positions(profile: Profile, policies: LoadedPolicies) -> Iterator[Position]:
    """Every Git state of the migration, in order."""
    yield Position(0)
    for number in range(1, len(phases_of(profile)) + 1):
        for step in steps_of(profile, number, policies):
            yield Position(number, step)


def last_step(profile: Profile, number: int, policies: LoadedPolicies) -> Position:
    return Position(number, steps_of(profile, number, policies)[-1]) if number else Position(0)


def _phase_number(profile: Profile, word: str) -> int | None:
    if word == BASELINE:
        return 0
    if word.isdigit() and word.isascii():
        number = int(word)
        return number if number <= len(phases_of(profile)) else None
    names = [phase.name for phase in phases_of(profile)]
    return names.index(word) + 1 if word in names else None


def _choices(profile: Profile, policies: LoadedPolicies) -> str:
    """Every position as `migration.at` writes it: a phase's last step by the phase's name."""
    words = [BASELINE]
    for number, phase in enumerate(phases_of(profile), 1):
        steps = steps_of(profile, number, policies)
        words += [f"{phase.name}/{step}" for step in steps[:-1]] + [phase.name]
    return ", ".join(words)


def resolve_position(profile: Profile, text: str | None, policies: LoadedPolicies) -> Position | Problem:
    """Where `text` (`--phase`; None: `migration.at`) puts the estate; a located problem if the
    migration has no such phase or step."""
    where = "--phase"
    path: ProfilePath = ("migration", "phases")
    if text is None:
        if profile.migration is None:
            return Position(0)
        text, path = profile.migration.at, ("migration", "at")
        where = "the migration's position"
    if profile.migration is None:
        if text in (BASELINE, "0"):
            return Position(0)
        return Problem(f"{where} {text}: the profile has no `migration:`, only its state as written (baseline)",
                       "phase", (), "leave --phase out, or add `migration.phases`")
    word, _, step_text = text.partition("/")
    number = _phase_number(profile, word)
    count = len(phases_of(profile))
    if number is None or (number == 0 and step_text):
        return Problem(f"{where} {text}: the migration has no such phase (phases 0, the baseline, to {count})",
                       "phase", path, f"write one of: {_choices(profile, policies)}; or a phase's number")
    if not step_text:
        return last_step(profile, number, policies)
    steps = steps_of(profile, number, policies)
    if step_text not in [step.value for step in steps]:
        return Problem(f"{where} {text}: phase '{word}' has no step '{step_text}' (its steps: {', '.join(steps)})",
                       "phase", path, "a step that would change nothing is left out; write one of: "
                       f"{_choices(profile, policies)}")
    return Position(number, Step(step_text))


@dataclass(frozen=True)
class Changes:
    """What a step changes in the namespaces' folders, by file (`<cluster>/<namespace>/<file>`)."""

    added: tuple[str, ...]
    changed: tuple[str, ...]
    removed: tuple[str, ...]


def _files(profile: Profile, policies: LoadedPolicies, number: int, position: Position) -> dict[str, object]:
    return {output.path.removeprefix("clusters/").replace("/namespaces/", "/", 1): output.context
            for output in _namespace_outputs(profile, policies, number, position)}


def step_changes(profile: Profile, position: Position, policies: LoadedPolicies) -> Changes:
    """The files `position` adds, changes and removes against the step before it."""
    steps = steps_of(profile, position.phase, policies)
    index = steps.index(position.step) if position.step in steps else 0
    previous = Position(position.phase, steps[index - 1]) if index else _settled(position.phase - 1)
    before = _files(profile, policies, position.phase, previous)
    after = _files(profile, policies, position.phase, position)
    return Changes(
        tuple(path for path in after if path not in before),
        tuple(path for path in after if path in before and before[path] != after[path]),
        tuple(path for path in before if path not in after),
    )
