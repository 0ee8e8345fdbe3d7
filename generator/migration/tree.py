"""`gen plan`: the migration as a tree of its own, `out/<profile>/migration/`, one folder per phase
(`00-baseline`, `01-<name>`, ...) with its PHASE.md and one folder per step (`1-prepare`, `2-move`,
`3-cleanup`: migration/steps.py). Each step's folder holds the namespaces' folders exactly as `gen
render --phase <phase>/<step>` writes them under `clusters/<cluster>/namespaces/`, policies included.

The tree has its own ledger (`migration/.gen/manifest.json`) and is written by the same writer as
every tree (output/: ledger, staged writes, `--check`, `--diff`); `gen render` carries it over
untouched (output/nested.py).
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path, PurePosixPath

from ..checks import CHECKS
from ..matrix import namespace_matrix, workspace_matrix
from ..output.guard import WriteError, check_output_root
from ..output.ledger import source_of
from ..output.lock import tree_lock
from ..output.tree_root import tree_root_problems
from ..graph.verify import verify_outputs
from ..kit.active import active_kit
from ..kit.rules import rule_problems
from ..output.render import KitRenderFailure, RenderedFile, render
from ..pipeline import checked_model, secret_gate
from ..profile.load import load_profile
from ..plan import Plan, plan
from ..policies.load import LoadedPolicies, load_policies
from ..problems import Location, Problem, ProfileError, has_errors
from ..profile.model import Profile
from ..tree import Mode, Outcome, Status, settle
from ..validation.embedded import active_validator
from ..validation.trace import rendered_problems
from .document import phase_document
from .markdown import markdown_environment
from .state import phase_folder, phase_moves, phases_of
from .explain import explain_text
from .steps import Position, positions, state_of, steps_of

MIGRATION = "migration"
DOCUMENT = "PHASE.md"


def _namespace_file(path: str) -> bool:
    """`clusters/<cluster>/namespaces/<namespace>/...`: a namespace's folder."""
    parts = PurePosixPath(path).parts
    return len(parts) > 4 and parts[0] == "clusters" and parts[2] == "namespaces"


def step_files(profile: Profile, position: Position, policies: LoadedPolicies) -> list[RenderedFile]:
    """The namespaces' files at `position`, as `gen render --phase <position>` renders them."""
    state = state_of(profile, position)
    outputs = (*(output for output in plan(state, {}, policies).outputs if _namespace_file(output.path)),
               *verify_outputs(state))  # each Git state's checks, run once it has synced
    step_plan = Plan(profile.name, outputs)
    try:
        files = render(step_plan)  # with the profile's kits, as a render (kit/active.py)
    except KitRenderFailure as failure:
        raise ProfileError([failure.problem]) from None
    kit = active_kit()
    findings = rendered_problems(step_plan, files, active_validator())
    findings += [problem for output, file in zip(outputs, files)
                 for problem in rule_problems(kit, output, file.path, file.text, file.document)]
    if has_errors(findings):
        raise ProfileError(findings)
    return files


def migration_files(profile: Profile, profile_file: str, policies: LoadedPolicies) -> list[RenderedFile]:
    environment = markdown_environment()
    files = []
    for position in positions(profile, policies):
        steps = steps_of(profile, position.phase, policies) if position.phase else ()
        folder = position.folder(profile, steps)
        found = step_files(profile, position, policies)
        files += [file.moved(f"{folder}/{file.path}") for file in found]
        if position.step in (None, steps[0] if steps else None):
            context = phase_document(profile, position.phase, profile_file, policies)
            text = environment.get_template(context.template).render(context.variables())
            files.append(RenderedFile(f"{phase_folder(position.phase, profile)}/{DOCUMENT}", text))
    return files


def shown_path(profile_file: Path) -> str:
    """How PHASE.md's commands name the profile: relative to the root of the Git repository that holds
    it (where those commands run, and the same wherever the repository lies), else by its file name."""
    resolved = profile_file.resolve()
    for folder in resolved.parents:
        if (folder / ".git").exists():
            return resolved.relative_to(folder).as_posix()
    return profile_file.name


def _no_migration(profile_path: Path) -> Problem:
    return Problem(
        "the profile has no `migration:`: there is nothing to plan",
        "no-migration",
        hint="add `migration.phases`: ordered groups of sidecar namespaces to move to ambient (see README, Migration)",
        location=Location(str(profile_path), 1, 1),
    )


def plan_tree(
    profile_path: Path, out: Path, mode: Mode = Mode.WRITE, force: bool = False,
    waiting: Callable[[str], None] | None = None,
) -> Outcome:
    unsafe = check_output_root(out)
    try:
        profile, warnings = checked_model(profile_path)
        if profile.migration is None:
            raise ProfileError([*warnings, _no_migration(profile_path)])
        policies, _ = load_policies(profile)
        files = migration_files(profile, shown_path(profile_path), policies)
    except ProfileError as error:
        return Outcome(Status.INVALID, [*error.problems, *unsafe])
    root = out / profile.name / MIGRATION
    leaks = secret_gate(profile_path, load_profile(profile_path), files, str(root))
    if leaks:
        return Outcome(Status.INVALID, [*warnings, *leaks, *unsafe])
    # The plan lies inside the render's tree: a link or a file there is refused as for the render.
    unsafe = unsafe or check_output_root(root, profile_path) or tree_root_problems(root.parent, force=True)
    if unsafe:
        return Outcome(Status.INVALID, [*warnings, *unsafe])
    with ExitStack() as held:
        if mode is Mode.WRITE:  # one lock for the render's tree and the plan's inside it
            try:
                held.enter_context(tree_lock(root.parent, waiting))
            except WriteError as error:
                return Outcome(Status.INVALID, [*warnings, *error.problems])
        outcome = settle(
            root, profile.name, files, source_of(profile_path), mode, force, list(warnings),
            differs=f"differs from the plan of {profile_path}", done=f"planned the migration of profile '{profile.name}'",
        )
    if outcome.status is Status.OK and mode is Mode.WRITE:
        return outcome.replaced(summary=f"{outcome.summary}\n{_overview(profile)}")
    return outcome


def explain_plan(profile_path: Path, fmt: str) -> tuple[Outcome, str | None]:
    """`gen plan --explain`: the simulator's table (None, and the problems, if the profile is invalid)."""
    try:
        profile, warnings = checked_model(profile_path)
        if profile.migration is None:
            raise ProfileError([*warnings, _no_migration(profile_path)])
    except ProfileError as error:
        return Outcome(Status.INVALID, list(error.problems)), None
    policies, _ = load_policies(profile)
    return Outcome(Status.OK, list(warnings)), explain_text(profile, policies, fmt)


def _overview(profile: Profile) -> str:
    """One line per phase, and what was proven at each."""
    phases = phases_of(profile)
    lines = [f"  {phase_folder(0, profile):<16} the profile as written"]
    for number, phase in enumerate(phases, 1):
        moved = ", ".join(f"{cluster}/{name}" for _, (cluster, name) in phase_moves(profile, phase))
        lines.append(f"  {phase_folder(number, profile):<16} to ambient: {moved}")
    lines.append(
        f"every phase passes the {len(CHECKS)} checks of the render and keeps the decision of each of "
        f"{len(workspace_matrix(profile))} workspace pairs and {len(namespace_matrix(profile))} namespace pairs"
    )
    return "\n".join(lines)
