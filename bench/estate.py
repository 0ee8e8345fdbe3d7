"""Synthetic estates for the benchmark: clusters x namespaces x apps, with tenants, workspaces,
allow/deny rules and TSB waypoint settings, as one profile YAML text."""

from __future__ import annotations

import argparse
from pathlib import Path


def estate(namespaces: int, clusters: int = 4, tenants: int = 4, app: str = "caffeine", name: str = "estate",
           kit: str | None = None, team: bool = False) -> str:
    """`kit`: a kit folder the profile names (the example kit's rule wants a `team` label on every
    Deployment: `team` labels the apps, so that the same estate renders with and without it)."""
    cluster_names = [f"cluster-{i}" for i in range(clusters)]
    apps = f"[{{name: {app}, labels: {{team: bench}}}}]" if team or kit else f"[{app}]"
    lines = [
        f"profile: {name}",
        *([f"kit: [{kit}]"] if kit else []),
        "tsb:",
        '  version: "1.12.1"',
        "  organization: bench",
        "  gitopsNamespace: tsb-gitops",
        "managementPlane:",
        "  cluster: tsb-mp",
        "clusters:",
    ]
    for cluster in cluster_names:
        lines += [
            f"- name: {cluster}",
            "  platform: aks",
            "  istio:",
            '    version: "1.24.3"',
            "  ambient:",
            "    enabled: true",
            "    waypoints:",
            "      mode: tsb-managed",
            "      resources: {requests: {cpu: 100m, memory: 128Mi}}",
        ]
    per_tenant = max(1, namespaces // tenants)
    lines.append("tenants:")
    for t in range(tenants):
        lines += [f"- name: tenant-{t}", "  workspaces:"]
        members = [i for i in range(namespaces) if i // per_tenant == t or (t == tenants - 1 and i // per_tenant >= tenants)]
        for group in range(0, len(members), 25):  # a workspace per 25 namespaces
            chunk = members[group : group + 25]
            ws = f"ws-{t}-{group // 25}"
            lines += [
                f"  - name: {ws}",
                "    namespaces: [" + ", ".join(f'"*/ns-{i}"' for i in chunk) + "]",
                "    security:",
                "      authorization:",
                "        mode: RULES",
                f"        allow: [{{from: {ws}, to: {ws}}}]",
            ]
    lines.append("namespaces:")
    for i in range(namespaces):
        lines += [
            f"- name: ns-{i}",
            f"  clusters: [{cluster_names[i % clusters]}]",
            "  dataplane: ambient",
            f"  apps: {apps}",
        ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("namespaces", type=int)
    parser.add_argument("output", type=Path)
    parser.add_argument("--clusters", type=int, default=4)
    parser.add_argument("--kit", help="a kit folder for the profile to name (relative to it)")
    parser.add_argument("--team", action="store_true", help="a team label on every app (as --kit has)")
    args = parser.parse_args()
    args.output.write_text(estate(args.namespaces, args.clusters, kit=args.kit, team=args.team), "utf-8")


if __name__ == "__main__":
    main()
