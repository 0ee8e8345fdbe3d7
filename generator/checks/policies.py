"""DIRECT-mode policies where ambient enforces them: the outages and holes translation finds
(policies/translate.py), for every namespace on every cluster, each reported once."""

from __future__ import annotations

from ..mesh import meshes
from ..policies.load import LoadedPolicies
from ..policies.translate import translate_namespace
from ..problems import Problem
from ..profile.model import Profile


def policy_problems(profile: Profile, policies: LoadedPolicies) -> list[Problem]:
    found: dict[tuple[str, str, object], Problem] = {}
    for mesh in meshes(profile):
        loaded = policies.of(mesh.namespace)
        if loaded:
            for problem in translate_namespace(loaded, mesh).problems:
                found.setdefault((problem.rule, problem.message, problem.location), problem)
    return list(found.values())
