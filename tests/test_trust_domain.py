"""Issue "Rollout safety", item 1: principals in the policies ztunnel enforces name the cluster's
real trust domain.

A TSB cluster's trust domain is `<cluster>.tsb.local` (seeds 000 and 004), unless
`clusters[].istio.trustDomain` says another. Sidecars and waypoints (Envoy) read `cluster.local/`
as the local trust domain; ztunnel does not (istio/ztunnel issue 1260). So gen rewrites
`cluster.local/` principals in what ztunnel enforces (policies kept on a selector in ambient, the
`-ztunnel` parts), says so in the rendered file, keeps them where Envoy enforces the policy, and
warns, at the principal, about a trust domain it does not know.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from conftest import GOLDEN, PROFILES, position_of
from generator.pipeline import render_profile
from generator.report import ReportFormat, format_problems
from test_errors import only
from waypoint_profiles import comment_of, estate, policies_of, policy, texts

RATINGS = "  selector:\n    matchLabels:\n      app: ratings\n"
REVIEWS = "  selector:\n    matchLabels:\n      app: reviews\n"
REVIEWS_SA = "cluster.local/ns/bookinfo/sa/bookinfo-reviews"
ISSUE = "istio/ztunnel issue 1260"
NO_WAYPOINT = ("  waypoint:\n    for: service\n    use: {services: [productpage, reviews]}\n", "")


def _from_reviews(extra: str = "") -> str:
    """ratings answers reviews on port 9080: L4 only, kept on its selector (no waypoint in its path)."""
    return (RATINGS + f"  rules:\n  - from:\n    - source:\n        principals: [\"{REVIEWS_SA}\"]\n{extra}"
            "    to:\n    - operation:\n        ports: [\"9080\"]\n")


def _principals(spec: Any) -> list[str]:
    """Every principal a spec names: sources' principals and notPrincipals, source.principal conditions."""
    found: list[str] = []
    for rule in spec.get("rules") or []:
        for item in rule.get("from") or []:
            source = item.get("source") or {}
            found += [*source.get("principals", []), *source.get("notPrincipals", [])]
        for condition in rule.get("when") or []:
            if condition.get("key") == "source.principal":
                found += [*condition.get("values", []), *condition.get("notValues", [])]
    return found


# The example profile: bookinfo on east-0 (explicit waypoint) and west-0 (TSB's waypoint).

def test_the_waypoint_example_names_each_clusters_tsb_trust_domain_where_ztunnel_enforces() -> None:
    result = render_profile(PROFILES / "waypoints.yaml")
    east = "clusters/east-0/namespaces/bookinfo"
    west = "clusters/west-0/namespaces/bookinfo"
    found = policies_of(result, east)
    # ratings' L4 policy stays on its selector: ztunnel would match nobody with cluster.local/.
    assert _principals(found["ratings-from-reviews"]["spec"]) == ["east-0.tsb.local/ns/bookinfo/sa/bookinfo-reviews"]
    # The ztunnel parts admit the waypoint as ztunnel sees it (seed 004: spiffe://<cluster>.tsb.local/...).
    assert _principals(found["productpage-viewer-ztunnel"]["spec"]) == ["east-0.tsb.local/ns/bookinfo/sa/waypoint"]
    assert _principals(found["reviews-from-productpage-ztunnel"]["spec"]) == [
        "east-0.tsb.local/ns/bookinfo/sa/bookinfo-productpage", "east-0.tsb.local/ns/bookinfo/sa/waypoint"]
    assert _principals(policies_of(result, west)["ratings-from-reviews-ztunnel"]["spec"]) == [
        "west-0.tsb.local/ns/bookinfo/sa/waypoint"]
    # The waypoint enforces the moved policies: Envoy reads cluster.local, so they stay as written.
    assert _principals(found["productpage-viewer"]["spec"]) == ["cluster.local/ns/bookinfo/sa/sleep"]
    assert _principals(found["reviews-from-productpage"]["spec"]) == ["cluster.local/ns/bookinfo/sa/bookinfo-productpage"]
    # Each rewrite is said in the rendered file, with where the trust domain comes from.
    comment = comment_of(texts(result, east)["authorizationpolicy-ratings-from-reviews.yaml"])
    assert "gen rewrote 1 principal from cluster.local/... to east-0.tsb.local/..." in comment
    assert "TSB's default for cluster east-0: set clusters[0].istio.trustDomain if the mesh uses another" in comment
    assert ISSUE in comment
    assert ISSUE not in comment_of(texts(result, east)["authorizationpolicy-productpage-viewer.yaml"])
    # The sidecar namespace's policy: sidecars enforce it as written.
    legacy = policies_of(result, "clusters/east-0/namespaces/legacy")["httpbin-get-only"]["spec"]
    assert _principals(legacy) == ["cluster.local/ns/legacy/sa/sleep"]


