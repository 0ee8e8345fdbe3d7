"""Every object of the seed's caffeine demo, compared field by field with what gen renders.

The facts come from seed 000 (`tests/fixtures/seeds/seed000-caffeine.yaml`, our transcription of
the objects the document applies with `kubectl apply -n <ns> -f - <<EOF`, its placeholders
expanded with the caffeine profile's values). Each object must come back from the render exactly,
`metadata.namespace` included (the seed gives it on the kubectl command line; a GitOps tree must
carry it in the object).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from conftest import FIXTURES, PROFILES
from helpers import render_into

SEED_FILE = FIXTURES / "seeds" / "seed000-caffeine.yaml"
CONTROLPLANE_SEED = FIXTURES / "seeds" / "seed004-controlplane.yaml"


def seed_objects() -> list[dict[str, Any]]:
    return [obj for obj in YAML(typ="safe").load_all(SEED_FILE.read_text("utf-8")) if obj]


@pytest.fixture(scope="module")
def tree_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return render_into(PROFILES / "caffeine.yaml", tmp_path_factory.mktemp("caffeine"))


def rendered_objects(root: Path) -> dict[tuple[str, str], dict[str, Any]]:
    yaml = YAML(typ="safe")
    found = {}
    for path in root.rglob("*.yaml"):
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


def test_the_seed_fixture_holds_every_object_of_the_demo() -> None:
    kinds = sorted(f"{obj['kind']}/{obj['metadata']['name']}" for obj in SEED_OBJECTS)
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


@pytest.mark.parametrize("seed", SEED_OBJECTS, ids=[f"{o['kind']}-{o['metadata']['name']}" for o in SEED_OBJECTS])
def test_rendered_object_equals_the_seed(tree_root: Path, seed: dict[str, Any]) -> None:
    rendered = rendered_objects(tree_root).get((seed["kind"], seed["metadata"]["name"]))
    assert rendered is not None, f"gen renders no {seed['kind']} {seed['metadata']['name']}"
    assert differences(seed, rendered) == []


def test_control_plane_overlay_switches_ambient_on_where_the_seed_does(tree_root: Path) -> None:
    """Seed 000 switches ambient on with `yq e '.spec.components.istio.ambient.enable = true'`."""
    overlay = YAML(typ="safe").load(
        (tree_root / "clusters/app-blk-east-0/control-plane/controlplane-values.yaml").read_text("utf-8")
    )
    assert overlay["spec"]["components"]["istio"]["ambient"]["enable"] is True


def test_caffeine_namespace_is_ambient_and_pods_carry_the_label(tree_root: Path) -> None:
    namespace = YAML(typ="safe").load(
        (tree_root / "clusters/app-blk-east-0/namespaces/caffeine/namespace-caffeine.yaml").read_text("utf-8")
    )
    assert namespace["metadata"]["labels"] == {"istio.io/dataplane-mode": "ambient"}
