"""The comment each rendered AuthorizationPolicy carries: where it comes from, what gen changed
and why. Lines are prose for people; the template prints each through the `comment` filter."""

from __future__ import annotations

import textwrap
from functools import lru_cache

from ..mesh import NamespaceMesh, WaypointOwner
from ..profile.model import Dataplane
from ..profile.model_waypoints import LOCAL_TRUST_DOMAIN
from ..problems import format_path
from .model import API_VERSION, AuthorizationPolicy

WIDTH = 96


@lru_cache(maxsize=4096)  # a cluster's notes are the same for each of its namespaces
def lines(*sentences: str) -> tuple[str, ...]:
    text = " ".join(sentence for sentence in sentences if sentence)
    return tuple(textwrap.wrap(text, WIDTH, break_on_hyphens=False, break_long_words=False))


def origin(policy: AuthorizationPolicy) -> str:
    document = f" (document {policy.written.document + 1})" if policy.written.document else ""
    converted = f" Its apiVersion {policy.api_version} is written as {API_VERSION} (the same schema)." if (
        policy.api_version != API_VERSION) else ""
    return f"From {policy.written.shown}{document}, policy {policy.name}.{converted}"


def selector_text(policy: AuthorizationPolicy) -> str:
    labels = ", ".join(f"{key}={value}" for key, value in policy.selector.items())
    return f"`selector` ({labels})" if labels else "the whole namespace (no selector)"


def waypoint_text(mesh: NamespaceMesh) -> str:
    waypoint = mesh.waypoint
    assert waypoint is not None
    if waypoint.owner is WaypointOwner.TSB:
        return (f"waypoint '{waypoint.name}' (TSB's, for all traffic of the namespace; gen assumes TSB names it "
                "so, with a service account of that name)")
    return f"waypoint '{waypoint.name}' (gateway-{waypoint.name}.yaml, for {waypoint.traffic.value} traffic)"


def trust_domain_text(mesh: NamespaceMesh) -> str:
    cluster = mesh.cluster
    key = format_path((*cluster.path, "istio", "trustDomain"))
    if cluster.trust_domain_set:
        return f"trust domain {cluster.trust_domain} from {key}"
    return (f"trust domain {cluster.trust_domain}, TSB's default for cluster {cluster.name}: set {key} if the mesh "
            "uses another")


def rewritten_text(mesh: NamespaceMesh, rewritten: int, said: bool = False) -> str:
    """Says that gen wrote `rewritten` cluster.local principals in the cluster's trust domain
    (`said`: the comment names the trust domain's origin already)."""
    if not rewritten:
        return ""
    domain = mesh.cluster.trust_domain
    origin = "" if said else f" ({trust_domain_text(mesh)})"
    count = "1 principal" if rewritten == 1 else f"{rewritten} principals"
    return (f"gen rewrote {count} from {LOCAL_TRUST_DOMAIN}/... to {domain}/...{origin}: ztunnel, which enforces "
            f"this policy, does not take {LOCAL_TRUST_DOMAIN} for the local trust domain as sidecars and waypoints do "
            "(istio/ztunnel issue 1260).")


def unchanged(policy: AuthorizationPolicy, mesh: NamespaceMesh, outside: str = "") -> tuple[str, ...]:
    """`outside`: the workloads it selects, none of them in ambient."""
    namespace = mesh.namespace
    if outside:
        why = f"the workloads it selects ({outside}) are not in ambient; it takes effect as written once they join."
    elif namespace.dataplane is Dataplane.SIDECAR:
        why = f"namespace {namespace.name} runs sidecars, which enforce it as written."
    elif namespace.dataplane is Dataplane.NONE:
        why = f"namespace {namespace.name} is outside the mesh; it takes effect as written once the namespace joins."
    elif not mesh.cluster.ambient:
        why = f"cluster {mesh.cluster.name} does not run ambient."
    else:
        why = ("it is attached with `targetRefs`, where a waypoint enforces it; gen checked that a use-waypoint "
               "label routes traffic through each target it renders.")
    return lines(origin(policy), "Passed through unchanged:", why)


def kept(policy: AuthorizationPolicy, mesh: NamespaceMesh, workloads: str, identity_free: bool,
         rewritten: int = 0) -> tuple[str, ...]:
    if identity_free and mesh.waypoint is not None:
        why = (f"its rules do not depend on who calls and are L4 only, so ztunnel enforces it as written, on "
               f"traffic from {waypoint_text(mesh)} too.")
    else:
        why = f"its rules are L4 only and no waypoint is in the path of {workloads}, so ztunnel enforces it as written."
    return lines(origin(policy), f"Kept on {selector_text(policy)}:", why, rewritten_text(mesh, rewritten))


def moved(policy: AuthorizationPolicy, mesh: NamespaceMesh, target: str, reason: str) -> tuple[str, ...]:
    return lines(
        origin(policy),
        f"Moved by gen from {selector_text(policy)} to `targetRefs` on {target}: {reason}.",
        f"In ambient mode the waypoint enforces it: {waypoint_text(mesh)}.",
    )


def ztunnel_part(policy: AuthorizationPolicy, mesh: NamespaceMesh, target: str, rest: str,
                 rewritten: int = 0) -> tuple[str, ...]:
    return lines(
        origin(policy),
        f"The ztunnel part of {policy.name}, which gen moved to `targetRefs` on {target}: it stays on "
        f"{selector_text(policy)}, where ztunnel enforces it.",
        f"Traffic through {waypoint_text(mesh)} reaches the pods as {mesh.waypoint_principal} "
        f"({trust_domain_text(mesh)}).",
        rest,
        rewritten_text(mesh, rewritten, said=True),
    )
