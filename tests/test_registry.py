"""Pulling the catalog's images from a mirror: the rewrite rule, and that it touches images only."""

from __future__ import annotations

from pathlib import Path

import pytest
from ruamel.yaml import YAML

from conftest import PROFILES
from generator.images import parse_image, with_registry
from helpers import render_into, tree, write_profile

MIRROR = "mirror.example.com/hub"
DEMO = (PROFILES / "demo-apps.yaml").read_text("utf-8")
COMMENTED = "# catalog:\n#   registry: mirror.example.com/hub\n"


@pytest.mark.parametrize(
    "image,expected",
    [
        ("docker.io/kong/httpbin", f"{MIRROR}/kong/httpbin"),  # the host is dropped, the path kept
        ("curlimages/curl", f"{MIRROR}/curlimages/curl"),  # no host: Docker Hub
        ("python:3.9", f"{MIRROR}/library/python:3.9"),  # Docker Hub's official images are library/
        ("docker.io/busybox", f"{MIRROR}/library/busybox"),
        ("nicolaka/netshoot:latest", f"{MIRROR}/nicolaka/netshoot:latest"),
        ("docker.io/istio/examples-bookinfo-details-v1:1.19.1", f"{MIRROR}/istio/examples-bookinfo-details-v1:1.19.1"),
        ("gcr.io/project/app:1", f"{MIRROR}/project/app:1"),  # a host with a '.'
        ("localhost/app", f"{MIRROR}/app"),  # localhost
        ("registry:5000/team/app", f"{MIRROR}/team/app"),  # a host with a port
        ("team/app@sha256:" + "a" * 64, f"{MIRROR}/team/app@sha256:" + "a" * 64),
    ],
)
def test_registry_rule(image: str, expected: str) -> None:
    assert with_registry(image, MIRROR) == expected
    assert with_registry(image, None) == image


def test_a_first_component_without_dot_colon_or_localhost_is_a_docker_hub_path() -> None:
    reference = parse_image("kong/httpbin:0.2")
    assert (reference.host, reference.repository, reference.tag) == (None, "kong/httpbin", "0.2")
    assert parse_image("localhost:5000/app").host == "localhost:5000"


@pytest.mark.parametrize("image", ["", "UPPER/case", "a//b", "app:", "app@sha256:zz", "with space"])
def test_what_is_not_an_image_reference(image: str) -> None:
    with pytest.raises(ValueError):
        parse_image(image)


@pytest.fixture(scope="module")
def both_renders(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, bytes], dict[str, bytes]]:
    tmp_path = tmp_path_factory.mktemp("registry")
    assert COMMENTED in DEMO
    plain = write_profile(tmp_path, DEMO, "plain.yaml")
    mirrored = write_profile(tmp_path, DEMO.replace(COMMENTED, f"catalog:\n  registry: {MIRROR}\n"), "mirrored.yaml")
    ledger = ".gen/manifest.json"  # hashes the files, so it differs wherever they do
    first = {k: v for k, v in tree(render_into(plain, tmp_path / "plain")).items() if k != ledger}
    second = {k: v for k, v in tree(render_into(mirrored, tmp_path / "mirrored")).items() if k != ledger}
    return first, second


def test_overriding_the_registry_rewrites_every_image_and_nothing_else(
    both_renders: tuple[dict[str, bytes], dict[str, bytes]],
) -> None:
    plain, mirrored = both_renders
    assert set(plain) == set(mirrored)
    images = 0
    for name in plain:
        before = plain[name].decode("utf-8").splitlines()
        after = mirrored[name].decode("utf-8").splitlines()
        assert len(before) == len(after), name
        for old, new in zip(before, after):
            if old.lstrip().startswith(("image:", "- image:")):
                images += 1
                assert old != new, f"{name}: {old!r} was not rewritten"
                old_image = YAML(typ="safe").load(old.replace("- image:", "image:").strip())["image"]
                new_image = YAML(typ="safe").load(new.replace("- image:", "image:").strip())["image"]
                assert new_image == with_registry(old_image, MIRROR)
            else:
                assert old == new, f"{name}: only image lines may change, not {old!r}"
    containers = [
        container
        for document in (YAML(typ="safe").load(text) for name, text in plain.items() if name.endswith(".yaml"))
        if document.get("kind") == "Deployment"
        for container in document["spec"]["template"]["spec"]["containers"]
    ]
    assert images == len(containers) == 14  # every container of every app in the demo profile


def test_an_apps_own_registry_wins_over_the_profiles(tmp_path: Path) -> None:
    text = DEMO.replace(COMMENTED, f"catalog:\n  registry: {MIRROR}\n").replace(
        "  - name: httpbin\n", "  - name: httpbin\n    registry: localhost:5001\n"
    )
    root = render_into(write_profile(tmp_path, text), tmp_path / "out") / "clusters/demo-east-0/namespaces"
    yaml = YAML(typ="safe")
    httpbin = yaml.load((root / "httpbin/deployment-httpbin.yaml").read_text("utf-8"))
    sleep = yaml.load((root / "client/deployment-sleep.yaml").read_text("utf-8"))
    assert httpbin["spec"]["template"]["spec"]["containers"][0]["image"] == "localhost:5001/kong/httpbin"
    assert sleep["spec"]["template"]["spec"]["containers"][0]["image"] == f"{MIRROR}/curlimages/curl"
