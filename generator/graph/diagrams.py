"""The estate as mermaid flowcharts: one per cluster (its namespaces with their dataplane mode,
ztunnel, the waypoints and who owns each, the Services behind each waypoint), and the tenancy
(tenants, workspaces, the namespaces they select, their security settings and allow/deny rules).
Every name goes through graph/mermaid.py's quoting: a profile's text cannot alter a diagram."""

from __future__ import annotations

# The planners first: mesh.py imports them, and they import mesh.py (loaded from them, it is whole).
from ..plan import policies as _planners  # noqa: F401
from ..mesh import NamespaceMesh, WaypointOwner, meshes
from ..profile.model import Cluster, Profile, SecuritySettings
from ..migration.markdown import MarkdownText
from .mermaid import edge, flowchart, node, node_id, subgraph

class Diagram(MarkdownText):
    """A flowchart every name of which went through mermaid.py's quoting: printed as it is."""


OWNERS = {WaypointOwner.TSB: "TSB-managed", WaypointOwner.GEN: "gen (explicit)"}


def _namespace_lines(mesh: NamespaceMesh, services: bool = True) -> tuple[list[str], list[str]]:
    """The namespace's subgraph, and its edges (drawn outside it); without `services`, its waypoint
    alone (a large cluster's compact drawing)."""
    ns = mesh.namespace
    mode = "ambient" if mesh.ambient else ns.dataplane.value
    lines: list[str] = []
    behind: set[str] = set()
    waypoint = mesh.waypoint if mesh.ambient else None
    if waypoint is not None:
        wid = node_id(mesh.cluster.name, ns.name, "waypoint", waypoint.name)
        lines.append(node(wid, f"waypoint {waypoint.name} · {OWNERS[waypoint.owner]} · {waypoint.traffic.value}",
                          "round"))
        for service in mesh.services:
            if mesh.handles_service(service):
                behind.add(service.name)
    if not services:
        title = f"namespace {ns.name} · {mode}"
        return subgraph(node_id(mesh.cluster.name, ns.name), title, lines or [node(node_id(mesh.cluster.name, ns.name,
                                                                                               "apps"), "apps")]), []
    for service in mesh.services:
        lines.append(node(node_id(mesh.cluster.name, ns.name, "service", service.name), f"Service {service.name}"))
    block = subgraph(node_id(mesh.cluster.name, ns.name), f"namespace {ns.name} · {mode}", lines)
    edges = []
    if waypoint is not None:
        wid = node_id(mesh.cluster.name, ns.name, "waypoint", waypoint.name)
        edges = [edge(wid, node_id(mesh.cluster.name, ns.name, "service", name), "L7") for name in sorted(behind)]
    return block, edges


# mermaid draws a diagram of at most 50,000 characters (its default `maxTextSize`, GitHub's too).
MAX_DIAGRAM = 48_000


def cluster_diagram(profile: Profile, cluster: Cluster) -> Diagram | None:
    """The cluster's mesh, as the estate stands at the rendered position: in full, else without the
    Services (a large cluster), else None (too many namespaces for one drawing: the table lists them)."""
    placed = [mesh for mesh in meshes(profile) if mesh.cluster.name == cluster.name]
    for services in (True, False):
        if sum(_least(mesh, services) for mesh in placed) > MAX_DIAGRAM:
            continue  # a drawing that cannot fit is not built
        text = _cluster_text(placed, cluster, services)
        if text is not None and len(text) <= MAX_DIAGRAM:
            return Diagram(text)
    return None


def _least(mesh: NamespaceMesh, services: bool) -> int:
    """The fewest characters the namespace's statements take in its cluster's drawing: each line's
    indent and line break, identifiers of 17 characters, its labels' text (which codes only lengthen)."""
    mode = "ambient" if mesh.ambient else mesh.namespace.dataplane.value
    size = 53 + len(mesh.namespace.name) + len(mode) + 12  # `subgraph id ["namespace …"]` ... `end`
    waypoint = mesh.waypoint if mesh.ambient else None
    if waypoint is not None:
        size += 55 + len(waypoint.name) + len(OWNERS[waypoint.owner]) + len(waypoint.traffic.value)
    elif not services:
        size += 38  # its `apps` node
    if mesh.cluster.ambient and mesh.ambient:
        size += 54  # the HBONE edge from ztunnel
    if services:
        size += sum(42 + len(service.name) for service in mesh.services)
    return size


