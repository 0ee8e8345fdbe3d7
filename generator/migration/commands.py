"""The commands of a phase, as shell words: label a namespace from one state to another, restart
its workloads. Seed 004's form: `kubectl label --overwrite namespace <ns> istio-injection-
istio.io/dataplane-mode=ambient`, then `kubectl rollout restart deployment -n <ns>`.

One `kubectl label` command changes both labels at once (as TSB's steps do), so the namespace is
never labelled for ambient and injection together; removals come first, as in the seed. The
rollback is the same function from the later state to the earlier one.
"""

from __future__ import annotations

from collections.abc import Mapping

Command = tuple[str, ...]


def label_command(namespace: str, before: Mapping[str, str], after: Mapping[str, str]) -> Command | None:
    """The command that turns labels `before` into `after` (None: nothing to change)."""
    removed = tuple(f"{key}-" for key in before if key not in after)
    changed = tuple(f"{key}={value}" for key, value in after.items() if before.get(key) != value)
    if not removed and not changed:
        return None
    return ("kubectl", "label", "--overwrite", "namespace", namespace, *removed, *changed)


def restart_command(namespace: str) -> Command:
    return ("kubectl", "rollout", "restart", "deployment", "-n", namespace)

