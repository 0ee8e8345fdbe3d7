"""Policies that ambient would not enforce as written: each outage and hole is an error located at
the policy file's line and column and at the profile entry that names the file, saying what would
happen. Unreadable or malformed policy files are located the same way."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from conftest import REPO, position_of
from generator.problems import Problem
from generator.report import ReportFormat, format_problems
from helpers import run_command
from test_errors import only
from waypoint_profiles import estate, policy, problems_of

SLEEP = "cluster.local/ns/bookinfo/sa/sleep"
PRODUCTPAGE_SA = "cluster.local/ns/bookinfo/sa/bookinfo-productpage"


def assert_both(problem: Problem, tmp_path: Path, file: str, text: str, needle: str, profile: str,
                occurrence: int = 1) -> None:
    """At `needle` in the policy file, and at the profile's `policies:` value."""
    assert problem.location is not None and problem.related is not None
    assert problem.location.file == str(tmp_path / "policies" / file)
    assert (problem.location.line, problem.location.column) == position_of(text, needle, occurrence)
    assert problem.path == ("namespaces", 0, "policies")
    assert problem.related.file == str(tmp_path / "profile.yaml")
    line, column = position_of(profile, "policies: policies")
    assert (problem.related.line, problem.related.column) == (line, column + len("policies: "))


def _selector(app: str, version: str = "") -> str:
    extra = f"\n      version: {version}" if version else ""
    return f"  selector:\n    matchLabels:\n      app: {app}{extra}\n"


# Outages


def test_l7_policy_with_no_waypoint_in_its_path_would_deny(tmp_path: Path) -> None:
    text = policy("details-get", _selector("details") + "  rules:\n  - to:\n    - operation:\n        methods: [GET]\n")
    path, profile = estate(tmp_path, {"details.yaml": text})
    problem = only(problems_of(path), "l7-policy-on-ztunnel")
    assert_both(problem, tmp_path, "details.yaml", text, "methods", profile)
    assert "no waypoint is in the path of details-v1 (Service details)" in problem.message
    assert "ztunnel turns it into a DENY" in problem.message and "(outage)" in problem.message
    assert "give namespace bookinfo a waypoint and route Service details through it" in problem.hint


def test_l7_deny_with_no_waypoint_would_deny_more(tmp_path: Path) -> None:
    text = policy("no-delete", _selector("ratings") + "  action: DENY\n  rules:\n  - to:\n    - operation:\n"
                  "        ports: [\"9080\"]\n        methods: [DELETE]\n")
    path, profile = estate(tmp_path, {"ratings.yaml": text})
    problem = only(problems_of(path), "l7-policy-on-ztunnel")
    assert_both(problem, tmp_path, "ratings.yaml", text, "methods", profile)
    assert "it denies every request its L4 part matches" in problem.message


def test_caller_policy_for_a_workload_behind_the_waypoint_that_cannot_move_would_deny(tmp_path: Path) -> None:
    text = policy("reviews-v2-from-productpage", _selector("reviews", "v2") +
                  f"  rules:\n  - from:\n    - source:\n        principals: [\"{PRODUCTPAGE_SA}\"]\n")
    path, profile = estate(tmp_path, {"reviews.yaml": text})
    problem = only(problems_of(path), "waypoint-identity")
    assert_both(problem, tmp_path, "reviews.yaml", text, "principals", profile)
    assert "traffic to reviews-v2 now arrives through waypoint 'waypoint' (via Service reviews)" in problem.message
    assert "ztunnel sees the waypoint (east.tsb.local/ns/bookinfo/sa/waypoint)" in problem.message
    assert "it would deny every request through the waypoint (outage)" in problem.message
    assert "Service reviews also routes to reviews-v1 and reviews-v3" in problem.message


def test_l7_policy_that_would_widen_on_the_waypoint_is_refused(tmp_path: Path) -> None:
    text = policy("reviews-v2-get", _selector("reviews", "v2") + "  rules:\n  - to:\n    - operation:\n"
                  "        methods: [GET]\n")
    path, profile = estate(tmp_path, {"reviews.yaml": text})
    problem = only(problems_of(path), "policy-scope")
    assert_both(problem, tmp_path, "reviews.yaml", text, "selector", profile)
    assert "Service reviews also routes to reviews-v1 and reviews-v3" in problem.message


# Holes


