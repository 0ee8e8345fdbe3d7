"""The namespace folders of a plan, `clusters/<cluster>/namespaces/<namespace>/`, one block each
(outputs.Block): the Namespace and its apps, with the labels that route traffic through its
waypoint, made when the render reaches the folder rather than held in the plan. An estate is
mostly its namespace folders: a plan of blocks is a few hundred bytes per namespace, not a dozen
outputs (issue 22: memory flat in the estate)."""

from __future__ import annotations

from ..mesh import NamespaceMesh, Waypoint, meshes
from ..profile.model import Cluster, Namespace, Profile
from .catalog import catalog
from .namespaces import folder_outputs, namespace_folder_of
from .outputs import Block, Output
from .waypoints import labelled


def namespace_folder(path: str) -> str | None:
    """The namespace folder `path` is in, if any."""
    parts = path.split("/", 4)
    if len(parts) == 5 and parts[0] == "clusters" and parts[2] == "namespaces":
        return "/".join(parts[:4])
    return None


def namespace_blocks(profile: Profile) -> dict[str, Block]:
    """folder -> its block, for every (cluster, namespace) of the profile."""
    # What a folder's labels need of its mesh: its cluster, namespace and waypoint (one object for
    # the namespaces that share one), not its Services and workloads: the estate's meshes go once the
    # render starts (pipeline.forget_placed).
    waypoints = {(mesh.cluster.name, mesh.namespace.name): mesh.waypoint for mesh in meshes(profile)}
    clusters = {cluster.name: cluster for cluster in profile.clusters}
    blocks: dict[str, Block] = {}
    for namespace in profile.namespaces:
        size = 2 + sum(len(catalog()[app.name].objects) for app in namespace.app_parameters)
        for cluster in namespace.clusters:  # a mesh each (mesh.meshes)
            folder = namespace_folder_of(cluster, namespace.name)
            block = Block(folder, _Folder(namespace, clusters[cluster], waypoints[cluster, namespace.name]),
                          size=size)
            blocks[folder] = blocks[folder].joined(block) if folder in blocks else block
    return blocks


class _Folder:
    """What makes a namespace folder's outputs on a cluster (a block's `make`): the namespace, the
    cluster, and the waypoint its labels name (its mesh's)."""

    __slots__ = ("namespace", "cluster", "waypoint")

    def __init__(self, namespace: Namespace, cluster: Cluster, waypoint: Waypoint | None) -> None:
        self.namespace = namespace
        self.cluster = cluster
        self.waypoint = waypoint

    def __call__(self) -> list[Output]:
        namespace, cluster = self.namespace, self.cluster
        outputs = folder_outputs(namespace, cluster.name, cluster.istio_revision)  # made as the render reaches it
        mesh = NamespaceMesh(cluster, namespace, (), (), self.waypoint)  # all that labelled() reads of it
        return [labelled(mesh, output) for output in outputs]
