"""The namespace folders of a plan, `clusters/<cluster>/namespaces/<namespace>/`, one block each
(outputs.Block): the Namespace and its apps, with the labels that route traffic through its
waypoint, made when the render reaches the folder rather than held in the plan. An estate is
mostly its namespace folders: a plan of blocks is a few hundred bytes per namespace, not a dozen
outputs (issue 22: memory flat in the estate)."""

from __future__ import annotations

from dataclasses import replace
from functools import partial

from ..mesh import NamespaceMesh, meshes
from ..profile.model import Namespace, Profile
from .catalog import catalog
from .namespaces import folder_outputs
from .outputs import Block, Output
from .waypoints import labelled, namespace_directory


def namespace_folder(path: str) -> str | None:
    """The namespace folder `path` is in, if any."""
    parts = path.split("/", 4)
    if len(parts) == 5 and parts[0] == "clusters" and parts[2] == "namespaces":
        return "/".join(parts[:4])
    return None


def namespace_blocks(profile: Profile) -> dict[str, Block]:
    """folder -> its block, for every (cluster, namespace) of the profile."""
    # What a folder's labels need of its mesh: its cluster, namespace and waypoint, not its Services
    # and workloads (the estate's meshes go once the render starts: pipeline.forget_placed).
    by_directory = {namespace_directory(mesh): replace(mesh, services=(), workloads=()) for mesh in meshes(profile)}
    revisions = {cluster.name: cluster.istio_revision for cluster in profile.clusters}
    blocks: dict[str, Block] = {}
    for namespace in profile.namespaces:
        for cluster in namespace.clusters:
            folder = f"clusters/{cluster}/namespaces/{namespace.name}"
            size = 2 + sum(len(catalog()[app.name].objects) for app in namespace.app_parameters)
            block = Block(folder, partial(_made, namespace, cluster, revisions.get(cluster), by_directory.get(folder)),
                          size=size)
            blocks[folder] = blocks[folder].joined(block) if folder in blocks else block
    return blocks


def _made(namespace: Namespace, cluster: str, revision: str | None, mesh: NamespaceMesh | None) -> list[Output]:
    outputs = folder_outputs(namespace, cluster, revision, keep=False)  # made as the render reaches it
    return [labelled(mesh, output) for output in outputs] if mesh is not None else list(outputs)
