"""Stage 5, plan: model -> the list of files to render.

This package is the only code that decides output paths, one planner per capability. Layout of
`out/<profile>/`:

    management-plane/<mp-cluster>/managementplane-values.yaml   ManagementPlane helm values overlay
    management-plane/<mp-cluster>/tsb/                          TSB objects (tsb.form), the GitOps namespace
                                                                (gitops form) + kustomization
    management-plane/<mp-cluster>/tsb-config.yaml               tctl form: the same objects as one v1 List
    clusters/<cluster>/control-plane/controlplane-values.yaml   ControlPlane helm values overlay
    clusters/<cluster>/namespaces/<namespace>/                  Namespace, apps, ... + kustomization

One Kubernetes object per file, named `<kind>-<name>.yaml` in lower case; every directory of
Kubernetes objects gets a `kustomization.yaml` listing them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from posixpath import join as join_path

from ..profile.model import Profile
from posixpath import dirname

from .delivery import delivery_objects, roll_ups
from .controlplane import BaseValues, control_plane, management_plane_values
from .folders import namespace_blocks, namespace_folder
from .outputs import KUSTOMIZATION, Block, ObjectIdentity, Output, Plan, TemplateContext, kustomizations, output_collisions
from .tenancy import gitops_receiver, tenancy_objects
from .policies import policy_outputs
from .waypoints import waypoint_outputs
from ..policies.load import LoadedPolicies
from ..kit.active import active_kit
from ..kit.plan import kit_outputs

if TYPE_CHECKING:
    from ..graph.readme import Estate

__all__ = ["Block", "ObjectIdentity", "Output", "Plan", "TemplateContext", "output_collisions", "plan"]


def plan(profile: Profile, base_values: BaseValues | None = None, policies: LoadedPolicies | None = None,
         estate: Estate | None = None) -> Plan:
    """`base_values`: the live helm values the profile names, loaded (profile/values.py);
    `policies`: the AuthorizationPolicies it names, loaded (policies/load.py); `estate`: for a full
    tree, the whole profile and the position rendered, for its README (graph/readme.py). Each
    namespace folder is a block (outputs.Block), its outputs made when they are rendered."""
    values = base_values or {}
    management_plane = join_path("management-plane", profile.management_plane.cluster)
    blocks = namespace_blocks(profile)
    fixed: list[Output] = []
    extras: dict[str, list[Output]] = {}
    for output in (
        *management_plane_values(
            profile, management_plane, values, gitops_receiver(profile) == profile.management_plane.cluster
        ),
        *tenancy_objects(profile, management_plane),
        *(output for cluster in profile.clusters for output in control_plane(cluster, values)),
        *waypoint_outputs(profile),
        *policy_outputs(profile, policies or LoadedPolicies()),
        *kit_outputs(profile, active_kit() if profile.kit else None),
        *_readme(profile, estate),
    ):
        folder = namespace_folder(output.path)
        if folder in blocks:  # planned with the rest, written in the namespace's folder
            extras.setdefault(folder, []).append(output)
        else:
            fixed.append(output)
    for folder, found in extras.items():
        blocks[folder] = blocks[folder].with_extras(tuple(found))
    fixed.extend(kustomizations(fixed))
    leaves = {dirname(output.path) for output in fixed if output.path.endswith("/" + KUSTOMIZATION)}
    leaves.update(leaf for block in blocks.values() for leaf in block.leaves())
    fixed.extend(roll_ups(profile, leaves))
    delivered = list(delivery_objects(profile, fixed))
    fixed.extend([*delivered, *kustomizations(delivered)])
    named = [ref.written for ref in profile.base_value_refs]
    named += [namespace.policies.written for namespace in profile.namespaces if namespace.policies]
    named += list(profile.kit)  # every kit file counts in the inputs' fingerprint
    sources = tuple(dict.fromkeys(named))
    return Plan(profile.name, tuple(sorted(fixed, key=lambda output: output.path)), sources,
                tuple(sorted(blocks.values(), key=lambda block: block.prefix)))


def _readme(profile: Profile, estate: Estate | None) -> list[Output]:
    """The estate's README and each cluster's verify script, for a full tree (graph/ builds on the migration and the mesh, which
    build on this package: imported when needed)."""
    if estate is None:
        return []
    from ..graph.readme import readme_outputs
    from ..graph.verify import verify_outputs

    return [*readme_outputs(profile, estate), *verify_outputs(profile)]
