"""Every object of the seed's caffeine demo, compared field by field with what gen renders.

The seed (`../shared/seeds/000_*.txt`) applies its objects with `kubectl apply -n <ns> -f - <<EOF`.
This test reads those blocks from the document itself, expands the shell variables the document
exports and the placeholders it leaves (`{{ tsb_org }}`...) with the profile's values, and
expects each object back from out/, with one addition: `metadata.namespace`, which the seed gives
on the kubectl command line and a GitOps tree must carry in the object.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from conftest import GOLDEN, PROFILES, SEEDS

SEED = next(iter(sorted(SEEDS.glob("000_*.txt"))), SEEDS / "000_be617d0d0818a64e.txt")
TREE = GOLDEN / "caffeine"
# The seed's own placeholder for the namespace of scenario B's sidecar clients; the document runs
# `kubectl exec -n cnp-nginx` against it.
SCENARIO_B_NAMESPACE = "cnp-nginx"

APPLY_BLOCK = re.compile(r"kubectl apply -n (\{\{ \w+ \}\}|\S+) -f - <<EOF\n(.*?)\nEOF", re.S)
EXPORT = re.compile(r"^export (\w+)=(.*)$", re.M)
PLACEHOLDER = re.compile(r"\{\{ (\w+) \}\}")


def _profile() -> dict[str, Any]:
    data: dict[str, Any] = YAML(typ="safe").load((PROFILES / "caffeine.yaml").read_text("utf-8"))
    return data


def _placeholders() -> dict[str, str]:
    profile = _profile()
    return {
        "tsb_org": profile["tsb"]["organization"],
        "tsb_gitops_namespace": profile["tsb"]["gitopsNamespace"],
        "app_namespace": SCENARIO_B_NAMESPACE,
        "cluster1_name": profile["clusters"][0]["name"],
        "istio_namespace": profile["clusters"][0]["istio"]["namespace"],
        "tsb_upgrade_version": profile["tsb"]["version"],
    }


def _expand(text: str, variables: dict[str, str], placeholders: dict[str, str]) -> str:
    text = PLACEHOLDER.sub(lambda m: placeholders[m.group(1)], text)
    # Only the variables the document exports; `$INTERVAL` belongs to the container's shell.
    for name, value in sorted(variables.items(), key=lambda item: -len(item[0])):
        text = text.replace("${" + name + "}", value).replace("$" + name, value)
    return text


def seed_objects() -> list[tuple[str, dict[str, Any]]]:
    """(namespace applied into, object) for every object the seed applies."""
    document = SEED.read_text("utf-8")
    placeholders = _placeholders()
    objects = []
    yaml = YAML(typ="safe")
    for block in APPLY_BLOCK.finditer(document):
        variables = {}
        for export in EXPORT.finditer(document, 0, block.start()):
            variables[export.group(1)] = _expand(export.group(2).strip(), {}, placeholders)
        namespace = _expand(block.group(1), variables, placeholders)
        for obj in yaml.load_all(_expand(block.group(2), variables, placeholders)):
            if obj:
                objects.append((namespace, obj))
    return objects


def rendered_objects() -> dict[tuple[str, str], dict[str, Any]]:
    yaml = YAML(typ="safe")
    found = {}
    for path in TREE.rglob("*.yaml"):
        obj = yaml.load(path.read_text("utf-8"))
        if isinstance(obj, dict) and "kind" in obj and "metadata" in obj:
            found[(obj["kind"], obj["metadata"]["name"])] = obj
    return found


def differences(expected: Any, actual: Any, path: str = "") -> list[str]:
    if isinstance(expected, dict) and isinstance(actual, dict):
        found = []
        for key in sorted(set(expected) | set(actual), key=str):
            where = f"{path}.{key}" if path else str(key)
            if key not in actual:
                found.append(f"{where}: missing (seed has {expected[key]!r})")
            elif key not in expected:
                found.append(f"{where}: not in the seed (rendered {actual[key]!r})")
            else:
                found.extend(differences(expected[key], actual[key], where))
        return found
    if isinstance(expected, list) and isinstance(actual, list):
        if len(expected) != len(actual):
            return [f"{path}: {len(actual)} items, the seed has {len(expected)}"]
        return [d for i, (e, a) in enumerate(zip(expected, actual)) for d in differences(e, a, f"{path}[{i}]")]
    if type(expected) is not type(actual) or expected != actual:
        return [f"{path}: rendered {actual!r}, the seed has {expected!r}"]
    return []


SEED_OBJECTS = seed_objects()


def test_the_seed_is_read() -> None:
    kinds = sorted(f"{obj['kind']}/{obj['metadata']['name']}" for _, obj in SEED_OBJECTS)
    assert kinds == [
        "ConfigMap/curl-format",
        "Deployment/barista-v1",
        "Deployment/barista-v2",
        "Deployment/coffee-bean",
        "Deployment/coffee-shop",
        "Deployment/netshoot",
        "Service/barista",
        "Service/coffee-bean",
        "Service/coffee-shop",
        "ServiceAccount/barista",
        "ServiceAccount/coffee-bean",
        "ServiceAccount/coffee-shop",
        "ServiceAccount/netshoot",
        "Workspace/caffeine-ws",
        "WorkspaceSetting/default-setting",
    ]


@pytest.mark.parametrize(
    "namespace,seed", SEED_OBJECTS, ids=[f"{o['kind']}-{o['metadata']['name']}" for _, o in SEED_OBJECTS]
)
def test_rendered_object_equals_the_seed(namespace: str, seed: dict[str, Any]) -> None:
    rendered = rendered_objects().get((seed["kind"], seed["metadata"]["name"]))
    assert rendered is not None, f"gen renders no {seed['kind']} {seed['metadata']['name']}"
    expected = {**seed, "metadata": {**seed["metadata"], "namespace": namespace}}
    assert differences(expected, rendered) == []


def test_control_plane_overlay_sets_what_the_seed_sets_with_yq() -> None:
    """The seed switches ambient on with `yq e '.spec.components.istio.ambient.enable = true'`."""
    expression = re.search(r"yq e '\.([\w.]+) = (\w+)'", SEED.read_text("utf-8"))
    assert expression is not None
    keys, value = expression.group(1).split("."), expression.group(2)
    overlay = YAML(typ="safe").load(
        (TREE / "clusters/app-blk-east-0/control-plane/controlplane-values.yaml").read_text("utf-8")
    )
    node = overlay
    for key in keys:
        node = node[key]
    assert node is (value == "true")


def test_caffeine_namespace_is_ambient_and_pods_carry_the_label() -> None:
    namespace = YAML(typ="safe").load((TREE / "clusters/app-blk-east-0/namespaces/caffeine/namespace-caffeine.yaml").read_text("utf-8"))
    assert namespace["metadata"]["labels"] == {"istio.io/dataplane-mode": "ambient"}
    assert "istio-injection" not in namespace["metadata"]["labels"]
