"""Issue "Rollout safety", item 7: ingress traffic crosses an explicit waypoint too.

A Service that uses a waypoint gen renders gets `istio.io/ingress-use-waypoint: "true"`, as TSB
puts it on each app Service of the waypoints it manages (DESIGN 5b): otherwise an ingress gateway
sends straight to the pods, whose `-ztunnel` policy part admits the waypoint only, and ingress
traffic to productpage is refused. TSB-managed waypoints get no such label from gen (TSB sets it).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from conftest import GOLDEN, PROFILES
from generator.pipeline import render_profile
from waypoint_profiles import PROFILE, estate, rendered, texts

INGRESS = "istio.io/ingress-use-waypoint"
USE_WAYPOINT = "istio.io/use-waypoint"
NO_POLICIES = ("  policies: policies\n", "")
EXPLICIT_WAYPOINT = "  waypoint:\n    for: service\n    use: {services: [productpage, reviews]}\n"


def _service_labels(objects: dict[str, Any]) -> dict[str, dict[str, str]]:
    return {obj["metadata"]["name"]: obj["metadata"].get("labels") or {}
            for obj in objects.values() if obj.get("kind") == "Service"}


def _ingress_services(objects: dict[str, Any]) -> set[str]:
    return {name for name, labels in _service_labels(objects).items() if INGRESS in labels}


def test_the_listed_services_of_the_waypoint_example_take_ingress_through_it() -> None:
    result = render_profile(PROFILES / "waypoints.yaml")
    east = "clusters/east-0/namespaces/bookinfo"
    labels = _service_labels(rendered(result, east))
    assert {name for name in labels if INGRESS in labels[name]} == {"productpage", "reviews"}
    assert labels["productpage"][INGRESS] == "true"  # a string, as Kubernetes label values are
    assert f'{INGRESS}: "true"\n' in texts(result, east)["service-productpage.yaml"]  # quoted in the file
    # west-0: TSB owns the waypoint and sets the label itself; gen writes none.
    assert _ingress_services(rendered(result, "clusters/west-0/namespaces/bookinfo")) == set()
    # legacy runs sidecars: no waypoint.
    assert _ingress_services(rendered(result, "clusters/east-0/namespaces/legacy")) == set()


def test_a_namespace_waypoint_takes_ingress_for_every_service_but_those_opted_out(tmp_path: Path) -> None:
    path, _ = estate(tmp_path, {}, NO_POLICIES, ("    use: {services: [productpage, reviews]}\n", "    use: namespace\n"),
                     ("apps: [bookinfo, sleep, netshoot]",
                      "apps: [bookinfo, {name: sleep, labels: {istio.io/use-waypoint: none}}]"))
    objects = rendered(render_profile(path))
    assert _ingress_services(objects) == {"productpage", "details", "ratings", "reviews"}
    assert INGRESS not in objects["namespace-bookinfo.yaml"]["metadata"]["labels"]  # on the Services only


def test_an_app_labelled_for_the_waypoint_takes_ingress_through_it(tmp_path: Path) -> None:
    path, _ = estate(tmp_path, {}, NO_POLICIES,
                     ("apps: [bookinfo, sleep, netshoot]",
                      "apps: [bookinfo, {name: sleep, labels: {istio.io/use-waypoint: waypoint}}, netshoot]"))
    assert _ingress_services(rendered(render_profile(path))) == {"productpage", "reviews", "sleep"}


def test_a_workload_waypoint_sees_no_service_traffic_and_gets_no_ingress(tmp_path: Path) -> None:
    path, _ = estate(tmp_path, {}, NO_POLICIES, ("    for: service\n", "    for: workload\n"),
                     ("    use: {services: [productpage, reviews]}\n", "    use: namespace\n"))
    assert _ingress_services(rendered(render_profile(path))) == set()


def test_tsb_managed_waypoints_get_no_ingress_label_from_gen(tmp_path: Path) -> None:
    for settings in ("{mode: tsb-managed}", "{mode: tsb-managed, disableLabelManagement: true}"):
        profile = PROFILE.replace("waypoints: {mode: explicit}", f"waypoints: {settings}").replace(EXPLICIT_WAYPOINT, "")
        path, _ = estate(tmp_path, {}, NO_POLICIES, profile=profile)
        result = render_profile(path)
        assert _ingress_services(rendered(result)) == set(), settings
        assert all(INGRESS not in text for text in texts(result).values()), settings


def test_every_service_on_a_gen_waypoint_in_the_committed_tree_takes_ingress_through_it() -> None:
    """out/, every profile and migration phase: a Service routed (by its own label or its
    namespace's) to a waypoint gen rendered there for service traffic carries the label; no other."""
    yaml = YAML(typ="safe")
    checked = 0
    for folder in sorted({file.parent for file in GOLDEN.rglob("clusters/*/namespaces/*/namespace-*.yaml")}):
        namespace = yaml.load((folder / f"namespace-{folder.name}.yaml").read_text("utf-8"))
        routed_namespace = (namespace["metadata"].get("labels") or {}).get(USE_WAYPOINT)
        for file in sorted(folder.glob("service-*.yaml")):
            labels = yaml.load(file.read_text("utf-8"))["metadata"].get("labels") or {}
            name = labels.get(USE_WAYPOINT, routed_namespace)
            gateway = folder / f"gateway-{name}.yaml"
            traffic = (yaml.load(gateway.read_text("utf-8"))["metadata"]["labels"]["istio.io/waypoint-for"]
                       if name and gateway.is_file() else None)
            expected = traffic in ("service", "all")
            assert (labels.get(INGRESS) == "true") is expected, file.relative_to(GOLDEN)
            assert expected or INGRESS not in labels, file.relative_to(GOLDEN)
            checked += expected
    assert checked >= 2  # out/waypoints: east-0's productpage and reviews
