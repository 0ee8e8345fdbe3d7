"""A namespace's policies while its migration phase moves it (migration/steps.py): what the old
pods (sidecars) and the new ones (ztunnel, behind the waypoint) both need, side by side.

Per policy, against where the settled translation (translate.py) puts it once the namespace is
ambient:
- kept on its selector (L4, no waypoint in its path): the settled policy, as it will stay;
- moved to the waypoint: the selector policy as written stays for the sidecars; the moved one is
  added as `<name>-waypoint` (same rules, on `targetRefs`), and its `-ztunnel` companion too. A
  selector DENY exempts the waypoint's identity, so that once ztunnel enforces it without its L7
  conditions it denies callers that bypass the waypoint, not the waypoint itself (for the sidecars
  nothing changes: no caller of theirs is the waypoint).
The clean-up step then renders the settled translation: the selector policy becomes the
`targetRefs` one in place, and the `-waypoint` copy is pruned after it (engines apply, then prune).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from ..mesh import NamespaceMesh
from ..problems import Problem
from . import notes
from .model import Action, Attachment, AuthorizationPolicy
from .identity import ztunnel_spec
from .translate import MAX_NAME, RenderedPolicy, Translation, exempt_waypoint, translate_namespace

WAYPOINT_COPY_SUFFIX = "-waypoint"
WAYPOINT_COPY_RULE = "policy-name-in-migration"


def _moved(policy: AuthorizationPolicy, item: RenderedPolicy) -> bool:
    return (item.name == policy.name and policy.attachment in (Attachment.SELECTOR, Attachment.NAMESPACE)
            and "targetRefs" in item.spec)


def _sidecar_original(policy: AuthorizationPolicy, settled: NamespaceMesh) -> RenderedPolicy:
    # The new pods' ztunnel enforces it too, until the clean-up: principals in the real trust domain
    # (identity.py; the same to the sidecars, which read cluster.local as theirs).
    written, found = ztunnel_spec(policy, settled)
    spec = dict(written)
    text = (f"Kept on {notes.selector_text(policy)} while namespace {settled.namespace.name} moves to ambient: "
            "the pods that still run sidecars enforce it. The clean-up step of this phase replaces it with the "
            "policy on `targetRefs`.")
    if found.rewritten:
        text += (f" Its cluster.local/ principals are written in trust domain {settled.cluster.trust_domain}, "
                 "which ztunnel reads (it does not read cluster.local as its own).")
    if policy.action is Action.DENY:
        principal = settled.waypoint_principal
        spec["rules"] = [exempt_waypoint(rule, principal) for rule in spec.get("rules") or []]
        text += (f" The waypoint ({principal}) is exempt: once ztunnel enforces this policy without its L7 "
                 "conditions, it still denies callers that bypass the waypoint, and the waypoint enforces it whole.")
    return RenderedPolicy(policy.name, settled.namespace.name, policy.labels, policy.annotations, spec,
                          notes.lines(notes.origin(policy), text), policy)


def _waypoint_copy(item: RenderedPolicy) -> RenderedPolicy:
    text = (f"Added beside {item.name} (still on its selector for the sidecars) while the namespace moves to "
            f"ambient; the clean-up step of this phase moves {item.name} itself here and removes this copy.")
    return replace(item, name=item.name + WAYPOINT_COPY_SUFFIX, notes=(*item.notes, *notes.lines(text)))


def transition_namespace(policies: Iterable[AuthorizationPolicy], settled: NamespaceMesh) -> Translation:
    """The policies of a namespace within its phase; `settled` is its mesh once the phase is done."""
    found = tuple(policies)
    translation = translate_namespace(found, settled)
    taken = {policy.name for policy in found} | {item.name for item in translation.policies}
    rendered: list[RenderedPolicy] = []
    problems: list[Problem] = list(translation.problems)
    for policy in found:
        items = [item for item in translation.policies if item.origin is policy]
        moved = next((item for item in items if _moved(policy, item)), None)
        if moved is None:
            rendered += items
            continue
        copy = _waypoint_copy(moved)
        if copy.name in taken or len(copy.name) > MAX_NAME:
            problems.append(Problem(
                f"gen names the waypoint copy of policy {policy.name} {copy.name!r} while its namespace moves, "
                + ("which another policy uses" if copy.name in taken else "longer than 253 characters"),
                WAYPOINT_COPY_RULE, policy.profile_path, "rename one of the policies",
                location=policy.written.at(("metadata", "name")),
            ))
        rendered += [_sidecar_original(policy, settled), copy, *(item for item in items if item is not moved)]
    return Translation(tuple(rendered), tuple(problems))
