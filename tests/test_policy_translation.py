"""DIRECT-mode policies, as teams write them for sidecars, where ambient enforces them.

The estate (waypoint_profiles.py): bookinfo's productpage and reviews Services use a `service`
waypoint; details, ratings, sleep and netshoot have no waypoint in their path.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from generator.pipeline import render_profile
from test_errors import only
from waypoint_profiles import comment_of, estate, policies_of, policy, problems_of, texts

# The estate's cluster `east` has TSB's default trust domain, which ztunnel's policies name.
TRUST_DOMAIN = "east.tsb.local"
WAYPOINT = f"{TRUST_DOMAIN}/ns/bookinfo/sa/waypoint"
ADMIT_WAYPOINT = {"from": [{"source": {"principals": [WAYPOINT]}}]}
SLEEP = "cluster.local/ns/bookinfo/sa/sleep"
PRODUCTPAGE_SA = "cluster.local/ns/bookinfo/sa/bookinfo-productpage"
PRODUCTPAGE_SA_AT_ZTUNNEL = f"{TRUST_DOMAIN}/ns/bookinfo/sa/bookinfo-productpage"


def at_ztunnel(spec: Any) -> Any:
    """A spec as ztunnel must read it: cluster.local principals in the cluster's trust domain."""
    return json.loads(json.dumps(spec).replace('"cluster.local/', f'"{TRUST_DOMAIN}/'))


def service(name: str) -> dict[str, str]:
    return {"kind": "Service", "group": "", "name": name}


GATEWAY = {"kind": "Gateway", "group": "gateway.networking.k8s.io", "name": "waypoint"}

PRODUCTPAGE = "  selector:\n    matchLabels:\n      app: productpage\n"
REVIEWS = "  selector:\n    matchLabels:\n      app: reviews\n"
RATINGS = "  selector:\n    matchLabels:\n      app: ratings\n"


def _l7(rule: str = "", source: str = "") -> str:
    """An ALLOW policy for productpage with one rule: sleep may call, under one L7 condition (of the
    rule, or of its source)."""
    return PRODUCTPAGE + f"  rules:\n  - from:\n    - source:\n        principals: [\"{SLEEP}\"]\n{source}{rule}"


