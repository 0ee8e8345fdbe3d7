"""The namespaces' AuthorizationPolicies, where ambient enforces them (policies/translate.py):
one object per file, `authorizationpolicy-<name>.yaml` in the namespace folder, each with a
comment saying where it comes from and what gen changed."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from ..mesh import NamespaceMesh, meshes, settled_mesh
from ..policies.load import LoadedPolicies
from ..policies.model import API_VERSION, AuthorizationPolicy, KIND, Pairs
from ..policies.transition import transition_namespace
from ..policies.translate import Translation, translate_namespace
from ..profile.model import Profile
from .outputs import ObjectContext, Output, object_output
from .waypoints import namespace_directory


@dataclass(frozen=True, kw_only=True)
class AuthorizationPolicyContext(ObjectContext):
    template: ClassVar[str] = "istio/authorizationpolicy.yaml.j2"
    labels: Pairs = ()
    annotations: Pairs = ()
    spec: Mapping[str, Any]  # plain data, printed through the `yaml_block` filter
    notes: tuple[str, ...] = ()


def namespace_policies(mesh: NamespaceMesh, found: tuple[AuthorizationPolicy, ...]) -> Translation:
    """What gen renders of a namespace's policies: where ambient enforces them, or, within the
    migration phase that moves the namespace, what both its old and its new pods need."""
    if mesh.namespace.stage is not None:
        return transition_namespace(found, settled_mesh(mesh))
    return translate_namespace(found, mesh)


def policy_outputs(profile: Profile, policies: LoadedPolicies) -> Iterator[Output]:
    for mesh in meshes(profile):
        found = policies.of(mesh.namespace)
        if not found:
            continue
        for rendered in namespace_policies(mesh, found).policies:
            yield object_output(
                namespace_directory(mesh),
                API_VERSION,
                KIND,
                AuthorizationPolicyContext(
                    name=rendered.name, namespace=rendered.namespace, labels=rendered.labels,
                    annotations=rendered.annotations, spec=rendered.spec, notes=rendered.notes,
                ),
                rendered.origin.profile_path,
                f"the policies of namespace '{mesh.namespace.name}'",
            )
