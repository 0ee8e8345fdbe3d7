"""The rollout simulator asks each Service for a method and a path no policy names, too (found by
test_simulator_properties.py).

A rule on GET says nothing of PATCH: where every method the policies name is decided alike at the
baseline, a method they do not name may still change. Here httpbin's sidecar denies GET and admits
only callers from namespace `client`. Moved to ambient in one step, httpbin's pods that still run
sidecars while the step syncs find both policies moved to the waypoint's `targetRefs` and, on their
selector, only the `-ztunnel` part of the ALLOW, which admits the waypoint alone: PATCH from
`client`, allowed at the baseline, is denied there. GET is denied before and after, so asking GET
alone missed it.
"""

from __future__ import annotations

from pathlib import Path

from generator.pipeline import checked_model  # first: it imports the stages in their order
from generator.migration.simulate import calls, moments, simulate
from generator.migration.steps import Position, positions
from generator.policies.load import load_policies
from helpers import write_profile

PROFILE = """\
profile: requests
tsb: {version: "1.12.1", organization: tetrate, gitopsNamespace: tsb-gitops}
managementPlane: {cluster: tsb-mp}
clusters:
- name: c1
  platform: kind
  istio: {version: "1.24.3"}
  ambient:
    enabled: true
    waypoints: {mode: tsb-managed}
namespaces:
- name: web
  clusters: [c1]
  dataplane: sidecar
  apps: [httpbin]
  policies: web.yaml
- name: client
  clusters: [c1]
  dataplane: sidecar
  apps: [sleep]
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


def test_a_method_no_policy_names_is_asked_too(tmp_path: Path) -> None:
    (tmp_path / "web.yaml").write_text(POLICIES, "utf-8")
    profile, _ = checked_model(write_profile(tmp_path, PROFILE))  # gen's plan (prepare, move, cleanup) is safe
    policies, _ = load_policies(profile)
    baseline = next(moments(profile, policies))
    asked = {(call.client, call.request.method, call.request.path) for call in calls(baseline.world, policies)}
    assert {method for _, method, _ in asked} == {"GET", "PATCH"}
    last = list(positions(profile, policies))[-1]
    found = {(f.moment.label, f.call.client, f.call.request.method, f.found.outcome)
             for f in simulate(profile, policies, [Position(0), last])}
    assert ("while it syncs, before pruning", ("client", "sleep"), "PATCH", "denied") in found