def test_the_profiles_trust_domain_overrides_tsbs_default(tmp_path: Path) -> None:
    path, _ = estate(tmp_path, {"p.yaml": policy("p", _from_reviews())},
                     ('istio: {version: "1.24.3"}', 'istio: {version: "1.24.3", trustDomain: prod.example.com}'))
    result = render_profile(path)
    assert _principals(policies_of(result)["p"]["spec"]) == ["prod.example.com/ns/bookinfo/sa/bookinfo-reviews"]
    assert "trust domain prod.example.com from clusters[0].istio.trustDomain" in comment_of(
        texts(result)["authorizationpolicy-p.yaml"])
    assert not result.warnings


def test_a_mesh_that_keeps_cluster_local_keeps_the_policy_as_written(tmp_path: Path) -> None:
    spec = _from_reviews()
    path, _ = estate(tmp_path, {"p.yaml": policy("p", spec)},
                     ('istio: {version: "1.24.3"}', 'istio: {version: "1.24.3", trustDomain: cluster.local}'))
    result = render_profile(path)
    assert policies_of(result)["p"]["spec"] == YAML(typ="safe").load(policy("p", spec))["spec"]
    assert ISSUE not in comment_of(texts(result)["authorizationpolicy-p.yaml"])


def test_not_principals_and_source_principal_conditions_are_rewritten_too(tmp_path: Path) -> None:
    spec = (RATINGS + "  action: DENY\n  rules:\n  - from:\n    - source:\n"
            "        notPrincipals: [\"cluster.local/ns/bookinfo/sa/*\", \"*/ns/bookinfo/sa/sleep\"]\n"
            "    when:\n    - key: source.principal\n      values: [\"cluster.local/ns/bookinfo/sa/sleep\"]\n"
            "      notValues: [\"cluster.local/ns/client/sa/sleep\"]\n"
            "    - key: source.namespace\n      values: [\"cluster.local\"]\n")
    path, _ = estate(tmp_path, {"p.yaml": policy("p", spec)})
    result = render_profile(path)
    rules = policies_of(result)["p"]["spec"]["rules"]
    assert rules == [{
        "from": [{"source": {"notPrincipals": ["east.tsb.local/ns/bookinfo/sa/*", "*/ns/bookinfo/sa/sleep"]}}],
        "when": [
            {"key": "source.principal", "values": ["east.tsb.local/ns/bookinfo/sa/sleep"],
             "notValues": ["east.tsb.local/ns/client/sa/sleep"]},
            {"key": "source.namespace", "values": ["cluster.local"]},  # not a principal
        ],
    }]
    assert "gen rewrote 3 principals from cluster.local/... to east.tsb.local/..." in comment_of(
        texts(result)["authorizationpolicy-p.yaml"])
    assert not result.warnings  # a wildcard trust domain matches any