def _cluster_text(placed: list[NamespaceMesh], cluster: Cluster, services: bool) -> str | None:
    """The drawing; None once its statements alone pass MAX_DIAGRAM (it cannot fit: the rest is
    not built)."""
    lines: list[str] = []
    size = 0
    ztunnel = node_id(cluster.name, "ztunnel")
    inside: list[str] = []
    if cluster.ambient:
        inside.append(node(ztunnel, f"ztunnel · DaemonSet · {cluster.istio_namespace} · TSB ControlPlane", "stadium"))
    edges: list[str] = []
    for mesh in placed:
        block, more = _namespace_lines(mesh, services)
        size += sum(map(len, block)) + sum(map(len, more))
        if size > MAX_DIAGRAM:
            return None
        inside += block
        edges += more
        if cluster.ambient and mesh.ambient:
            edges.append(edge(ztunnel, node_id(cluster.name, mesh.namespace.name), "HBONE", dotted=True))
    title = f"cluster {cluster.name} · {cluster.platform.value} · Istio {cluster.istio_version}"
    title += " · ambient" if cluster.ambient else " · sidecars only"
    lines += subgraph(node_id(cluster.name), title, inside)
    return flowchart("LR", lines + edges).rstrip("\n")


def _security(settings: SecuritySettings | None) -> str:
    if settings is None:
        return "TSB defaults"
    parts = []
    if settings.authorization is not None:
        parts.append(settings.authorization.mode.value)
    if settings.propagation is not None:
        parts.append(settings.propagation.value)
    if settings.traffic_mode is not None:
        parts.append(f"traffic {settings.traffic_mode.value}")
    return " · ".join(parts) or "TSB defaults"


def tenancy_diagram(profile: Profile) -> Diagram | None:
    """Tenants, their workspaces and the namespaces each selects, with the allow/deny rules between
    workspaces; None when the profile has no tenants, or too many for one drawing."""
    if not profile.tenants:
        return None
    if _tenancy_least(profile) > MAX_DIAGRAM:
        return None  # a drawing that cannot fit is not built
    lines: list[str] = []
    edges: list[str] = []
    selectors: dict[str, str] = {}
    for tenant in profile.tenants:
        title = f"tenant {tenant.name}" + _shown_as(tenant.name, tenant.display_name)
        title += f" · {_security(tenant.security)}"
        inside = []
        for workspace in tenant.workspaces:
            wid = node_id("workspace", tenant.name, workspace.name)
            text = f"workspace {workspace.name}" + _shown_as(workspace.name, workspace.display_name)
            inside.append(node(wid, f"{text} · {_security(workspace.security)}", "round"))
            for selector in workspace.namespace_selectors:
                sid = selectors.setdefault(selector, node_id("selector", selector))
                edges.append(edge(wid, sid, "selects"))
        lines += subgraph(node_id("tenant", tenant.name), title, inside)
    lines += [node(sid, f"namespaces {selector}") for selector, sid in selectors.items()]
    for tenant in profile.tenants:
        settings = [(tenant.name, None, tenant.security)] + [(tenant.name, w.name, w.security) for w in tenant.workspaces]
        for owner_tenant, owner_ws, security in settings:
            authorization = security.authorization if security is not None else None
            for verb, rules in (("allow", authorization.allow if authorization else ()),
                                ("deny", authorization.deny if authorization else ())):
                for rule in rules:
                    source = _party(rule.source.tenant, rule.source.workspace)
                    target = _party(rule.target.tenant, rule.target.workspace)
                    edges.append(edge(source, target, verb, dotted=verb == "deny"))
    text = flowchart("TB", lines + edges).rstrip("\n")
    return Diagram(text) if len(text) <= MAX_DIAGRAM else None


def _tenancy_least(profile: Profile) -> int:
    """The fewest characters of the tenancy's drawing: each `selects` edge takes 55 (two
    identifiers, the arrow and its label, indent, line break), each selector's node 37 and its text."""
    chosen = [selector for tenant in profile.tenants for workspace in tenant.workspaces
              for selector in workspace.namespace_selectors]
    return len(chosen) * 55 + sum(37 + len(selector) for selector in set(chosen))


def _shown_as(name: str, display_name: str | None) -> str:
    return f" · {display_name}" if display_name and display_name != name else ""


def _party(tenant: str, workspace: str | None) -> str:
    return node_id("workspace", tenant, workspace) if workspace else node_id("tenant", tenant)
