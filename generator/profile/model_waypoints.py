"""A namespace's own waypoint and its DIRECT-mode AuthorizationPolicies, as the profile states them.

    namespaces:
    - name: bookinfo
      waypoint:                   # an explicit waypoint (clusters whose waypoints are `explicit`)
        for: service              # service | workload | all: the traffic it handles
        name: waypoint            # the Gateway's name (and its service account's); `none` is reserved
        use: namespace            # the whole namespace, or {services: [...], workloads: [...]}
      policies: policies/bookinfo # AuthorizationPolicy YAML: a file, or a directory of them
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from ..problems import ProfilePath

DEFAULT_WAYPOINT_NAME = "waypoint"  # istioctl's default, and the name TSB's policies expect
RESERVED_WAYPOINT_NAME = "none"  # `istio.io/use-waypoint: none` opts out of a namespace waypoint
# Istio's default trust domain, which Envoy (sidecars, waypoints) also reads as "the local one";
# ztunnel does not (istio/ztunnel issue 1260): see policies/identity.py.
LOCAL_TRUST_DOMAIN = "cluster.local"
TSB_TRUST_DOMAIN_SUFFIX = ".tsb.local"


class WaypointTraffic(StrEnum):
    """`istio.io/waypoint-for`: the traffic a waypoint handles, by how it was addressed."""

    SERVICE = "service"  # traffic addressed to a Service (Istio's default)
    WORKLOAD = "workload"  # traffic addressed to a pod IP
    ALL = "all"

    @property
    def handles_services(self) -> bool:
        return self is not WaypointTraffic.WORKLOAD

    @property
    def handles_workloads(self) -> bool:
        return self is not WaypointTraffic.SERVICE


@dataclass(frozen=True)
class NamespaceWaypoint:
    """`namespaces[].waypoint`: the Gateway gen renders, and who is labelled to use it."""

    name: str
    traffic: WaypointTraffic
    whole_namespace: bool  # `use: namespace`: the label goes on the Namespace
    services: tuple[str, ...]  # `use.services`: Services labelled one by one
    workloads: tuple[str, ...]  # `use.workloads`: Deployments whose pod templates are labelled
    path: ProfilePath


@dataclass(frozen=True)
class PolicySource:
    """`namespaces[].policies`: the team's AuthorizationPolicy YAML (a file or a directory)."""

    written: str  # as the profile names it, relative to the profile
    file: str  # where it is on disk
    path: ProfilePath  # the profile's `policies` entry


def tsb_trust_domain(cluster: str) -> str:
    """The trust domain TSB gives a cluster's mesh, `<cluster>.tsb.local` (seeds 000 and 004:
    `spiffe://cp-cluster-1.tsb.local/ns/httpbin/sa/waypoint`), unless `istio.trustDomain` says another."""
    return cluster + TSB_TRUST_DOMAIN_SUFFIX