def test_the_ztunnel_part_keeps_rules_in_the_trust_domain_and_the_moved_policy_as_written(tmp_path: Path) -> None:
    spec = REVIEWS + "  action: DENY\n  rules:\n  - from:\n    - source:\n        principals: [\"" + REVIEWS_SA + "\"]\n"
    path, _ = estate(tmp_path, {"p.yaml": policy("p", spec)})
    result = render_profile(path)
    found = policies_of(result)
    assert "targetRefs" in found["p"]["spec"] and _principals(found["p"]["spec"]) == [REVIEWS_SA]
    assert found["p-ztunnel"]["spec"]["rules"] == [{"from": [{"source": {
        "principals": ["east.tsb.local/ns/bookinfo/sa/bookinfo-reviews"],
        "notPrincipals": ["east.tsb.local/ns/bookinfo/sa/waypoint"],
    }}]}]
    comment = comment_of(texts(result)["authorizationpolicy-p-ztunnel.yaml"])
    assert "gen rewrote 1 principal from cluster.local/... to east.tsb.local/..." in comment and ISSUE in comment


@pytest.mark.parametrize("where", ["sidecar", "targetRefs"])
def test_policies_envoy_enforces_keep_cluster_local(where: str, tmp_path: Path) -> None:
    if where == "sidecar":
        spec = _from_reviews()
        replacements = [("dataplane: ambient", "dataplane: sidecar"), NO_WAYPOINT]
    else:  # written for the waypoint: it enforces the policy
        spec = ("  targetRefs:\n  - kind: Service\n    group: \"\"\n    name: reviews\n  rules:\n  - from:\n"
                f"    - source:\n        principals: [\"{REVIEWS_SA}\"]\n")
        replacements = []
    path, _ = estate(tmp_path, {"p.yaml": policy("p", spec)}, *replacements)
    result = render_profile(path)
    assert policies_of(result)["p"]["spec"] == YAML(typ="safe").load(policy("p", spec))["spec"]
    assert not result.warnings


def test_an_unknown_trust_domain_is_a_warning_at_the_principal_naming_the_profile_key(tmp_path: Path) -> None:
    text = policy("p", _from_reviews().replace(f"[\"{REVIEWS_SA}\"]",
                                               f"[\"{REVIEWS_SA}\", \"prod.example.com/ns/bookinfo/sa/reviews\"]"))
    path, _ = estate(tmp_path, {"p.yaml": text})
    result = render_profile(path)  # a warning: it renders
    warning = only(list(result.warnings), "unknown-trust-domain")
    assert not warning.is_error
    assert warning.location is not None and warning.location.file == str(tmp_path / "policies" / "p.yaml")
    assert (warning.location.line, warning.location.column) == position_of(text, "\"prod.example.com/")
    assert "'prod.example.com'" in warning.message and "cluster east's (east.tsb.local)" in warning.message
    assert "set `clusters[0].istio.trustDomain: prod.example.com`" in warning.hint
    assert warning.path == ("namespaces", 0, "policies") and warning.related is not None
    # Kept as written; the cluster.local one beside it is rewritten.
    assert _principals(policies_of(result)["p"]["spec"]) == [
        "east.tsb.local/ns/bookinfo/sa/bookinfo-reviews", "prod.example.com/ns/bookinfo/sa/reviews"]
    report = format_problems([warning], ReportFormat.TEXT)
    line, column = warning.location.line, warning.location.column
    assert f"p.yaml:{line}:{column}: warning: " in report and "hint: " in report


def test_another_clusters_trust_domain_is_known(tmp_path: Path) -> None:
    other = "- name: west\n  platform: kind\n  istio: {version: \"1.24.3\", trustDomain: west.example.com}\nnamespaces:"
    text = policy("p", _from_reviews().replace(f"[\"{REVIEWS_SA}\"]", "[\"west.example.com/ns/bookinfo/sa/sleep\"]"))
    path, _ = estate(tmp_path, {"p.yaml": text}, ("namespaces:", other))
    result = render_profile(path)
    assert not [w for w in result.warnings if w.rule == "unknown-trust-domain"]
    assert _principals(policies_of(result)["p"]["spec"]) == ["west.example.com/ns/bookinfo/sa/sleep"]


def test_policies_enforced_by_envoy_are_not_warned_about(tmp_path: Path) -> None:
    text = policy("p", _from_reviews().replace(REVIEWS_SA, "prod.example.com/ns/bookinfo/sa/reviews"))
    path, _ = estate(tmp_path, {"p.yaml": text}, ("dataplane: ambient", "dataplane: sidecar"), NO_WAYPOINT)
    assert not render_profile(path).warnings


