"""How traffic reaches the workloads a policy selects, and where on the waypoint the policy can go.

The traffic a `selector` policy guards, per selected workload: what arrives through each Service
that selects it, or, for a workload no Service selects, what is addressed to its pods. (Traffic
addressed to the pods of a workload that has Services is incidental, such as metrics scrapes: gen
keeps a policy on the selector for it, see translate.py.)

A policy moves to `targetRefs` on the Services its traffic arrives through when those route only
to workloads it selects; on the waypoint Gateway when it guards the whole namespace, or when
everything the waypoint handles belongs to workloads it selects. Anything else would widen it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..mesh import MeshService, MeshWorkload, NamespaceMesh
from .model import GATEWAY_GROUP, MAX_TARGET_REFS


@dataclass(frozen=True)
class Route:
    workload: MeshWorkload
    service: MeshService | None  # None: addressed to the pods (no Service selects them)
    via_waypoint: bool

    def describe(self) -> str:
        return f"Service {self.service.name}" if self.service else f"the pods of {self.workload.name}"


def routes(mesh: NamespaceMesh, workloads: tuple[MeshWorkload, ...]) -> tuple[Route, ...]:
    found: list[Route] = []
    for workload in workloads:
        services = mesh.services_of(workload)
        if services:
            found += [Route(workload, service, mesh.handles_service(service)) for service in services]
        else:
            found.append(Route(workload, None, mesh.handles_pods(workload)))
    return tuple(found)


def described(items: list[str] | tuple[str, ...]) -> str:
    unique = list(dict.fromkeys(items))
    return ", ".join(unique[:-1]) + f" and {unique[-1]}" if len(unique) > 1 else (unique[0] if unique else "nothing")


@dataclass(frozen=True)
class Targets:
    refs: tuple[dict[str, str], ...]  # targetRefs entries, as rendered
    what: str  # for notes: "Service productpage", "the waypoint Gateway 'waypoint'"
    problem: str | None = None  # why the policy cannot go there without widening


def gateway_ref(name: str) -> dict[str, str]:
    return {"kind": "Gateway", "group": GATEWAY_GROUP, "name": name}


def service_ref(name: str) -> dict[str, str]:
    return {"kind": "Service", "group": "", "name": name}


def _service_targets(mesh: NamespaceMesh, selected: tuple[MeshWorkload, ...], via: tuple[Route, ...]) -> Targets:
    names = list(dict.fromkeys(route.service.name for route in via if route.service))
    services = [service for service in mesh.services if service.name in names]
    refs = tuple(service_ref(service.name) for service in services)
    what = "Service" + ("s " if len(services) > 1 else " ") + described([s.name for s in services])
    for service in services:
        others = [w.name for w in mesh.workloads_of(service) if w not in selected]
        if others:
            return Targets(refs, what, f"Service {service.name} also routes to {described(others)}, which the policy "
                                       "does not select; attached to the Service it would guard them too")
    if len(refs) > MAX_TARGET_REFS:
        return Targets(refs, what, f"it would need {len(refs)} targetRefs, Istio takes at most {MAX_TARGET_REFS}")
    return Targets(refs, what)


def targets(mesh: NamespaceMesh, selected: tuple[MeshWorkload, ...], via: tuple[Route, ...],
            whole_namespace: bool) -> Targets:
    """Where the policy goes on the waypoint (`via`: the routes that cross it, at least one)."""
    waypoint = mesh.waypoint
    assert waypoint is not None, "a route crosses a waypoint only where there is one"
    gateway = Targets((gateway_ref(waypoint.name),), f"the waypoint Gateway '{waypoint.name}'")
    if whole_namespace:
        return gateway
    if all(route.service for route in via):
        return _service_targets(mesh, selected, via)
    handled = [w for s in mesh.services if mesh.handles_service(s) for w in mesh.workloads_of(s)]
    outside = [w.name for w in handled if w not in selected]
    outside += [w.name for w in mesh.workloads if mesh.handles_pods(w) and w not in selected]
    if outside:
        return Targets(gateway.refs, gateway.what, f"waypoint '{waypoint.name}' also handles traffic to "
                       f"{described(outside)}, which the policy does not select; attached to the waypoint it would "
                       "guard them too")
    return gateway


def spec_with_targets(spec: dict[str, Any], refs: tuple[dict[str, str], ...]) -> dict[str, Any]:
    """The spec attached by `targetRefs` in place of its selector, the rest as written."""
    return {"targetRefs": [dict(ref) for ref in refs], **{k: v for k, v in spec.items() if k != "selector"}}
