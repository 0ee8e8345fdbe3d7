"""The stages chained: profile file -> rendered files, or every problem at once.

load -> validate -> resolve -> check -> plan -> render, all in memory. Writing is a separate step
(`write.write_tree`) so that nothing touches the disk unless the whole profile renders.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import Literal

from .checks import CHECKS, Check, run_checks
from .mesh import forget_meshes
from .kit.active import activate
from .kit.checks import kit_problems
from .kit.load import load_kit
from .kit.settings import missing_problems, settings_problems
from .checks.policies import policy_problems
from .policies.load import load_policies
from .migration.invariant import phase_problems
from .migration.simulate import rollout_problems
from .migration.steps import Position, resolve_position, state_of
from .profile.load import LoadedProfile, load_profile
from .graph.readme import Estate
from .plan import Plan, output_collisions, plan
from .problems import Problem, ProfileError, ProfilePath, has_errors
from .profile.model import Profile
from .output.render import RenderedFile
from .profile.resolve import resolve
from .profile.values import LoadedValues, load_values
from .output.batch import render_all
from .output.cache import RenderCache
from .output.guard import WriteError
from .output.layering import layering_problems
from .output.ledger import Ledger, ledger_stamp, parsed, read_ledger
from .profile.validate import validate
from .secrets.gate import gate_problems
from .secrets.profile import profile_secrets


@dataclass(frozen=True)
class RenderResult:
    profile: str
    sources: tuple[str, ...]  # the files the profile names (Plan.sources), for the inputs' fingerprint
    files: Sequence[RenderedFile]  # RenderedFiles (output/held.py), in path order
    warnings: tuple[Problem, ...]
    keys: Mapping[str, str] = field(default_factory=dict)  # path -> render cache key
    # The tree's ledger as rendering found it, for the change set ("unread": not read yet).
    previous: Ledger | None | Literal["unread"] = "unread"


def _locate_one(problem: Problem, loaded: LoadedProfile) -> Problem:
    if problem.location is None:
        return problem.located(loaded.source_map.locate(problem.path, problem.at_key))
    if problem.related is None and problem.path and problem.location.file != loaded.file:
        # A problem in a file the profile names: say where the profile names it, too.
        return replace(problem, related=loaded.source_map.locate(problem.path, problem.at_key))
    return problem


def _locate(problems: list[Problem], loaded: LoadedProfile) -> list[Problem]:
    located = [_locate_one(problem, loaded) for problem in problems]
    def order(problem: Problem) -> tuple[bool, str, int, int]:
        where = problem.location
        if where is None:
            return (False, "", 0, 0)
        return (where.file != loaded.file, where.file, where.line, where.column)  # the profile's first

    return sorted(located, key=order)


def check_profile(
    path: Path, display_name: str | None = None, phase: str | None = None, folders: bool = True
) -> tuple[LoadedProfile, Plan | None, list[Problem]]:
    """Load, validate, resolve, check and plan; problems come back located and sorted. With
    `migration:`, every phase and step is checked too, and the plan is of `phase` (`--phase`: a
    position, migration/steps.py; None: where `migration.at` says the estate stands). `folders`:
    check the namespace folders' outputs for collisions too (a render does, as it makes them)."""
    loaded = load_profile(path, display_name)
    kit, kit_errors = load_kit(loaded.data, path.parent, loaded.file)
    activate(kit)  # the catalog, templates and validator of this profile (kit/active.py)
    if kit_errors:  # what the profile says of kit apps and outputs cannot be checked without the kit
        return loaded, None, _locate([*loaded.problems, *kit_errors], loaded)
    problems = [*loaded.problems, *validate(loaded.data, loaded.source_map.raw_text)]
    problems += settings_problems(loaded.data, kit)
    planned = None
    if not has_errors(problems):
        problems += loaded_secrets(loaded)[0]
        profile = resolve(loaded.data, path.parent)
        problems += run_checks(profile) + kit_problems(profile, kit)
        policies, found = load_policies(profile)
        problems += [*found, *policy_problems(profile, policies)]
        # Every phase passes every check, the policy checks on the policies loaded here included.
        checks: tuple[Check, ...] = (*CHECKS, partial(policy_problems, policies=policies),
                                     partial(missing_problems, kit=kit))
        problems += phase_problems(profile, checks)
        base_values = {}
        for ref in profile.base_value_refs:
            values, found = load_values(ref)
            problems += found
            if values is not None:
                base_values[ref] = values
        position = Position(0)  # with errors, the profile as written
        if not has_errors(problems):  # else the phases' states may not be ones gen can plan
            problems += rollout_problems(profile, policies)
            resolved = resolve_position(profile, phase, policies)
            if isinstance(resolved, Problem):
                return loaded, None, _locate([*problems, resolved], loaded)
            position = resolved
        planned = plan(state_of(profile, position), base_values, policies, Estate(profile, position, policies))
        problems += output_collisions(planned, folders) + layering_problems(planned)
    return loaded, planned, _locate(problems, loaded)