# (id, spec, what gen renders: targetRefs of the moved policy or None when kept as written,
#  the ztunnel part's rules or None when there is none, words the moved policy's comment holds)
CASES: list[tuple[str, str, list[dict[str, str]] | None, list[Any] | None, str]] = [
    ("l4-outside-the-waypoint-kept",
     RATINGS + f"  rules:\n  - from:\n    - source:\n        principals: [\"{PRODUCTPAGE_SA}\"]\n"
     "    to:\n    - operation:\n        ports: [\"9080\"]\n",
     None, None, "Kept on `selector` (app=ratings): its rules are L4 only and no waypoint is in the path"),
    ("l4-caller-independent-behind-the-waypoint-kept",
     PRODUCTPAGE + "  rules:\n  - to:\n    - operation:\n        ports: [\"9080\"]\n",
     None, None, "its rules do not depend on who calls"),
    *(
        (f"l7-{attribute}-moves", _l7(rule), [service("productpage")], [ADMIT_WAYPOINT], f"its rules use {attribute}")
        for attribute, rule in [
            ("methods", "    to:\n    - operation:\n        methods: [GET]\n"),
            ("notMethods", "    to:\n    - operation:\n        notMethods: [DELETE]\n"),
            ("paths", "    to:\n    - operation:\n        paths: [\"/productpage\"]\n"),
            ("hosts", "    to:\n    - operation:\n        hosts: [\"bookinfo.example.com\"]\n"),
            ("when request.headers[x-user]", "    when:\n    - key: request.headers[x-user]\n      values: [alice]\n"),
        ]
    ),
    *(
        (f"l7-{attribute}-moves", _l7(source=f"        {attribute}: [{value}]\n"), [service("productpage")],
         [ADMIT_WAYPOINT], f"its rules use {attribute}")
        for attribute, value in [
            ("requestPrincipals", "\"issuer.example.com/*\""),
            ("notRequestPrincipals", "\"*\""),
            ("remoteIpBlocks", "\"203.0.113.0/24\""),
            ("notRemoteIpBlocks", "\"198.51.100.0/24\""),
        ]
    ),
    ("allow-with-callers-moves-and-keeps-its-rules-for-ztunnel",
     REVIEWS + f"  action: ALLOW\n  rules:\n  - from:\n    - source:\n        principals: [\"{PRODUCTPAGE_SA}\"]\n",
     [service("reviews")], [{"from": [{"source": {"principals": [PRODUCTPAGE_SA_AT_ZTUNNEL]}}]}, ADMIT_WAYPOINT],
     "its rules match callers (principals), and behind the waypoint ztunnel sees the waypoint"),
    ("deny-l7-moves-alone",
     REVIEWS + "  action: DENY\n  rules:\n  - to:\n    - operation:\n        methods: [DELETE]\n",
     [service("reviews")], None, "its rules use methods"),
    ("deny-of-callers-moves-and-exempts-the-waypoint-at-ztunnel",
     REVIEWS + f"  action: DENY\n  rules:\n  - from:\n    - source:\n        notPrincipals: [\"{PRODUCTPAGE_SA}\"]\n",
     [service("reviews")], [{"from": [{"source": {"notPrincipals": [PRODUCTPAGE_SA_AT_ZTUNNEL, WAYPOINT]}}]}],
     "its rules match callers (notPrincipals)"),
    ("custom-moves",
     PRODUCTPAGE + "  action: CUSTOM\n  provider:\n    name: ext-authz\n  rules:\n  - to:\n    - operation:\n"
     "        paths: [\"/admin*\"]\n",
     [service("productpage")], None, "ztunnel ignores CUSTOM policies"),
    ("audit-moves",
     PRODUCTPAGE + "  action: AUDIT\n  rules:\n  - to:\n    - operation:\n        ports: [\"9080\"]\n",
     [service("productpage")], None, "ztunnel ignores AUDIT policies"),
]


@pytest.mark.parametrize("case", CASES, ids=[case[0] for case in CASES])
def test_translation(case: tuple[str, str, list[dict[str, str]] | None, list[Any] | None, str], tmp_path: Path) -> None:
    _, spec, targets, ztunnel_rules, words = case
    path, _ = estate(tmp_path, {"p.yaml": policy("p", spec)})
    result = render_profile(path)
    written = YAML(typ="safe").load(policy("p", spec))["spec"]
    found = policies_of(result)
    moved = found.pop("p")
    comment = comment_of(texts(result)["authorizationpolicy-p.yaml"])
    assert "From policies/p.yaml, policy p." in comment
    assert words in comment
    if targets is None:
        assert moved["spec"] == at_ztunnel(written)  # kept as written, principals in the trust domain
        assert found == {}
        return
    assert moved["spec"]["targetRefs"] == targets
    assert "selector" not in moved["spec"]
    assert {k: v for k, v in moved["spec"].items() if k != "targetRefs"} == {
        k: v for k, v in written.items() if k != "selector"}  # rules, action, provider as written
    assert "Moved by gen from `selector`" in comment
    if ztunnel_rules is None:
        assert found == {}
        return
    part = found.pop("p-ztunnel")
    assert found == {}
    assert part["spec"]["selector"] == written["selector"]
    assert part["spec"]["rules"] == ztunnel_rules
    assert part["spec"]["action"] == written.get("action", "ALLOW")


def test_a_whole_namespace_policy_moves_to_the_waypoint_gateway(tmp_path: Path) -> None:
    spec = "  rules:\n  - to:\n    - operation:\n        methods: [GET, HEAD]\n"
    path, _ = estate(tmp_path, {"p.yaml": policy("read-only", spec)},
                     ("    use: {services: [productpage, reviews]}\n", "    use: namespace\n"),
                     ("apps: [bookinfo, sleep, netshoot]", "apps: [bookinfo, sleep]"), ("for: service", "for: all"))
    found = policies_of(render_profile(path))
    assert found["read-only"]["spec"]["targetRefs"] == [GATEWAY]
    part = found["read-only-ztunnel"]["spec"]
    assert "selector" not in part  # like the original: the whole namespace
    assert part["rules"] == [ADMIT_WAYPOINT]  # every route crosses the waypoint


