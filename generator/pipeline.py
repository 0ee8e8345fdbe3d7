"""The stages chained: profile file -> rendered files, or every problem at once.

load -> validate -> resolve -> check -> plan -> render, all in memory. Writing is a separate step
(`write.write_tree`) so that nothing touches the disk unless the whole profile renders.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .checks import run_checks
from .profile.load import LoadedProfile, load_profile
from .plan import Plan, output_collisions, plan
from .problems import Problem, ProfileError, has_errors
from .profile.model import Profile
from .output.render import RenderedFile, render
from .profile.resolve import resolve
from .profile.validate import validate


@dataclass(frozen=True)
class RenderResult:
    profile: str
    plan: Plan
    files: tuple[RenderedFile, ...]
    warnings: tuple[Problem, ...]


def _locate(problems: list[Problem], loaded: LoadedProfile) -> list[Problem]:
    located = [
        problem if problem.location else problem.located(loaded.source_map.locate(problem.path, problem.at_key))
        for problem in problems
    ]
    return sorted(located, key=lambda p: (p.location.line, p.location.column) if p.location else (0, 0))


def check_profile(path: Path, display_name: str | None = None) -> tuple[LoadedProfile, Plan | None, list[Problem]]:
    """Load, validate, resolve, check and plan; problems come back located and sorted."""
    loaded = load_profile(path, display_name)
    problems = [*loaded.problems, *validate(loaded.data, loaded.source_map.raw_text)]
    planned = None
    if not has_errors(problems):
        profile = resolve(loaded.data)
        problems += run_checks(profile)
        planned = plan(profile)
        problems += output_collisions(planned)
    return loaded, planned, _locate(problems, loaded)


def render_profile(path: Path, display_name: str | None = None) -> RenderResult:
    """Every file the profile renders; raises ProfileError with all problems if it is invalid."""
    _, planned, problems = check_profile(path, display_name)
    if planned is None or has_errors(problems):
        raise ProfileError(problems)
    files = tuple(render(planned))
    return RenderResult(planned.profile, planned, files, tuple(problems))


def checked_model(path: Path, display_name: str | None = None) -> tuple[Profile, tuple[Problem, ...]]:
    """The resolved model of a profile that would render, and its warnings; raises ProfileError
    with every problem, as `render_profile` does, if the profile is invalid."""
    loaded, planned, problems = check_profile(path, display_name)
    if planned is None or has_errors(problems):
        raise ProfileError(problems)
    return resolve(loaded.data), tuple(problems)
