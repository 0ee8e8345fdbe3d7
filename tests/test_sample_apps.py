"""The Istio sample apps of the catalog, object by object, against the facts of the samples that
seed 004 applies (`tests/fixtures/istio-samples.yaml`, release-1.22): names, labels, ports and
targetPorts, selectors, service accounts, versions, images, commands, volumes.

They are rendered with the catalog's defaults into a namespace without a dataplane label, where
gen adds no label of its own to the pods, so every object must be the sample's exactly.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from conftest import FIXTURES
from helpers import render_into, variant

SAMPLES: dict[str, Any] = YAML(typ="safe").load((FIXTURES / "istio-samples.yaml").read_text("utf-8"))
APPS = ("sleep", "httpbin", "bookinfo", "netshoot")


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[tuple[str, str], dict[str, Any]]]:
    """By app: its objects as rendered, by (kind, name)."""
    tmp_path = tmp_path_factory.mktemp("samples")
    namespaces = "".join(
        f"- name: {app}\n  clusters: [app-blk-east-0]\n  dataplane: none\n  apps: [{app}]\n" for app in APPS
    )
    profile, _ = variant(tmp_path, ("- name: caffeine\n  clusters: [app-blk-east-0]\n  dataplane: ambient\n  apps: [caffeine]\n",
                                    namespaces))
    root = render_into(profile, tmp_path / "out")
    yaml = YAML(typ="safe")
    found: dict[str, dict[tuple[str, str], dict[str, Any]]] = {}
    for app in APPS:
        directory = root / "clusters/app-blk-east-0/namespaces" / app
        documents = [yaml.load(path.read_text("utf-8")) for path in sorted(directory.glob("*.yaml"))]
        found[app] = {
            (doc["kind"], doc["metadata"]["name"]): doc
            for doc in documents
            if doc["kind"] not in ("Namespace", "Kustomization")
        }
    return found


def test_the_fixture_covers_every_sample_app_of_the_catalog() -> None:
    assert set(SAMPLES) == set(APPS)


@pytest.mark.parametrize("app", APPS)
def test_the_app_renders_exactly_the_samples_objects(app: str, rendered: dict[str, Any]) -> None:
    expected = {(obj["kind"], obj["name"]) for obj in SAMPLES[app]["objects"]}
    if app == "netshoot":  # no upstream manifest: a ServiceAccount and a Deployment of gen's own
        expected = {("ServiceAccount", "netshoot"), ("Deployment", "netshoot")}
    assert set(rendered[app]) == expected


def _cases() -> list[tuple[str, dict[str, Any]]]:
    return [(app, obj) for app in APPS for obj in SAMPLES[app]["objects"]]


@pytest.mark.parametrize("app,fact", _cases(), ids=[f"{app}-{o['kind']}-{o['name']}" for app, o in _cases()])
def test_object_matches_the_sample(app: str, fact: dict[str, Any], rendered: dict[str, Any]) -> None:
    obj = rendered[app][(fact["kind"], fact["name"])]
    metadata, spec = obj["metadata"], obj.get("spec", {})
    assert metadata["namespace"] == app
    if fact["kind"] == "ServiceAccount":
        assert metadata.get("labels", {}) == fact.get("labels", {})
    elif fact["kind"] == "Service":
        assert metadata["labels"] == fact["labels"]
        assert spec["ports"] == fact["ports"]  # names, ports and targetPorts, only where the sample gives them
        assert spec["selector"] == fact["selector"]
    else:
        assert fact["kind"] == "Deployment"
        pod = spec["template"]
        assert metadata.get("labels", {}) == fact["labels"]
        assert spec["replicas"] == fact["replicas"]
        assert spec["selector"] == {"matchLabels": fact["matchLabels"]}
        assert pod["metadata"]["labels"] == fact["podLabels"]
        assert pod["metadata"].get("annotations") == fact.get("podAnnotations")
        assert pod["spec"].get("terminationGracePeriodSeconds") == fact.get("terminationGracePeriodSeconds")
        assert pod["spec"]["serviceAccountName"] == fact["serviceAccountName"]
        assert pod["spec"]["containers"] == fact["containers"]  # name, image, pull policy, command, env, ports, mounts
        assert pod["spec"].get("volumes") == fact.get("volumes")


def test_netshoot_runs_the_upstream_image(rendered: dict[str, Any]) -> None:
    deployment = rendered["netshoot"][("Deployment", "netshoot")]
    (container,) = deployment["spec"]["template"]["spec"]["containers"]
    assert container["image"] == SAMPLES["netshoot"]["image"]
    assert deployment["spec"]["template"]["spec"]["serviceAccountName"] == "netshoot"


def test_seed_004_calls_reach_a_service_port(rendered: dict[str, Any]) -> None:
    """The URLs seed 004 curls: httpbin.httpbin:8000/get and productpage.bookinfo:9080."""
    httpbin = rendered["httpbin"][("Service", "httpbin")]["spec"]["ports"]
    productpage = rendered["bookinfo"][("Service", "productpage")]["spec"]["ports"]
    assert [port["port"] for port in httpbin] == [8000]
    assert [port["port"] for port in productpage] == [9080]
