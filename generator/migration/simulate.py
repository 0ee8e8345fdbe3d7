"""The rollout simulator: every call the profile's apps can make, decided at every step of the
migration as the cluster decides it, including while the engine syncs a step and before the pods
restart. A step whose outcome for any call differs from the baseline's is refused.

The model (README, "Rollout safety"):
- A pod keeps the dataplane it started with until it restarts: while a step that moves a namespace
  syncs, its pods may be old (sidecars) or new (ambient), clients and destinations alike; every
  combination is decided.
- Engines apply a step's objects, then prune the ones it drops: while a step syncs, the cluster holds
  both steps' policies (the new step's version of an object both have). The step back (its rollback
  in Git) is decided the same way.
- Who decides, per destination pod: TSB's rules (its RULES between workspaces, `gen matrix`) first;
  a sidecar decides every selector policy of its pod (Envoy, `cluster.local` aliased); traffic to a
  Service that uses a deployed waypoint, from a client in the mesh to an ambient pod, crosses the
  waypoint, which decides the `targetRefs` policies on the Service or its Gateway (Envoy) before the
  destination ztunnel decides the selector policies on what it sees: the waypoint's identity, L4
  only, exact trust domain (authz.py). To a sidecar pod such traffic may or may not cross the
  waypoint (Istio versions differ): both are decided. Plaintext clients never cross a waypoint.
- The calls: every client Deployment to every Service of a namespace with policies, on one cluster;
  per Service port, the methods and paths its namespace's policies name, plus GET /.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from itertools import product

# The planners first: mesh.py imports them, and they import mesh.py (loaded from them, it is whole).
from ..plan.policies import namespace_policies
from ..matrix import Decision as MatrixDecision
from ..matrix import namespace_matrix
from ..mesh import MeshService, MeshWorkload, NamespaceMesh, Waypoint, meshes
from ..policies.load import LoadedPolicies
from ..policies.model import AuthorizationPolicy
from ..policies.transition import WAYPOINT_COPY_RULE
from ..policies.translate import RenderedPolicy
from ..problems import Location, Problem
from ..profile.model import Dataplane, Profile
from .authz import Decision, Enforcer, Request, Source, decide, value_matches
from .state import Placement, phase_moves, phases_of
from .steps import Position, Step, positions, state_of

SIDECAR, AMBIENT, PLAIN = "sidecar", "ambient", "none"
_TSB_OUTCOMES = {MatrixDecision.ALLOW: "allowed", MatrixDecision.DENY: "denied",
                 MatrixDecision.CONDITIONAL: "conditional"}


@dataclass(frozen=True)
class Call:
    cluster: str
    client: tuple[str, str]  # (namespace, Deployment)
    service: tuple[str, str]  # (namespace, Service)
    workload: str  # the Deployment whose pod answers
    request: Request

    def text(self) -> str:
        return (f"{self.client[0]}/{self.client[1]} -> {self.service[1]}.{self.service[0]} ({self.workload}) "
                f"{self.request.text()}")


@dataclass(frozen=True)
class Outcome:
    outcome: str  # allowed | denied | custom | conditional
    component: str  # who decided
    policy: str = ""  # which policy (name, file:line), or TSB's rule
    location: Location | None = None

    def text(self) -> str:
        return f"{self.outcome} ({self.component}" + (f", {self.policy})" if self.policy else ")")


@dataclass(frozen=True)
class Space:
    """One namespace as the cluster holds it at a moment."""

    mesh: NamespaceMesh
    policies: tuple[RenderedPolicy, ...]
    waypoint: Waypoint | None
    modes: dict[str, frozenset[str]]  # Deployment -> the dataplanes its pods may run


World = dict[Placement, Space]


def _mode(mesh: NamespaceMesh, workload: MeshWorkload) -> str:
    if workload.ambient and mesh.cluster.ambient:
        return AMBIENT
    return SIDECAR if mesh.namespace.dataplane is Dataplane.SIDECAR else PLAIN


def world_of(state: Profile, policies: LoadedPolicies) -> World:
    world: World = {}
    for mesh in meshes(state):
        found = policies.of(mesh.namespace)
        rendered = namespace_policies(mesh, found).policies if found else ()
        modes = {w.name: frozenset({_mode(mesh, w)}) for w in mesh.workloads}
        world[(mesh.cluster.name, mesh.namespace.name)] = Space(mesh, rendered, mesh.waypoint, modes)
    return world


def syncing(before: World, after: World, pruned: bool) -> World:
    """The cluster while `after` syncs over `before`: pods of either mode; before pruning, the
    objects of both (after's version of an object both have)."""
    world: World = {}
    for placement, space in after.items():
        old = before.get(placement)
        if old is None:
            world[placement] = space
            continue
        modes = {name: mode | old.modes.get(name, frozenset()) for name, mode in space.modes.items()}
        names = {policy.name for policy in space.policies}
        kept = () if pruned else tuple(policy for policy in old.policies if policy.name not in names)
        waypoint = space.waypoint or (None if pruned else old.waypoint)
        world[placement] = Space(space.mesh, (*space.policies, *kept), waypoint, modes)
    return world


def _origin_line(policy: RenderedPolicy) -> tuple[str, Location]:
    origin: AuthorizationPolicy = policy.origin
    where = origin.written.at(("metadata", "name"))
    return f"{policy.name}, {origin.written.shown}:{where.line}", where


def _from_policy(decision: Decision, component: str) -> Outcome:
    if decision.policy is None:
        return Outcome(decision.outcome, component, "no policy applies")
    text, where = _origin_line(decision.policy)
    return Outcome(decision.outcome, component, text, where)


def _selecting(space: Space, workload: MeshWorkload) -> list[tuple[dict[str, object], RenderedPolicy]]:
    found = []
    for policy in space.policies:
        spec = policy.spec
        if "targetRef" in spec or "targetRefs" in spec:
            continue
        labels = (spec.get("selector") or {}).get("matchLabels") or {}
        if all(workload.pod_labels.get(key) == value for key, value in labels.items()):
            found.append((dict(spec), policy))
    return found


def _attached(space: Space, service: MeshService) -> list[tuple[dict[str, object], RenderedPolicy]]:
    waypoint = space.waypoint
    found = []
    for policy in space.policies:
        refs = policy.spec.get("targetRefs") or ([policy.spec["targetRef"]] if "targetRef" in policy.spec else [])
        for ref in refs:
            on_service = ref.get("kind") == "Service" and ref.get("name") == service.name
            on_gateway = ref.get("kind") == "Gateway" and waypoint is not None and ref.get("name") == waypoint.name
            if on_service or on_gateway:
                found.append((dict(policy.spec), policy))
                break
    return found


def _identity(space: Space, account: str) -> str:
    return f"{space.mesh.cluster.trust_domain}/ns/{space.mesh.namespace.name}/sa/{account}"


def _routes(space: Space, service: MeshService, client_mode: str, mode: str) -> tuple[bool, ...]:
    """Whether the call crosses the waypoint, for each way it may go."""
    waypoint = space.waypoint
    served = (waypoint is not None and service.name in waypoint.services and waypoint.traffic.handles_services
              and client_mode != PLAIN)
    if not served or mode == PLAIN:
        return (False,)
    return (True,) if mode == AMBIENT else (False, True)


def _destination(space: Space, workload: MeshWorkload, caller: Source, request: Request, mode: str) -> Outcome:
    where = f"{workload.name}"
    trust_domain = space.mesh.cluster.trust_domain
    if mode == PLAIN:
        return Outcome("allowed", f"no proxy at {where}")
    envoy = mode == SIDECAR
    component = f"sidecar of {where}" if envoy else f"ztunnel at {where}"
    return _from_policy(decide(_selecting(space, workload), caller, request, Enforcer(envoy, trust_domain)), component)


def decide_call(world: World, call: Call, client_mode: str, mode: str, via_waypoint: bool,
                tsb: Outcome | None) -> Outcome:
    if tsb is not None:
        return tsb
    client_space = world[(call.cluster, call.client[0])]
    space = world[(call.cluster, call.service[0])]
    account = next(w.service_account for w in client_space.mesh.workloads if w.name == call.client[1])
    caller = Source(None if client_mode == PLAIN else _identity(client_space, account), call.client[0])
    service = next(s for s in space.mesh.services if s.name == call.service[1])
    workload = next(w for w in space.mesh.workloads if w.name == call.workload)
    if via_waypoint:
        waypoint = space.waypoint
        assert waypoint is not None
        enforcer = Enforcer(True, space.mesh.cluster.trust_domain)
        verdict = _from_policy(decide(_attached(space, service), caller, call.request, enforcer),
                               f"waypoint '{waypoint.name}'")
        if verdict.outcome != "allowed":
            return verdict
        caller = Source(_identity(space, waypoint.name), call.service[0])
        after = _destination(space, workload, caller, call.request, mode)
        if after.outcome != "allowed":
            return after
        return Outcome("allowed", f"{verdict.component}, then {after.component}",
                       f"{verdict.policy}; {after.policy}", after.location or verdict.location)
    return _destination(space, workload, caller, call.request, mode)


def _concrete(pattern: str) -> str:
    if pattern == "*":
        return "/"
    if pattern.startswith("*"):
        return "/x" + pattern[1:]
    return pattern[:-1] + "x" if pattern.endswith("*") else pattern


# Candidates for a method and a path no policy names, which stand for every other one.
OTHER_METHODS = ("PATCH", "PUT", "OPTIONS", "HEAD", "DELETE", "POST", "CONNECT", "TRACE")
OTHER_PATHS = ("/gen-unnamed", "/gen-unnamed/x")


def _unnamed(named: set[str], candidates: tuple[str, ...]) -> set[str]:
    """One candidate no pattern of `named` matches (none if every candidate is named)."""
    return next(({c} for c in candidates if not any(value_matches(pattern, c) for pattern in named)), set())


def _requests(space: Space, originals: tuple[AuthorizationPolicy, ...], service: MeshService) -> list[Request]:
    """GET /, the methods and paths the policies name, and, where GET or / is named, a method or a
    path they do not: a rule on GET alone says nothing of PATCH, whose outcome may change where
    GET's does not (a DENY on GET that ztunnel enforces without its L7 condition denies PATCH too)."""
    named_methods: set[str] = set()
    named_paths: set[str] = set()
    for policy in originals:
        for rule in policy.rules:
            for item in rule.get("to") or []:
                operation = item.get("operation") or {}
                named_methods |= {str(m) for key in ("methods", "notMethods") for m in operation.get(key) or []}
                named_paths |= {str(p) for key in ("paths", "notPaths") for p in operation.get(key) or []}
    methods = {"GET"} | named_methods
    paths = {"/"} | {_concrete(p) for p in named_paths}
    methods.discard("*")
    if any(value_matches(pattern, "GET") for pattern in named_methods):
        methods |= _unnamed(named_methods, OTHER_METHODS)
    if any(value_matches(pattern, "/") for pattern in named_paths):
        paths |= _unnamed(named_paths, OTHER_PATHS)
    host = f"{service.name}.{space.mesh.namespace.name}.svc.cluster.local"
    return [Request(m, p, port, host) for port in service.ports[:1] or (80,) for m in sorted(methods)
            for p in sorted(paths)]


def calls(world: World, policies: LoadedPolicies) -> list[Call]:
    found: list[Call] = []
    for (cluster, namespace), space in world.items():
        originals = policies.of(space.mesh.namespace)
        if not originals:
            continue
        clients = [(c[1], w.name) for c, s in world.items() if c[0] == cluster for w in s.mesh.workloads]
        for service in space.mesh.services:
            requests = _requests(space, originals, service)
            for client, workload, request in product(clients, space.mesh.workloads_of(service), requests):
                found.append(Call(cluster, client, (namespace, service.name), workload.name, request))
    return found


def _tsb(matrix: dict[tuple[str, str], Outcome], call: Call) -> Outcome | None:
    return matrix.get((f"{call.cluster}/{call.client[0]}", f"{call.cluster}/{call.service[0]}"))


def tsb_outcomes(state: Profile) -> dict[tuple[str, str], Outcome]:
    """The pairs TSB's rules do not simply allow."""
    return {(entry.source, entry.target): Outcome(_TSB_OUTCOMES[entry.decision], "TSB rules", entry.decided_by)
            for entry in namespace_matrix(state) if entry.decision is not MatrixDecision.ALLOW}


def outcomes(world: World, call: Call, tsb: dict[tuple[str, str], Outcome]) -> Iterator[tuple[str, str, Outcome]]:
    """(client mode, destination mode, outcome) of every way the call may go in `world`."""
    gate = _tsb(tsb, call)
    client_modes = world[(call.cluster, call.client[0])].modes[call.client[1]]
    space = world[(call.cluster, call.service[0])]
    service = next(s for s in space.mesh.services if s.name == call.service[1])
    for client_mode, mode in product(sorted(client_modes), sorted(space.modes[call.workload])):
        for via in _routes(space, service, client_mode, mode):
            yield client_mode, mode, decide_call(world, call, client_mode, mode, via, gate)


@dataclass(frozen=True)
class Moment:
    position: Position
    label: str  # "settled", "syncing", "syncing, before pruning", "rolling back"
    world: World
    tsb: dict[tuple[str, str], Outcome]


def moments(profile: Profile, policies: LoadedPolicies, sequence: list[Position] | None = None) -> Iterator[Moment]:
    """Every moment the estate passes through on the way along `sequence` (default: the plan's)."""
    steps = sequence if sequence is not None else list(positions(profile, policies))
    previous: tuple[Position, World] | None = None
    for position in steps:
        state = state_of(profile, position)
        world, tsb = world_of(state, policies), tsb_outcomes(state)
        if previous is not None:
            before = previous[1]
            yield Moment(position, "while it syncs, before pruning", syncing(before, world, False), tsb)
            yield Moment(position, "while it syncs, pods not yet restarted", syncing(before, world, True), tsb)
            yield Moment(position, "rolled back in Git, before pruning", syncing(world, before, False), tsb)
        yield Moment(position, "settled", world, tsb)
        previous = (position, world)


@dataclass(frozen=True)
class Finding:
    moment: Moment
    call: Call
    modes: tuple[str, str]
    baseline: Outcome
    found: Outcome


def simulate(profile: Profile, policies: LoadedPolicies, sequence: list[Position] | None = None) -> list[Finding]:
    """Every call whose outcome at some moment differs from the baseline's (the first per step and pair)."""
    steps = sequence if sequence is not None else list(positions(profile, policies))
    if not any(policies.of(ns) for ns in profile.namespaces):
        return []
    all_moments = moments(profile, policies, steps)
    baseline = next(all_moments)
    reference = {call: next(outcomes(baseline.world, call, baseline.tsb))[2]
                 for call in calls(baseline.world, policies)}
    findings: list[Finding] = []
    reported: set[tuple[Position, str, tuple[str, str], tuple[str, str]]] = set()
    for moment in all_moments:
        # A call can only change where its client's or its destination's namespace did (TSB's rules
        # are the phases' invariant, migration/invariant.py, but a change there is decided too).
        changed = None if moment.tsb != baseline.tsb else {
            placement for placement, space in moment.world.items() if baseline.world.get(placement) != space}
        for call in calls(moment.world, policies):
            expected = reference.get(call)
            if expected is None:
                continue
            if changed is not None and not {(call.cluster, call.client[0]), (call.cluster, call.service[0])} & changed:
                continue
            key = (moment.position, call.cluster, call.client, call.service)
            if key in reported:
                continue
            for client_mode, mode, outcome in outcomes(moment.world, call, moment.tsb):
                if outcome.outcome != expected.outcome:
                    findings.append(Finding(moment, call, (client_mode, mode), expected, outcome))
                    reported.add(key)
                    break
    return findings


def _item_path(profile: Profile, position: Position, call: Call) -> tuple[str | int, ...]:
    phase = phases_of(profile)[position.phase - 1]
    for item, placement in phase_moves(profile, phase):
        if placement in ((call.cluster, call.service[0]), (call.cluster, call.client[0])):
            return item.path
    return (*phase.path, "name")


def finding_problem(profile: Profile, finding: Finding) -> Problem:
    moment, call = finding.moment, finding.call
    position = moment.position
    phase = phases_of(profile)[position.phase - 1]
    return Problem(
        f"phase {position.phase} '{phase.name}', step '{position.step}' ({moment.label}): {call.text()} on cluster "
        f"{call.cluster} is {finding.baseline.text()} at the baseline, but {finding.found.text()} here "
        f"(client pod {finding.modes[0]}, destination pod {finding.modes[1]})",
        "rollout-step",
        _item_path(profile, position, call),
        "every step of a phase must leave every call as the baseline decides it; `gen plan --explain` prints each "
        "step's calls. Move the namespace's policies in the steps gen plans (prepare, move, cleanup), or change "
        "the policies in a change of their own",
    )


def _copy_problems(profile: Profile, policies: LoadedPolicies) -> list[Problem]:
    """Names the steps' `-waypoint` copies would take from another policy (the settled translation's
    own problems are the phases' checks', migration/invariant.py)."""
    found: list[Problem] = []
    for number in range(1, len(phases_of(profile)) + 1):
        for mesh in meshes(state_of(profile, Position(number, Step.MOVE))):
            originals = policies.of(mesh.namespace)
            if mesh.namespace.stage is not None and originals:
                found += [p for p in namespace_policies(mesh, originals).problems
                          if p.rule == WAYPOINT_COPY_RULE and p not in found]
    return found


def rollout_problems(profile: Profile, policies: LoadedPolicies) -> list[Problem]:
    if not phases_of(profile):
        return []
    copies = _copy_problems(profile, policies)
    if copies:  # the steps cannot be rendered as planned
        return copies
    return [finding_problem(profile, finding) for finding in simulate(profile, policies)]