MIGRATION = "migration:\n  phases:\n  - name: bookinfo\n    namespaces: [bookinfo]\n"


def test_every_phase_of_a_migration_writes_what_its_enforcer_reads(tmp_path: Path) -> None:
    path, _ = estate(tmp_path, {"p.yaml": policy("p", _from_reviews())},
                     ("dataplane: ambient", "dataplane: sidecar"), ("  policies: policies\n", "  policies: policies\n"
                                                                    + MIGRATION))
    before = policies_of(render_profile(path, phase="0"))["p"]["spec"]
    after = render_profile(path, phase="1")
    assert _principals(before) == [REVIEWS_SA]  # sidecars
    assert _principals(policies_of(after)["p"]["spec"]) == ["east.tsb.local/ns/bookinfo/sa/bookinfo-reviews"]
    assert ISSUE in comment_of(texts(after)["authorizationpolicy-p.yaml"])


def test_a_phase_that_brings_an_unknown_trust_domain_under_ztunnel_warns_naming_it(tmp_path: Path) -> None:
    text = policy("p", _from_reviews().replace(REVIEWS_SA, "prod.example.com/ns/bookinfo/sa/reviews"))
    path, profile = estate(tmp_path, {"p.yaml": text}, ("dataplane: ambient", "dataplane: sidecar"),
                           ("  policies: policies\n", "  policies: policies\n" + MIGRATION))
    warning = only(list(render_profile(path, phase="0").warnings), "unknown-trust-domain")
    assert warning.message.startswith("phase 1 'bookinfo': policy p names principal 'prod.example.com/")
    assert "set `clusters[0].istio.trustDomain: prod.example.com`" in warning.hint
    # Like every problem a phase brings: at the phase's item that moves the namespace.
    assert warning.location is not None and warning.location.file == str(path)
    assert (warning.location.line, warning.location.column) == position_of(profile, "bookinfo]")


# The committed tree.

def _ztunnel_enforced(root: Path) -> list[tuple[str, Path, dict[str, Any]]]:
    """(cluster, file, policy) for every AuthorizationPolicy under `root` that ztunnel enforces: in an
    ambient namespace, attached by selector or to the whole namespace (the ztunnel parts included)."""
    found = []
    yaml = YAML(typ="safe")
    for file in sorted(root.rglob("clusters/*/namespaces/*/authorizationpolicy-*.yaml")):
        folder = file.parent
        namespace = yaml.load((folder / f"namespace-{folder.name}.yaml").read_text("utf-8"))
        if (namespace["metadata"].get("labels") or {}).get("istio.io/dataplane-mode") != "ambient":
            continue
        document = yaml.load(file.read_text("utf-8"))
        if {"targetRef", "targetRefs"} & set(document["spec"]):
            continue
        found.append((folder.parent.parent.name, file, document))
    return found


def test_no_policy_ztunnel_enforces_in_the_committed_tree_names_cluster_local() -> None:
    checked = 0
    for profile_file in sorted(PROFILES.glob("*.yaml")):
        profile = YAML(typ="safe").load(profile_file.read_text("utf-8"))
        # As the profile states it, else TSB's default (seeds 000, 004), whatever gen thinks.
        domains = {cluster["name"]: cluster["istio"].get("trustDomain", f"{cluster['name']}.tsb.local")
                   for cluster in profile["clusters"]}
        for cluster, file, document in _ztunnel_enforced(GOLDEN / profile["profile"]):
            checked += 1
            if domains[cluster] == "cluster.local":
                continue
            wrong = [p for p in _principals(document["spec"]) if p.startswith("cluster.local/")]
            assert not wrong, f"{file.relative_to(GOLDEN)} names {wrong}: ztunnel matches no caller with them"
    assert checked >= 4  # the waypoint example's (east-0: ratings, two ztunnel parts; west-0: three)