def render_profile(
    path: Path,
    display_name: str | None = None,
    phase: str | None = None,
    out: Path | None = None,
    ledgers: Mapping[Path, Ledger] | None = None,
    claim: Callable[[Path], bool] | None = None,
) -> RenderResult:
    """Every file the profile renders (as of `phase`, default `migration.at`); raises ProfileError with
    all problems if it is invalid. With `out`, files the tree there provably holds already are
    read back instead of rendered (output/cache.py); `ledgers` are those read already, by root.
    `claim` is called with the tree's root before it is read (it may lock it, or forbid reading it)."""
    loaded, planned, problems = check_profile(path, display_name, phase, folders=False)
    if planned is None or has_errors(problems):
        raise ProfileError(problems)
    name = planned.profile
    root = out / name if out is not None else None
    cache = _cache(root, ledgers or {}) if root is not None and (claim is None or claim(root)) else None
    gate = GatePlan.of(planned)
    rendered = render_all(planned, cache, let_go=forget_placed)
    if rendered.problems:
        problems = [*problems, *_locate(rendered.problems, loaded)]
        if has_errors(problems):
            raise ProfileError(problems)
    leaks = secret_gate(path, loaded, rendered.files, str(root) if root is not None else name, gate)
    if leaks:
        raise ProfileError([*problems, *leaks])
    previous: Ledger | None | Literal["unread"] = cache.ledger if cache is not None else "unread"
    forget_estate()
    return RenderResult(name, gate.sources, rendered.files, tuple(problems), rendered.keys, previous)


def forget_placed() -> None:
    """Let go of the meshes: once the plan is made, only the estate's README and verify scripts ask
    for them (rendered in a worker, where one is used)."""
    forget_meshes()


def forget_estate() -> None:
    """Let go of what the stages kept of the last profile (its meshes, its apps placed in each
    namespace, its secrets) so that each could ask once: once its files are rendered and gated,
    nothing asks again, and a large estate's writing needs the room."""
    forget_placed()
    _secrets_of.clear()


@dataclass(frozen=True)
class GatePlan:
    """What the secret gate needs of a plan: the live values merged into files (their paths, judged
    whole), the files the profile names, and the plan, which says what profile entry made each
    file (asked only where the gate finds a secret)."""

    bases: tuple[LoadedValues, ...] = ()
    whole: frozenset[str] = frozenset()
    sources: tuple[str, ...] = ()
    plan: Plan | None = None

    @classmethod
    def of(cls, plan: Plan) -> GatePlan:
        # Values merged into live ones are planned with the plan: no namespace folder holds them.
        merged = [(output.path, base) for output in plan.planned() if (base := output.context.merge_base()) is not None]
        return cls(tuple(base for _, base in merged), frozenset(path for path, _ in merged), plan.sources, plan)


def secret_gate(
    path: Path, loaded: LoadedProfile, files: Sequence[RenderedFile], root: str, gate: GatePlan = GatePlan()
) -> list[Problem]:
    """The last gate before anything is written (secrets/gate.py): an error, located at its input
    line, for each secret the rendered `files` would put into Git (`gate` is what it needs of the
    plan)."""
    named = dict.fromkeys([*(Path(base.ref.file) for base in gate.bases), *_policy_files(path.parent, gate.sources)])
    sources = [(path, loaded.file), *((file, str(file)) for file in named)]
    allowed = {*loaded_secrets(loaded)[1], *(kept for base in gate.bases for kept in base.kept)}
    problems = gate_problems(files, root, sources, _MadeBy(gate.plan), whole=gate.whole, allowed=allowed)
    return _locate(problems, loaded)


class _MadeBy(Mapping[str, ProfilePath]):
    """path -> the profile entry that made the file, looked up in the plan only where the gate
    finds a secret."""

    def __init__(self, plan: Plan | None) -> None:
        self._plan = plan

    def __getitem__(self, path: str) -> ProfilePath:
        output = self._plan.output_at(path) if self._plan is not None else None
        if output is None:
            raise KeyError(path)
        return output.source

    def __iter__(self) -> Iterator[str]:
        return (output.path for output in (self._plan.outputs if self._plan is not None else ()))

    def __len__(self) -> int:
        return len(self._plan.outputs) if self._plan is not None else 0


# The profile's own secrets, for the profile last asked about: checking it and gating its output both
# need them, and walking the profile costs as much as a check.
_secrets_of: list[tuple[LoadedProfile, tuple[list[Problem], tuple[str, ...]]]] = []


def loaded_secrets(loaded: LoadedProfile) -> tuple[list[Problem], tuple[str, ...]]:
    for seen, found in _secrets_of:
        if seen is loaded:
            return found
    found = profile_secrets(loaded.data)
    _secrets_of[:] = [(loaded, found)]
    return found


def _policy_files(directory: Path, sources: Sequence[str]) -> list[Path]:
    """The policy files the profile names, where a secret in a rendered policy would come from."""
    named = [directory / source for source in sources]
    return sorted(file for source in named for file in ([source] if source.is_file() else source.rglob("*.y*ml"))
                  if file.is_file())


def _cache(root: Path, ledgers: Mapping[Path, Ledger]) -> RenderCache | None:
    try:
        ledger = ledgers.get(root)
        if ledger is not None:
            ledger = parsed(ledger)  # the no-change path may have read it without parsing it
        if ledger is None or ledger.stamp != ledger_stamp(root):  # none yet, or rewritten since it was read
            ledger = read_ledger(root)
    except WriteError:
        return None  # not a ledger gen can read: the writer reports it
    return RenderCache(root, ledger) if ledger is not None else None


def checked_model(path: Path, display_name: str | None = None) -> tuple[Profile, tuple[Problem, ...]]:
    """The resolved model of a profile that would render, and its warnings; raises ProfileError
    with every problem, as `render_profile` does, if the profile is invalid."""
    loaded, planned, problems = check_profile(path, display_name)
    if planned is None or has_errors(problems):
        raise ProfileError(problems)
    return resolve(loaded.data, path.parent), tuple(problems)