def test_a_workload_waypoint_takes_the_policies_of_its_only_workload(tmp_path: Path) -> None:
    spec = ("  selector:\n    matchLabels:\n      app: netshoot\n  rules:\n  - from:\n    - source:\n"
            f"        principals: [\"{SLEEP}\"]\n    to:\n    - operation:\n        ports: [\"8080\"]\n")
    path, _ = estate(tmp_path, {"p.yaml": policy("netshoot-from-sleep", spec)}, ("for: service", "for: workload"),
                     ("use: {services: [productpage, reviews]}", "use: {workloads: [netshoot]}"))
    found = policies_of(render_profile(path))
    assert found["netshoot-from-sleep"]["spec"]["targetRefs"] == [GATEWAY]
    # Every route to netshoot (it has no Service) crosses the waypoint: ztunnel admits it only.
    assert found["netshoot-from-sleep-ztunnel"]["spec"]["rules"] == [ADMIT_WAYPOINT]


def test_the_trust_domain_comes_from_the_profile(tmp_path: Path) -> None:
    path, _ = estate(tmp_path, {"p.yaml": policy("p", _l7("    to:\n    - operation:\n        methods: [GET]\n"))},
                     ('istio: {version: "1.24.3"}', 'istio: {version: "1.24.3", trustDomain: prod.example.com}'))
    result = render_profile(path)
    part = policies_of(result)["p-ztunnel"]["spec"]
    assert part["rules"] == [{"from": [{"source": {"principals": ["prod.example.com/ns/bookinfo/sa/waypoint"]}}]}]
    assert "trust domain prod.example.com from clusters[0].istio.trustDomain" in comment_of(
        texts(result)["authorizationpolicy-p-ztunnel.yaml"])


def test_sidecar_namespaces_pass_policies_through_unchanged(tmp_path: Path) -> None:
    spec = _l7("    to:\n    - operation:\n        methods: [GET]\n")
    path, _ = estate(tmp_path, {"p.yaml": policy("p", spec)}, ("dataplane: ambient", "dataplane: sidecar"),
                     ("  waypoint:\n    for: service\n    use: {services: [productpage, reviews]}\n", ""))
    result = render_profile(path)
    assert policies_of(result) == {"p": YAML(typ="safe").load(policy("p", spec))}
    assert "Passed through unchanged: namespace bookinfo runs sidecars" in comment_of(
        texts(result)["authorizationpolicy-p.yaml"])


def test_a_policy_already_on_targetrefs_passes_through(tmp_path: Path) -> None:
    spec = "  targetRefs:\n  - kind: Service\n    group: \"\"\n    name: productpage\n  rules:\n  - {}\n"
    path, _ = estate(tmp_path, {"p.yaml": policy("p", spec)})
    assert policies_of(render_profile(path))["p"] == YAML(typ="safe").load(policy("p", spec))


def test_v1beta1_is_written_as_v1(tmp_path: Path) -> None:
    spec = RATINGS + "  rules:\n  - {}\n"
    path, _ = estate(tmp_path, {"p.yaml": policy("p", spec, api="security.istio.io/v1beta1")})
    assert policies_of(render_profile(path))["p"]["apiVersion"] == "security.istio.io/v1"


@pytest.mark.parametrize("second", ["targetRefs", "targetRef"])
def test_selector_and_a_target_together_are_rejected(second: str, tmp_path: Path) -> None:
    target = "\n  - kind: Service\n    name: ratings\n" if second == "targetRefs" else "\n    kind: Service\n    name: ratings\n"
    text = policy("both", RATINGS + f"  {second}:{target}")
    path, _ = estate(tmp_path, {"both.yaml": text})
    problem = only(problems_of(path), "policy-schema")
    assert problem.message.startswith(f"`selector` and `{second}` are both set")
    assert problem.location is not None and problem.location.file == str(tmp_path / "policies" / "both.yaml")
    assert problem.location.line == text.splitlines().index(f"  {second}:") + 1
    assert problem.path == ("namespaces", 0, "policies")


