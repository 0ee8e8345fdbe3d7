"""The apps in every committed example tree (`out/<profile>/`) hang together as Kubernetes needs:
each Deployment selects its own pods, each Service selects a Deployment of its namespace, each
ServiceAccount a pod runs as is rendered beside it. And the examples use every catalog app."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from conftest import GOLDEN, PROFILES
from generator.kit.load import load_kit
from generator.plan.catalog import builtin_catalog
from generator.profile.load import load_profile
from generator.profile.resolve import resolve

TREES = sorted(path for path in GOLDEN.iterdir() if path.is_dir())


def namespace_objects(tree: Path) -> dict[Path, list[dict[str, Any]]]:
    """The objects of each namespace folder of a tree."""
    yaml = YAML(typ="safe")
    found: dict[Path, list[dict[str, Any]]] = defaultdict(list)
    for path in sorted(tree.glob("clusters/*/namespaces/*/*.yaml")):
        document = yaml.load(path.read_text("utf-8"))
        if document.get("kind") != "Kustomization":
            found[path.parent].append(document)
    return found


def _of_kind(objects: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    return [obj for obj in objects if obj["kind"] == kind]


def _within(selector: dict[str, str], labels: dict[str, str]) -> bool:
    return bool(selector) and selector.items() <= labels.items()


@pytest.mark.parametrize("tree", TREES, ids=lambda path: path.name)
def test_deployments_select_their_own_pods(tree: Path) -> None:
    count = 0
    for objects in namespace_objects(tree).values():
        for deployment in _of_kind(objects, "Deployment"):
            spec = deployment["spec"]
            assert _within(spec["selector"]["matchLabels"], spec["template"]["metadata"]["labels"]), deployment["metadata"]
            count += 1
    assert count > 0


@pytest.mark.parametrize("tree", TREES, ids=lambda path: path.name)
def test_services_select_a_deployment_of_their_namespace(tree: Path) -> None:
    for folder, objects in namespace_objects(tree).items():
        pods = [d["spec"]["template"]["metadata"]["labels"] for d in _of_kind(objects, "Deployment")]
        for service in _of_kind(objects, "Service"):
            assert service["metadata"]["namespace"] == folder.name
            assert any(_within(service["spec"]["selector"], labels) for labels in pods), service["metadata"]


@pytest.mark.parametrize("tree", TREES, ids=lambda path: path.name)
def test_every_service_account_a_pod_runs_as_is_rendered(tree: Path) -> None:
    for folder, objects in namespace_objects(tree).items():
        accounts = {sa["metadata"]["name"] for sa in _of_kind(objects, "ServiceAccount")}
        for deployment in _of_kind(objects, "Deployment"):
            assert deployment["metadata"]["namespace"] == folder.name
            assert deployment["spec"]["template"]["spec"]["serviceAccountName"] in accounts, deployment["metadata"]


@pytest.mark.parametrize("tree", TREES, ids=lambda path: path.name)
def test_service_ports_reach_a_declared_container_port(tree: Path) -> None:
    """Where the pods declare container ports, every Service's targetPort is one of them."""
    for objects in namespace_objects(tree).values():
        deployments = _of_kind(objects, "Deployment")
        for service in _of_kind(objects, "Service"):
            selected = [d for d in deployments if _within(service["spec"]["selector"], d["spec"]["template"]["metadata"]["labels"])]
            declared = {
                port["containerPort"]
                for d in selected
                for container in d["spec"]["template"]["spec"]["containers"]
                for port in container.get("ports", [])
            }
            for port in service["spec"]["ports"]:
                if declared:
                    assert port.get("targetPort", port["port"]) in declared, service["metadata"]


def test_the_examples_together_use_every_catalog_app() -> None:
    """Every built-in app, and every app of the example kit (../templates), is in some example."""
    used = set()
    kit_apps: set[str] = set()
    for path in sorted(PROFILES.glob("*.yaml")):
        loaded = load_profile(path)
        kit, problems = load_kit(loaded.data, path.parent)
        assert not problems
        kit_apps |= set(kit.app_origins) if kit is not None else set()
        profile = resolve(loaded.data)
        used |= {app for namespace in profile.namespaces for app in namespace.apps}
    assert kit_apps == {"echo"}
    assert used == set(builtin_catalog()) | kit_apps
