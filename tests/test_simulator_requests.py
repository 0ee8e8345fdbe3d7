"""The rollout simulator asks each Service for a method and a path no policy names, too (found by
test_simulator_properties.py).

A rule on GET says nothing of PATCH: where every method the policies name is decided alike at the
baseline and at a step, a method they do not name may still change. Asking GET / and the named
methods and paths alone, the simulator accepted gen's own plan for the second estate below, whose
settled steps deny PATCH calls the baseline allows.
"""

from __future__ import annotations

from pathlib import Path

from generator.pipeline import checked_model, render_profile  # first: it imports the stages in their order
from generator.migration.simulate import calls, moments, simulate
from generator.migration.steps import Position, positions
from generator.policies.load import load_policies
from generator.problems import ProfileError
from helpers import write_profile

# Two namespaces on a cluster whose waypoints TSB manages; `web` (its app: {web}) moves to ambient.
PROFILE = """\
profile: requests
tsb: {{version: "1.12.1", organization: tetrate, gitopsNamespace: tsb-gitops}}
managementPlane: {{cluster: tsb-mp}}
clusters:
- name: c1
  platform: kind
  istio: {{version: "1.24.3"}}
  ambient:
    enabled: true
    waypoints: {{mode: tsb-managed}}
namespaces:
- name: web
  clusters: [c1]
  dataplane: sidecar
  apps: [{web}]
  policies: web.yaml
- name: client
  clusters: [c1]
  dataplane: sidecar
  apps: [{client}]
migration:
  phases:
  - name: web
    namespaces: [web]
"""

POLICIES = """\
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: from-client, namespace: web}
spec:
  selector: {matchLabels: {app: httpbin}}
  rules:
  - from: [{source: {namespaces: [client]}}]
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: no-get, namespace: web}
spec:
  selector: {matchLabels: {app: httpbin}}
  action: DENY
  rules:
  - to: [{operation: {methods: [GET]}}]
"""


# httpbin's sidecar denies GET and admits only callers from namespace `client`. Moved to ambient in one
# step, httpbin's pods that still run sidecars while the step syncs find both policies moved to the
# waypoint's `targetRefs` and, on their selector, only the `-ztunnel` part of the ALLOW, which admits
# the waypoint alone: PATCH from `client`, allowed at the baseline, is denied there. GET is denied
# before and after.
def test_a_method_no_policy_names_is_asked_too(tmp_path: Path) -> None:
    (tmp_path / "web.yaml").write_text(POLICIES, "utf-8")
    profile, _ = checked_model(write_profile(tmp_path, PROFILE.format(web="httpbin", client="sleep")))  # gen's plan (prepare, move, cleanup) is safe
    policies, _ = load_policies(profile)
    baseline = next(moments(profile, policies))
    asked = {(call.client, call.request.method, call.request.path) for call in calls(baseline.world, policies)}
    assert {method for _, method, _ in asked} == {"GET", "PATCH"}
    last = list(positions(profile, policies))[-1]
    found = {(f.moment.label, f.call.client, f.call.request.method, f.found.outcome)
             for f in simulate(profile, policies, [Position(0), last])}
    assert ("while it syncs, before pruning", ("client", "sleep"), "PATCH", "denied") in found


# gen's own plan, which the simulator accepted when it asked GET alone: web's two ALLOW policies are
# split once web is ambient, `get-or-from-client` (it matches callers) moved to TSB's waypoint and
# `port-80` (it does not) kept for ztunnel; the waypoint, with an ALLOW policy of its own, denies
# what only `port-80` allowed. GET is allowed by both, so only a method no policy names shows it.
SPLIT_POLICIES = """\
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: get-or-from-client, namespace: web}
spec:
  rules:
  - to: [{operation: {methods: [GET]}}]
  - from: [{source: {namespaces: [client]}}]
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: port-80, namespace: web}
spec:
  rules:
  - to: [{operation: {ports: ["80"]}}]
"""


def test_a_plan_that_changes_only_a_method_no_policy_names_is_refused(tmp_path: Path) -> None:
    (tmp_path / "web.yaml").write_text(SPLIT_POLICIES, "utf-8")
    path = write_profile(tmp_path, PROFILE.format(web="sleep", client="httpbin"))
    try:
        render_profile(path)
    except ProfileError as error:
        problems = [problem for problem in error.problems if problem.is_error]
    else:
        raise AssertionError("gen accepted the migration")
    assert {problem.rule for problem in problems} == {"rollout-step"}
    assert problems[0].message.startswith("phase 1 'web', step 'move' (while it syncs, before pruning): "
                                          "web/sleep -> sleep.web (sleep) PATCH / :80 on cluster c1 is allowed")