def test_custom_policy_with_no_waypoint_would_be_ignored(tmp_path: Path) -> None:
    text = policy("ext-authz", _selector("details") + "  action: CUSTOM\n  provider:\n    name: opa\n"
                  "  rules:\n  - to:\n    - operation:\n        paths: [\"/admin*\"]\n")
    path, profile = estate(tmp_path, {"authz.yaml": text})
    problem = only(problems_of(path), "ztunnel-ignores-policy")
    assert_both(problem, tmp_path, "authz.yaml", text, "paths", profile)
    assert "its provider would never be asked and every request passes (fail open)" in problem.message


def test_service_target_no_label_routes_through_is_never_enforced(tmp_path: Path) -> None:
    text = policy("details-get", "  targetRefs:\n  - kind: Service\n    group: \"\"\n    name: details\n"
                  "  rules:\n  - to:\n    - operation:\n        methods: [GET]\n")
    path, profile = estate(tmp_path, {"details.yaml": text})
    problem = only(problems_of(path), "unrouted-policy-target")
    assert_both(problem, tmp_path, "details.yaml", text, "kind: Service", profile)
    assert "no istio.io/use-waypoint label routes that Service through a waypoint" in problem.message
    assert "never enforced" in problem.message


def test_waypoint_target_no_label_routes_through_is_never_enforced(tmp_path: Path) -> None:
    text = policy("all-get", "  targetRefs:\n  - kind: Gateway\n    group: gateway.networking.k8s.io\n"
                  "    name: waypoint\n  rules:\n  - to:\n    - operation:\n        methods: [GET]\n")
    path, profile = estate(tmp_path, {"all.yaml": text}, ("use: {services: [productpage, reviews]}", "use: {}"))
    problem = only(problems_of(path), "unrouted-policy-target")
    assert_both(problem, tmp_path, "all.yaml", text, "kind: Gateway", profile)
    assert "no istio.io/use-waypoint label routes traffic through it" in problem.message


def test_service_waypoint_does_not_see_traffic_addressed_to_pods(tmp_path: Path) -> None:
    text = policy("netshoot-get", _selector("netshoot") + "  rules:\n  - to:\n    - operation:\n"
                  "        methods: [GET]\n")
    path, profile = estate(tmp_path, {"netshoot.yaml": text},
                           ("use: {services: [productpage, reviews]}", "use: namespace"))
    problem = only(problems_of(path), "waypoint-for")
    assert_both(problem, tmp_path, "netshoot.yaml", text, "methods", profile)
    assert "netshoot, whose traffic is addressed to its pods (no Service selects them)" in problem.message
    assert "is for service traffic and never sees it" in problem.message and "(hole)" in problem.message


def test_workload_waypoint_does_not_see_traffic_addressed_to_a_service(tmp_path: Path) -> None:
    text = policy("productpage-get", "  targetRefs:\n  - kind: Service\n    group: \"\"\n    name: productpage\n"
                  "  rules:\n  - to:\n    - operation:\n        methods: [GET]\n")
    path, profile = estate(tmp_path, {"productpage.yaml": text}, ("for: service", "for: workload"),
                           ("use: {services: [productpage, reviews]}", "use: namespace"))
    problem = only(problems_of(path), "waypoint-for")
    assert_both(problem, tmp_path, "productpage.yaml", text, "kind: Service", profile)
    assert "that waypoint is for workload traffic and never sees traffic addressed to a Service" in problem.message


def test_use_waypoint_naming_a_missing_waypoint_leaves_its_policy_unenforced(tmp_path: Path) -> None:
    text = policy("netshoot-get", "  targetRefs:\n  - kind: Gateway\n    group: gateway.networking.k8s.io\n"
                  "    name: netshoot-wp\n  rules:\n  - to:\n    - operation:\n        methods: [GET]\n")
    path, profile = estate(tmp_path, {"netshoot.yaml": text}, (
        "apps: [bookinfo, sleep, netshoot]",
        "apps: [bookinfo, sleep, {name: netshoot, labels: {istio.io/use-waypoint: netshoot-wp}}]"))
    problems = [p for p in problems_of(path) if p.rule == "unknown-waypoint"]
    label, attached = sorted(problems, key=lambda p: p.path != ("namespaces", 0, "policies"), reverse=True)
    assert_both(attached, tmp_path, "netshoot.yaml", text, "kind: Gateway", profile)
    assert "which app netshoot's istio.io/use-waypoint label names" in attached.message
    assert "this policy is never enforced" in attached.message
    assert label.location is not None and label.location.file == str(path)
    assert (label.location.line, label.location.column) == position_of(profile, "netshoot-wp")


# The files themselves