def test_each_rendered_policy_is_listed_in_the_kustomization(tmp_path: Path) -> None:
    path, _ = estate(tmp_path, {"p.yaml": policy("p", _l7("    to:\n    - operation:\n        methods: [GET]\n"))})
    result = render_profile(path)
    kustomization = YAML(typ="safe").load(texts(result)["kustomization.yaml"])
    assert {"authorizationpolicy-p.yaml", "authorizationpolicy-p-ztunnel.yaml"} <= set(kustomization["resources"])


def test_workloads_outside_ambient_keep_their_policies_as_written(tmp_path: Path) -> None:
    spec = "  selector:\n    matchLabels:\n      app: netshoot\n  rules:\n  - to:\n    - operation:\n        methods: [GET]\n"
    path, _ = estate(tmp_path, {"p.yaml": policy("p", spec)},
                     ("apps: [bookinfo, sleep, netshoot]", "apps: [bookinfo, sleep, {name: netshoot, ambient: false}]"))
    result = render_profile(path)
    assert policies_of(result)["p"] == YAML(typ="safe").load(policy("p", spec))
    assert "the workloads it selects (netshoot) are not in ambient" in comment_of(texts(result)["authorizationpolicy-p.yaml"])


def test_workloads_enrolled_one_by_one_are_translated(tmp_path: Path) -> None:
    spec = "  selector:\n    matchLabels:\n      app: sleep\n  rules:\n  - to:\n    - operation:\n        methods: [GET]\n"
    path, _ = estate(tmp_path, {"p.yaml": policy("p", spec)}, ("dataplane: ambient", "dataplane: none"),
                     ("  waypoint:\n    for: service\n    use: {services: [productpage, reviews]}\n", ""),
                     ("apps: [bookinfo, sleep, netshoot]", "apps: [bookinfo, {name: sleep, ambient: true}]"))
    problem = only(problems_of(path), "l7-policy-on-ztunnel")
    assert "no waypoint is in the path of sleep (Service sleep)" in problem.message


def test_a_policy_that_selects_nothing_gen_renders_is_kept_with_a_warning(tmp_path: Path) -> None:
    spec = "  selector:\n    matchLabels:\n      app: payments\n  rules:\n  - {}\n"
    path, _ = estate(tmp_path, {"p.yaml": policy("p", spec)})
    result = render_profile(path)
    assert policies_of(result)["p"]["spec"] == YAML(typ="safe").load(policy("p", spec))["spec"]
    warning = only(list(result.warnings), "policy-selects-nothing")
    assert warning.location is not None and warning.location.file.endswith("p.yaml")


def test_hostile_policy_values_stay_the_scalars_they_are(tmp_path: Path) -> None:
    key = "request.headers[x]\nkind: Secret\n# \u2028 \x85 end"
    text = policy("hostile", PRODUCTPAGE + "  rules:\n  - when:\n    - key: " + '"request.headers[x]\\nkind: Secret\\n#'
                  ' \\u2028 \\x85 end"\n      values: ["null", "yes", "*", "&a", "- x", "a: b", "{}"]\n')
    text = text.replace("  namespace: bookinfo\n", '  namespace: bookinfo\n  annotations: {"a/b": "x\\n---\\nkind: Secret"}\n')
    path, _ = estate(tmp_path, {"p.yaml": text})
    result = render_profile(path)
    rendered_text = texts(result)["authorizationpolicy-hostile.yaml"]
    documents = list(YAML(typ="safe").load_all(rendered_text))
    assert len(documents) == 1
    moved = documents[0]
    assert moved["metadata"]["annotations"] == {"a/b": "x\n---\nkind: Secret"}
    assert moved["spec"]["rules"] == [{"when": [{"key": key, "values": ["null", "yes", "*", "&a", "- x", "a: b", "{}"]}]}]
    # The key is named in the comment, which stays comment lines.
    assert all(line.startswith("#") for line in rendered_text.split("apiVersion:", 1)[0].splitlines())
