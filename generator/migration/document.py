"""PHASE.md: what a phase changes, the commands, the checks with what they should show, the calls
the matrix predicts, and the rollback. One typed context per phase (`PhaseDocumentContext`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from ..matrix import MatrixEntry, namespace_matrix
from ..mesh import WaypointOwner, meshes
from ..plan.controlplane import cni_namespace
from ..plan.delivery import DELIVERY_DIR
from ..plan.namespaces import namespace_labels
from ..plan.outputs import TemplateContext
from ..policies.load import LoadedPolicies
from ..profile.model import Dataplane, DeliveryEngine, Profile
from .commands import Command, label_command, restart_command
from .markdown import SHELL_SAFE, ShellConstant
from .probes import Call, Pod, calls, expects_waypoint, placed, pods
from .state import Placement, phase_folder, phase_moves, phases_of, state_at
from .steps import Position, Step, step_changes, state_of, steps_of


@dataclass(frozen=True)
class NamespaceStep:
    namespace: str
    label: Command | None  # None: the labels do not change (phase 0)
    restart: Command
    pods: tuple[Pod, ...]
    waypoint: bool  # TSB deploys its managed waypoint here


@dataclass(frozen=True)
class ClusterPart:
    cluster: str
    istio_namespace: str
    cni_namespace: str
    ambient: bool
    steps: tuple[NamespaceStep, ...]
    calls: tuple[Call, ...]


@dataclass(frozen=True)
class Pair:
    source: str
    target: str
    decision: str
    decided_by: str


@dataclass(frozen=True)
class Gateway:
    namespace: str
    name: str


@dataclass(frozen=True)
class StepPart:
    """One Git state of the phase: what `migration.at` says for it, what it changes, how to undo it."""

    number: int
    name: str  # prepare | move | cleanup
    folder: str  # 1-prepare, ...; "" for a phase of one step (its files are in the phase's folder)
    at: str  # `migration.at` for this step
    previous_at: str  # for the step before it (the rollback)
    added: tuple[str, ...]
    changed: tuple[str, ...]
    removed: tuple[str, ...]
    waypoints: tuple[Gateway, ...]  # gen's waypoints that must be Programmed before the next step
    restarts: bool  # the pods change dataplane: a rollback restarts them again


@dataclass(frozen=True)
class Engine:
    """The commands that stop and restart the GitOps engine `delivery:` names."""

    name: str  # Argo CD | Flux | your GitOps engine
    suspend: tuple[Command, ...]
    resume: tuple[Command, ...]


NO_ENGINE = Engine("your GitOps engine", (), ())


@dataclass(frozen=True, kw_only=True)
class PhaseDocumentContext(TemplateContext):
    template: ClassVar[str] = "migration/PHASE.md.j2"
    profile_name: str
    profile_file: str  # shell-safe file name, else PROFILE
    number: int
    count: int
    name: str
    previous: str | None  # the previous phase's folder
    moved: tuple[str, ...]  # cluster/namespace this phase moves to ambient
    sidecars_after: tuple[str, ...]  # cluster/namespace still on sidecars after it
    clusters: tuple[ClusterPart, ...]
    pairs: tuple[Pair, ...]  # the matrix's decisions that involve `moved` (phase 0: all)
    steps: tuple[StepPart, ...] = ()  # the phase's Git states, in order (phase 0: none)
    engine: Engine = NO_ENGINE


def _text(placement: Placement) -> str:
    return f"{placement[0]}/{placement[1]}"


def _labels(profile: Profile, placement: Placement) -> dict[str, str]:
    namespace = placed(profile)[placement]
    return namespace_labels(namespace.dataplane, profile.cluster(placement[0]).istio_revision)


def _step(before: Profile, after: Profile, placement: Placement, moving: bool) -> NamespaceStep:
    old, new = _labels(before, placement), _labels(after, placement)
    cluster, name = placement
    return NamespaceStep(
        name,
        label_command(name, old, new) if moving else None,
        restart_command(name),
        pods(placed(after)[placement]),
        expects_waypoint(after, cluster, name, new) and placed(after)[placement].dataplane is Dataplane.AMBIENT,
    )


def _part(before: Profile, after: Profile, cluster: str, targets: list[Placement], moving: bool,
          found: list[Call]) -> ClusterPart:
    model = after.cluster(cluster)
    return ClusterPart(
        cluster, model.istio_namespace, cni_namespace(model), model.ambient,
        tuple(_step(before, after, placement, moving) for placement in targets if placement[0] == cluster),
        tuple(call for call in found if call.source.partition("/")[0] == cluster),
    )


def _pairs(entries: list[MatrixEntry], involving: set[Placement] | None) -> tuple[Pair, ...]:
    wanted = None if involving is None else {_text(placement) for placement in involving}
    return tuple(
        Pair(entry.source, entry.target, entry.decision.value, entry.decided_by)
        for entry in entries
        if wanted is None or entry.source in wanted or entry.target in wanted
    )


def engine_commands(profile: Profile) -> Engine:
    delivery = profile.delivery
    if delivery is None:
        return NO_ENGINE
    if delivery.engine is DeliveryEngine.ARGOCD:
        # The ApplicationSet owns its Applications' sync policy: it is switched off there.
        patch = ShellConstant('[{"op":"remove","path":"/spec/template/spec/syncPolicy/automated"}]')
        suspend = ("kubectl", "patch", "applicationset", profile.name, "-n", delivery.namespace, "--type", "json",
                   "-p", patch)
        resume = ("kubectl", "apply", "-f", f"{DELIVERY_DIR}/applicationset-{profile.name}.yaml")
        return Engine("Argo CD", (suspend,), (resume,))
    names = [f"{profile.name}-{cluster.name}" for cluster in profile.clusters]
    return Engine(
        "Flux",
        tuple(("flux", "suspend", "kustomization", name, "-n", delivery.namespace) for name in names),
        tuple(("flux", "resume", "kustomization", name, "-n", delivery.namespace) for name in names),
    )


def _gateways(state: Profile, moved: list[Placement]) -> tuple[Gateway, ...]:
    return tuple(
        Gateway(mesh.namespace.name, mesh.waypoint.name)
        for mesh in meshes(state)
        if (mesh.cluster.name, mesh.namespace.name) in moved and mesh.waypoint is not None
        and mesh.waypoint.owner is WaypointOwner.GEN
    )


def _step_parts(profile: Profile, number: int, policies: LoadedPolicies, moved: list[Placement]) -> tuple[StepPart, ...]:
    steps = steps_of(profile, number, policies)
    parts = []
    previous = Position(number - 1, Step.CLEANUP) if number > 1 else Position(0)
    previous_text = previous.text(profile).removesuffix("/" + Step.CLEANUP) if number > 1 else previous.text(profile)
    for index, step in enumerate(steps, 1):
        position = Position(number, step)
        changes = step_changes(profile, position, policies)
        last = index == len(steps)
        at = phases_of(profile)[number - 1].name if last else position.text(profile)
        state = state_of(profile, position)
        parts.append(StepPart(
            index, step.value, position.folder(profile, steps).rpartition("/")[2] if len(steps) > 1 else "",
            at, previous_text,
            changes.added, changes.changed, changes.removed,
            _gateways(state, moved) if step is Step.PREPARE else (), step is Step.MOVE,
        ))
        previous_text = at
    return tuple(parts)


def phase_document(profile: Profile, number: int, profile_file: str,
                   policies: LoadedPolicies | None = None) -> PhaseDocumentContext:
    """The context of phase `number`'s PHASE.md (0: the baseline)."""
    loaded = policies if policies is not None else LoadedPolicies()
    phases = phases_of(profile)
    after = state_at(profile, number)
    before = state_at(profile, max(number - 1, 0))
    if number:
        moved = [placement for _, placement in phase_moves(profile, phases[number - 1])]
        targets, involving = moved, set(moved)
    else:
        # The baseline: the sidecars on ambient clusters need one restart once ambient is on.
        moved, involving = [], None
        targets = sorted(p for p, ns in placed(after).items()
                         if ns.dataplane is Dataplane.SIDECAR and after.cluster(p[0]).ambient)
    matrix = namespace_matrix(after)
    found = list(calls(after, matrix, involving))
    clusters = sorted({placement[0] for placement in targets} | {call.source.partition("/")[0] for call in found})
    later = [placement for phase in phases[number:] for _, placement in phase_moves(profile, phase)]
    return PhaseDocumentContext(
        profile_name=profile.name,
        profile_file=profile_file if SHELL_SAFE.fullmatch(profile_file) else "PROFILE",
        number=number,
        count=len(phases),
        name=phases[number - 1].name if number else "baseline",
        previous=phase_folder(number - 1, profile) if number else None,
        moved=tuple(_text(placement) for placement in moved),
        sidecars_after=tuple(_text(placement) for placement in later),
        clusters=tuple(_part(before, after, cluster, targets, bool(number), found) for cluster in clusters),
        pairs=_pairs(matrix, involving),
        steps=_step_parts(profile, number, loaded, moved) if number else (),
        engine=engine_commands(profile),
    )