def test_malformed_policies_are_all_reported_at_their_lines(tmp_path: Path) -> None:
    typo = policy("a", _selector("ratings") + "  rules:\n  - to:\n    - operation:\n        method: [GET]\n")
    port = policy("b", _selector("ratings") + "  rules:\n  - to:\n    - operation:\n        ports: [9080]\n")
    other = "apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata:\n  name: c\n"
    elsewhere = policy("d", _selector("ratings"), namespace="shop")
    path, profile = estate(tmp_path, {"1.yaml": typo, "2.yaml": port, "3.yaml": other, "4.yaml": elsewhere})
    problems = [p for p in problems_of(path) if p.rule == "policy-schema"]
    assert [p.location.file.rsplit("/", 1)[1] for p in problems if p.location] == ["1.yaml", "2.yaml", "3.yaml", "4.yaml"]
    unknown, number, kind, namespace = problems
    assert_both(unknown, tmp_path, "1.yaml", typo, "method", profile)
    assert unknown.hint.startswith("did you mean 'methods'?")
    assert_both(number, tmp_path, "2.yaml", port, "9080", profile)
    assert number.message == "expected a string, got a number (9080)" and "quote it" in number.hint
    assert_both(kind, tmp_path, "3.yaml", other, "PeerAuthentication", profile)
    assert_both(namespace, tmp_path, "4.yaml", elsewhere, "shop", profile)
    assert "the profile lists it under namespace 'bookinfo'" in namespace.message


def test_invalid_yaml_and_a_missing_file_are_located(tmp_path: Path) -> None:
    path, profile = estate(tmp_path, {"bad.yaml": "apiVersion: [\n"})
    problem = only(problems_of(path), "policy-file")
    assert problem.location is not None and problem.location.file == str(tmp_path / "policies" / "bad.yaml")
    assert problem.location.line == 2 and "not valid YAML" in problem.message
    path, _ = estate(tmp_path, {}, ("policies: policies", "policies: nowhere"))
    (tmp_path / "policies" / "bad.yaml").unlink()
    missing = only(problems_of(path), "policy-file")
    assert "does not exist" in missing.message and missing.location is not None
    assert missing.location.line == 0 and missing.related is not None


def test_two_policies_of_one_name_are_refused_at_the_second(tmp_path: Path) -> None:
    first = policy("same", _selector("ratings") + "  rules:\n  - {}\n")
    path, profile = estate(tmp_path, {"a.yaml": first, "b.yaml": first})
    problem = only(problems_of(path), "policy-schema")
    assert_both(problem, tmp_path, "b.yaml", first, "same", profile)
    assert f"the other at {tmp_path / 'policies' / 'a.yaml'}:4" in problem.message


def test_reports_show_the_profile_entry_beside_the_policy_position(tmp_path: Path) -> None:
    text = policy("details-get", _selector("details") + "  rules:\n  - to:\n    - operation:\n        methods: [GET]\n")
    path, profile = estate(tmp_path, {"details.yaml": text})
    problems = problems_of(path)
    line, column = position_of(profile, "policies: policies")
    named = f"{path}:{line}:{column + len('policies: ')}"
    assert f"    named at: {named}\n" in format_problems(problems, ReportFormat.TEXT)
    item = json.loads(format_problems(problems, ReportFormat.JSON))["problems"][0]
    assert item["related"] == {"file": str(path), "line": line, "column": column + len("policies: ")}
    assert item["path"] == "namespaces[0].policies" and item["file"].endswith("details.yaml")
    assert f"named at: {named}" in format_problems(problems, ReportFormat.GITHUB)


def test_the_cli_exits_2_with_every_problem_and_no_traceback(tmp_path: Path) -> None:
    bad = policy("a", _selector("details") + "  rules:\n  - to:\n    - operation:\n        methods: [GET]\n")
    worse = policy("b", _selector("ratings") + "  selector2: {}\n")
    path, _ = estate(tmp_path, {"a.yaml": bad, "b.yaml": worse})
    completed = run_command([sys.executable, "-m", "generator", "render", str(path), "--out", str(tmp_path / "out")],
                            tmp_path, PYTHONPATH=str(REPO))
    assert completed.returncode == 2, completed.stderr
    assert "Traceback" not in completed.stderr
    assert "[l7-policy-on-ztunnel]" in completed.stderr and "unknown key 'selector2'" in completed.stderr
    assert "2 errors; nothing was written" in completed.stderr
    assert not (tmp_path / "out").exists()
