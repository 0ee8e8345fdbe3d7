"""Waypoints by ownership: explicit (gen renders the Gateway as istioctl prints it, and the
use-waypoint labels), TSB-managed (gen renders neither, and says so), off (none)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from conftest import FIXTURES, GOLDEN, PROFILES
from generator.pipeline import render_profile
from generator.profile.load import load_profile
from generator.profile.model import WaypointMode
from generator.profile.resolve import resolve
from helpers import render_into, variant
from test_errors import assert_at, only
from test_errors import problems_of as caffeine_problems_of
from waypoint_profiles import PROFILE, estate, problems_of, rendered, texts

FACTS = YAML(typ="safe").load((FIXTURES / "istio-waypoint.yaml").read_text("utf-8"))
ISTIOCTL = YAML(typ="safe").load(FACTS["printed"])
USE_WAYPOINT = "istio.io/use-waypoint"
NO_POLICIES = ("  policies: policies\n", "")


def _gateway(tmp_path: Path, *replacements: tuple[str, str]) -> tuple[dict[str, Any], str]:
    path, _ = estate(tmp_path, {}, NO_POLICIES, *replacements)
    result = render_profile(path)
    return rendered(result)["gateway-waypoint.yaml"], texts(result)["gateway-waypoint.yaml"]


def test_explicit_waypoint_is_what_istioctl_generates_field_by_field(tmp_path: Path) -> None:
    gateway, text = _gateway(tmp_path)
    assert FACTS["command"].endswith("--for service -n bookinfo")
    assert gateway["apiVersion"] == ISTIOCTL["apiVersion"] == "gateway.networking.k8s.io/v1"
    assert gateway["kind"] == ISTIOCTL["kind"] == "Gateway"
    assert gateway["metadata"]["name"] == ISTIOCTL["metadata"]["name"] == "waypoint"
    assert gateway["metadata"]["namespace"] == ISTIOCTL["metadata"]["namespace"] == "bookinfo"
    assert gateway["metadata"]["labels"] == ISTIOCTL["metadata"]["labels"] == {"istio.io/waypoint-for": "service"}
    assert gateway["spec"]["gatewayClassName"] == ISTIOCTL["spec"]["gatewayClassName"] == "istio-waypoint"
    assert gateway["spec"]["listeners"] == ISTIOCTL["spec"]["listeners"]
    (listener,) = gateway["spec"]["listeners"]
    assert (listener["name"], listener["port"], listener["protocol"]) == ("mesh", 15008, "HBONE")
    assert gateway == ISTIOCTL
    # Byte for byte after gen's header comment, in istioctl's (sorted) key order.
    assert text.split("\n", 1)[1] == FACTS["printed"]


def test_waypoint_for_and_name_are_the_profiles(tmp_path: Path) -> None:
    path, _ = estate(tmp_path, {}, NO_POLICIES, ("    for: service\n", "    for: all\n    name: bookinfo-wp\n"))
    result = render_profile(path)
    gateway = rendered(result)["gateway-bookinfo-wp.yaml"]
    assert gateway["metadata"]["name"] == "bookinfo-wp"
    assert gateway["metadata"]["labels"] == {"istio.io/waypoint-for": "all"}
    assert rendered(result)["service-productpage.yaml"]["metadata"]["labels"][USE_WAYPOINT] == "bookinfo-wp"


def test_use_namespace_labels_the_namespace_only(tmp_path: Path) -> None:
    path, _ = estate(tmp_path, {}, NO_POLICIES, ("    use: {services: [productpage, reviews]}\n", "    use: namespace\n"))
    objects = rendered(render_profile(path))
    assert objects["namespace-bookinfo.yaml"]["metadata"]["labels"] == {
        "istio.io/dataplane-mode": "ambient", USE_WAYPOINT: "waypoint"}
    labelled = [name for name, obj in objects.items() if name != "namespace-bookinfo.yaml" and USE_WAYPOINT in str(obj)]
    assert labelled == []


def test_listed_services_and_workloads_get_the_label(tmp_path: Path) -> None:
    path, _ = estate(tmp_path, {}, NO_POLICIES, ("    for: service\n", "    for: all\n"),
                     ("{services: [productpage, reviews]}", "{services: [productpage], workloads: [ratings-v1]}"))
    objects = rendered(render_profile(path))
    assert USE_WAYPOINT not in objects["namespace-bookinfo.yaml"]["metadata"]["labels"]
    assert objects["service-productpage.yaml"]["metadata"]["labels"][USE_WAYPOINT] == "waypoint"
    assert USE_WAYPOINT not in objects["service-reviews.yaml"]["metadata"]["labels"]
    ratings = objects["deployment-ratings-v1.yaml"]
    assert ratings["spec"]["template"]["metadata"]["labels"][USE_WAYPOINT] == "waypoint"
    assert USE_WAYPOINT not in ratings["metadata"].get("labels", {})  # the pods use it, not the Deployment
    assert USE_WAYPOINT not in objects["deployment-productpage-v1.yaml"]["spec"]["template"]["metadata"]["labels"]


def test_the_waypoint_is_listed_in_the_namespace_kustomization(tmp_path: Path) -> None:
    path, _ = estate(tmp_path, {}, NO_POLICIES)
    assert "gateway-waypoint.yaml" in rendered(render_profile(path))["kustomization.yaml"]["resources"]


def _tsb_managed_folders(profile: Path, root: Path) -> list[Path]:
    """The namespace folders of clusters whose waypoints TSB manages (the default)."""
    model = resolve(load_profile(profile).data, profile.parent)
    return [
        root / "clusters" / cluster.name / "namespaces" / namespace.name
        for namespace in model.namespaces for cluster in map(model.cluster, namespace.clusters)
        if cluster.waypoint_mode is WaypointMode.TSB_MANAGED
    ]


def _labels_anywhere(document: Any) -> list[str]:
    found = []
    if isinstance(document, dict):
        for key, value in document.items():
            if key == "labels" and isinstance(value, dict):
                found += [k for k in value if k == USE_WAYPOINT]
            found += _labels_anywhere(value)
    elif isinstance(document, list):
        for item in document:
            found += _labels_anywhere(item)
    return found


def test_tsb_managed_namespaces_hold_no_gateway_and_no_use_waypoint_label(tmp_path: Path) -> None:
    """Every example profile: wherever TSB manages waypoints, the rendered tree has neither."""
    yaml = YAML(typ="safe")
    scanned = 0
    for profile in sorted(PROFILES.glob("*.yaml")):
        root = render_into(profile, tmp_path)
        for folder in _tsb_managed_folders(profile, root):
            for file in folder.rglob("*.yaml"):
                text = file.read_text("utf-8")
                document = yaml.load(text)
                assert document.get("kind") != "Gateway", file
                assert _labels_anywhere(document) == [], file
                assert USE_WAYPOINT not in text, file  # not even in a comment
                scanned += 1
    assert scanned > 20
    tsb_bookinfo = GOLDEN / "waypoints/clusters/west-0/namespaces/bookinfo"
    assert tsb_bookinfo in _tsb_managed_folders(PROFILES / "waypoints.yaml", GOLDEN / "waypoints")
    note = (tsb_bookinfo / "namespace-bookinfo.yaml").read_text("utf-8")
    assert "TSB-managed: TSB deploys this namespace's waypoint" in note and "gen renders neither" in note


def test_tsb_managed_without_label_management_gets_only_the_namespace_label(tmp_path: Path) -> None:
    tsb = PROFILE.replace("waypoints: {mode: explicit}", "waypoints: {mode: tsb-managed, disableLabelManagement: true}")
    tsb = tsb.replace("  waypoint:\n    for: service\n    use: {services: [productpage, reviews]}\n", "")
    path, _ = estate(tmp_path, {}, NO_POLICIES, profile=tsb)
    objects = rendered(render_profile(path))
    assert objects["namespace-bookinfo.yaml"]["metadata"]["labels"][USE_WAYPOINT] == "waypoint"
    others = {name: _labels_anywhere(obj) for name, obj in objects.items() if name != "namespace-bookinfo.yaml"}
    assert all(found == [] for found in others.values())
    assert not any(obj.get("kind") == "Gateway" for obj in objects.values())
    assert "gen labels the namespace" in texts(render_profile(path))["namespace-bookinfo.yaml"]


def test_tsb_switched_off_for_a_namespace_means_no_label_even_without_label_management(tmp_path: Path) -> None:
    tsb = PROFILE.replace(
        "waypoints: {mode: explicit}",
        "waypoints:\n      mode: tsb-managed\n      disableLabelManagement: true\n"
        "      namespaces: [{name: bookinfo, enable: false}]\n  baseValues: none",  # a list: alone, not layered
    ).replace("  waypoint:\n    for: service\n    use: {services: [productpage, reviews]}\n", "")
    path, _ = estate(tmp_path, {}, NO_POLICIES, profile=tsb)
    result = render_profile(path)
    assert USE_WAYPOINT not in rendered(result)["namespace-bookinfo.yaml"]["metadata"]["labels"]
    assert "switch this namespace's off" in texts(result)["namespace-bookinfo.yaml"]


def test_a_waypoint_where_tsb_owns_them_is_an_error(tmp_path: Path) -> None:
    path, text = estate(tmp_path, {}, NO_POLICIES, ("{mode: explicit}", "{mode: tsb-managed}"))
    problem = only(problems_of(path), "waypoint-mode")
    assert problem.path == ("namespaces", 0, "waypoint")
    assert_at(problem, path, text, "waypoint:")
    assert "TSB deploys namespace 'bookinfo''s waypoint" in problem.message and "gen renders neither" in problem.message


def test_a_waypoint_where_they_are_off_is_an_error(tmp_path: Path) -> None:
    path, text = estate(tmp_path, {}, NO_POLICIES, ("{mode: explicit}", "{mode: \"off\"}"))
    problem = only(problems_of(path), "waypoint-mode")
    assert "waypoints off" in problem.message
    assert_at(problem, path, text, "waypoint:")


def test_the_name_none_is_reserved(tmp_path: Path) -> None:
    path, text = estate(tmp_path, {}, NO_POLICIES, ("    for: service\n", "    for: service\n    name: none\n"))
    problem = only(problems_of(path), "waypoint-name")
    assert_at(problem, path, text, "none")
    assert "reserved" in problem.message


def test_listed_users_must_exist_and_fit_the_traffic(tmp_path: Path) -> None:
    path, text = estate(tmp_path, {}, NO_POLICIES,
                        ("{services: [productpage, reviews]}", "{services: [productpag], workloads: [ratings-v1]}"))
    problems = problems_of(path)
    unknown = only(problems, "undeclared-reference")
    assert unknown.message == "namespace 'bookinfo' has no Service 'productpag'"
    assert_at(unknown, path, text, "productpag]")
    assert "productpage" in unknown.hint
    mismatch = only(problems, "waypoint-for")
    assert "never sees traffic addressed to the pods of 'ratings-v1'" in mismatch.message
    assert_at(mismatch, path, text, "ratings-v1")


def test_a_use_waypoint_label_naming_no_waypoint_is_a_hole(tmp_path: Path) -> None:
    path, text = estate(tmp_path, {}, NO_POLICIES, ("apps: [bookinfo, sleep, netshoot]",
                                                    "apps: [bookinfo, sleep, {name: netshoot, labels: "
                                                    "{istio.io/use-waypoint: netshoot-wp}}]"))
    problem = only(problems_of(path), "unknown-waypoint")
    assert problem.path == ("namespaces", 0, "apps", 2, "labels", USE_WAYPOINT)
    assert_at(problem, path, text, "netshoot-wp")
    assert "names waypoint 'netshoot-wp'" in problem.message and "(hole)" in problem.message


def test_an_app_label_naming_the_waypoint_routes_the_app_through_it(tmp_path: Path) -> None:
    path, _ = estate(tmp_path, {}, NO_POLICIES, ("    for: service\n", "    for: all\n"),
                     ("apps: [bookinfo, sleep, netshoot]",
                      "apps: [bookinfo, sleep, {name: netshoot, labels: {istio.io/use-waypoint: waypoint}}]"))
    pods = rendered(render_profile(path))["deployment-netshoot.yaml"]["spec"]["template"]["metadata"]["labels"]
    assert pods[USE_WAYPOINT] == "waypoint"


def test_waypoint_use_in_the_wrong_shape_is_located(tmp_path: Path) -> None:
    path, text = estate(tmp_path, {}, NO_POLICIES, ("{services: [productpage, reviews]}", "namespaces"))
    problem = only(problems_of(path), "waypoint-use")
    assert_at(problem, path, text, "namespaces", occurrence=2)
    assert "use: namespace" in problem.hint


def test_the_golden_explicit_namespace_has_its_gateway_and_labels() -> None:
    folder = GOLDEN / "waypoints/clusters/east-0/namespaces/bookinfo"
    yaml = YAML(typ="safe")
    assert yaml.load((folder / "gateway-waypoint.yaml").read_text("utf-8"))["metadata"]["namespace"] == "bookinfo"
    for service in ("productpage", "reviews"):
        labels = yaml.load((folder / f"service-{service}.yaml").read_text("utf-8"))["metadata"]["labels"]
        assert labels[USE_WAYPOINT] == "waypoint"
    assert USE_WAYPOINT not in (folder / "service-ratings.yaml").read_text("utf-8")


def test_a_namespace_label_kubernetes_would_refuse_is_a_located_error(tmp_path: Path) -> None:
    """A waypoint entry's `labels` select namespaces: a key or value no namespace can carry (a NEL,
    a space) matches nothing, and was written out raw."""
    ambient = "  ambient:\n    enabled: true\n"
    waypoints = '    waypoints:\n      namespaces:\n      - {labels: {team: "a\\x85b", "bad key": x}, enable: false}\n'
    path, text = variant(tmp_path, (ambient, ambient + waypoints))
    problems = caffeine_problems_of(path)
    value = only(problems, "label-value")
    assert value.path == ("clusters", 0, "ambient", "waypoints", "namespaces", 0, "labels", "team")
    assert_at(value, path, text, '"a\\x85b"')
    key = only(problems, "label-key")
    assert key.path == ("clusters", 0, "ambient", "waypoints", "namespaces", 0, "labels", "bad key")
    assert_at(key, path, text, '"bad key"')
