"""What each app parameter does to the rendered objects, and what it leaves alone."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML

from generator.pipeline import render_profile
from generator.problems import ProfileError, Severity
from helpers import render_into, variant

NAMESPACE_DIR = "clusters/app-blk-east-0/namespaces/caffeine"


def render_apps(tmp_path: Path, apps: str, *more: tuple[str, str]) -> Path:
    profile, _ = variant(tmp_path, ("  apps: [caffeine]\n", "  apps:\n" + apps), *more)
    return render_into(profile, tmp_path / "out") / NAMESPACE_DIR


def objects(directory: Path) -> dict[str, dict[str, Any]]:
    yaml = YAML(typ="safe")
    return {path.name: yaml.load(path.read_text("utf-8")) for path in sorted(directory.glob("*.yaml"))}


def deployments(directory: Path) -> dict[str, dict[str, Any]]:
    return {name: obj for name, obj in objects(directory).items() if obj["kind"] == "Deployment"}


def containers(deployment: dict[str, Any]) -> list[dict[str, Any]]:
    return list(deployment["spec"]["template"]["spec"]["containers"])


@pytest.fixture(scope="module")
def defaults(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    return objects(render_apps(tmp_path_factory.mktemp("defaults"), "  - caffeine\n"))


def test_a_bare_name_and_an_empty_mapping_render_the_same(tmp_path: Path, defaults: dict[str, dict[str, Any]]) -> None:
    assert objects(render_apps(tmp_path, "  - {name: caffeine}\n")) == defaults


def test_replicas_set_every_deployment_of_the_app(tmp_path: Path, defaults: dict[str, dict[str, Any]]) -> None:
    rendered = deployments(render_apps(tmp_path, "  - {name: caffeine, replicas: 0}\n"))
    assert sorted(rendered) == sorted(name for name, obj in defaults.items() if obj["kind"] == "Deployment")
    assert {obj["spec"]["replicas"] for obj in rendered.values()} == {0}


def test_env_replaces_in_place_and_appends_per_container(tmp_path: Path, defaults: dict[str, dict[str, Any]]) -> None:
    directory = render_apps(
        tmp_path, '  - name: caffeine\n    env:\n      barista: {SUCCESS_PROBABILITY: "50", DEBUG: "1", INTERVAL: "2"}\n'
    )
    rendered = deployments(directory)
    v2_env = containers(rendered["deployment-barista-v2.yaml"])[0]["env"]
    assert v2_env == [
        {"name": "WORKON_HOME", "value": "/tmp"},
        {"name": "COFFEE_BEAN_URL", "value": "http://coffee-bean:8000"},
        {"name": "VERSION", "value": "v2"},
        {"name": "SUCCESS_PROBABILITY", "value": "50"},
        {"name": "INTERVAL", "value": "2"},
        {"name": "DEBUG", "value": "1"},
    ]
    # Both barista Deployments run a container named barista; the others keep the catalog's env.
    v1_env = {item["name"]: item["value"] for item in containers(rendered["deployment-barista-v1.yaml"])[0]["env"]}
    assert v1_env["INTERVAL"] == "2" and v1_env["SUCCESS_PROBABILITY"] == "50"
    for name in ("deployment-coffee-shop.yaml", "deployment-coffee-bean.yaml", "deployment-netshoot.yaml"):
        assert rendered[name] == defaults[name]


def test_resources_replace_only_the_quantities_given(tmp_path: Path) -> None:
    directory = render_apps(tmp_path, "  - name: caffeine\n    resources: {limits: {memory: 256Mi, cpu: 1}}\n")
    rendered = deployments(directory)
    assert containers(rendered["deployment-netshoot.yaml"])[0]["resources"] == {
        "limits": {"cpu": "1", "memory": "256Mi"},
        "requests": {"cpu": "50m", "memory": "64Mi"},
    }
    assert containers(rendered["deployment-coffee-bean.yaml"])[0]["resources"] == {
        "limits": {"cpu": "1", "memory": "256Mi"},
        "requests": {"cpu": "50m", "memory": "64Mi"},
    }


def test_labels_and_annotations_reach_every_object_and_pod(tmp_path: Path, defaults: dict[str, dict[str, Any]]) -> None:
    directory = render_apps(
        tmp_path, '  - name: caffeine\n    labels: {team: coffee}\n    annotations: {example.com/owner: "barista@x"}\n'
    )
    rendered = objects(directory)
    for name, obj in rendered.items():
        if obj["kind"] in ("Namespace", "Kustomization"):
            continue
        assert obj["metadata"]["labels"]["team"] == "coffee", name
        assert obj["metadata"]["annotations"] == {"example.com/owner": "barista@x"}, name
        if obj["kind"] == "Deployment":
            pod = obj["spec"]["template"]["metadata"]
            assert pod["labels"] == {**defaults[name]["spec"]["template"]["metadata"]["labels"], "team": "coffee"}
            assert pod["annotations"]["example.com/owner"] == "barista@x"
            assert obj["spec"]["selector"] == defaults[name]["spec"]["selector"], "selectors stay the catalog's"
        if obj["kind"] == "Service":
            assert obj["spec"]["selector"] == defaults[name]["spec"]["selector"]


def test_an_annotation_replaces_the_catalogs_of_the_same_key(tmp_path: Path) -> None:
    directory = render_apps(tmp_path, '  - name: caffeine\n    annotations: {sidecar.istio.io/proxyCPU: "100m"}\n')
    pod = deployments(directory)["deployment-coffee-bean.yaml"]["spec"]["template"]["metadata"]
    assert list(pod["annotations"].items())[0] == ("sidecar.istio.io/proxyCPU", "100m")


@pytest.mark.parametrize(
    "dataplane,ambient,namespace_label,pod_label",
    [
        ("ambient", None, ("istio.io/dataplane-mode", "ambient"), "ambient"),
        ("ambient", "false", ("istio.io/dataplane-mode", "ambient"), "none"),
        ("none", "true", None, "ambient"),
        ("none", None, None, None),
        ("sidecar", "false", ("istio-injection", "enabled"), None),
    ],
)
def test_workload_level_enrollment(
    tmp_path: Path, dataplane: str, ambient: str | None, namespace_label: tuple[str, str] | None, pod_label: str | None
) -> None:
    entry = "  - name: caffeine\n" + (f"    ambient: {ambient}\n" if ambient else "")
    directory = render_apps(tmp_path, entry, ("dataplane: ambient", f"dataplane: {dataplane}"))
    rendered = objects(directory)
    labels = rendered["namespace-caffeine.yaml"]["metadata"].get("labels")
    assert labels == (dict([namespace_label]) if namespace_label else None)
    for deployment in deployments(directory).values():
        assert deployment["spec"]["template"]["metadata"]["labels"].get("istio.io/dataplane-mode") == pod_label


def test_seed_000_workload_enrollment_keeps_the_seed_pods(tmp_path: Path, defaults: dict[str, dict[str, Any]]) -> None:
    """Seed 000 labels the pod templates: an unlabelled namespace with `ambient: true` renders
    the very Deployments of the ambient namespace."""
    directory = render_apps(tmp_path, "  - {name: caffeine, ambient: true}\n", ("dataplane: ambient", "dataplane: none"))
    assert deployments(directory) == {name: obj for name, obj in defaults.items() if obj["kind"] == "Deployment"}


def test_redundant_settings_are_warnings(tmp_path: Path) -> None:
    profile, _ = variant(
        tmp_path,
        ("  apps: [caffeine]\n", "  apps: [{name: caffeine, ambient: false}]\n"),
        ("dataplane: ambient", "dataplane: sidecar"),
    )
    result = render_profile(profile)
    assert [(w.rule, w.severity, w.path) for w in result.warnings] == [
        ("redundant-ambient", Severity.WARNING, ("namespaces", 0, "apps", 0, "ambient"))
    ]


def test_a_namespace_may_hold_several_apps_in_its_folder(tmp_path: Path) -> None:
    directory = render_apps(tmp_path, "  - sleep\n  - httpbin\n  - bookinfo\n")
    rendered = objects(directory)
    kustomization = rendered.pop("kustomization.yaml")
    assert kustomization["resources"] == sorted(rendered)
    namespace = rendered.pop("namespace-caffeine.yaml")
    assert namespace["kind"] == "Namespace"
    assert {obj["metadata"]["namespace"] for obj in rendered.values()} == {"caffeine"}
    assert len([obj for obj in rendered.values() if obj["kind"] == "Deployment"]) == 8


def test_caffeine_and_netshoot_in_one_namespace_collide_and_say_so(tmp_path: Path) -> None:
    profile, _ = variant(tmp_path, ("  apps: [caffeine]\n", "  apps: [caffeine, netshoot]\n"))
    with pytest.raises(ProfileError) as raised:
        render_profile(profile)
    messages = [p.message for p in raised.value.problems if p.rule == "object-collision"]
    assert any("Deployment 'netshoot' of app 'netshoot'" in m and "app 'caffeine'" in m for m in messages)


def test_a_collision_in_a_namespace_folder_is_found_as_the_render_makes_it_and_nothing_is_written(
        tmp_path: Path) -> None:
    """A namespace folder's outputs are made when the render reaches it (plan/folders.py): two of them
    that write one file are the same problem, at the same place, whether the render finds it or the
    profile's check makes every folder to look; the command exits 2 and writes nothing."""
    from typer.testing import CliRunner

    from generator import commands
    from generator.pipeline import check_profile

    profile, _ = variant(tmp_path, ("  apps: [caffeine]\n", "  apps: [caffeine, netshoot]\n"))
    with pytest.raises(ProfileError) as raised:
        render_profile(profile)
    rendered = [p for p in raised.value.problems if p.rule == "object-collision"]
    _, _, checked = check_profile(profile)
    assert rendered and [(p.message, p.location) for p in rendered] == [
        (p.message, p.location) for p in checked if p.rule == "object-collision"]
    assert all(p.location is not None and p.location.line > 0 for p in rendered)
    out = tmp_path / "out"
    result = CliRunner().invoke(commands.app, ["render", str(profile), "--out", str(out)])
    assert result.exit_code == 2 and "object-collision" in result.output
    assert not out.exists() or not any(out.iterdir())


def test_hostile_env_and_annotation_values_stay_single_scalars(tmp_path: Path) -> None:
    hostile = 'x\\"\\n---\\napiVersion: v1\\nkind: Secret\\n'
    directory = render_apps(
        tmp_path, f'  - name: sleep\n    env: {{sleep: {{A: "{hostile}"}}}}\n    annotations: {{note: "{hostile}"}}\n'
    )
    text = (directory / "deployment-sleep.yaml").read_text("utf-8")
    (document,) = [doc for doc in YAML(typ="safe").load_all(text) if doc]
    value = 'x"\n---\napiVersion: v1\nkind: Secret\n'
    assert document["kind"] == "Deployment"
    assert containers(document)[0]["env"] == [{"name": "A", "value": value}]
    assert document["metadata"]["annotations"] == {"note": value}


def test_namespaces_with_the_same_parameters_share_their_containers_and_describe_them_alike() -> None:
    """A container is built once for every namespace that sets the same parameters (an estate holds a
    handful, not one per namespace), and still describes itself (in cache keys) exactly as a plain
    dataclass of its fields would: a key never depends on the sharing."""
    import dataclasses

    from generator.plan.app_contexts import Container, DeploymentContext, EnvVar
    from generator.plan.apps import app_objects
    from generator.profile.model import AppParameters

    def placed(namespace: str, env: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = ()) -> tuple[Container, ...]:
        parameters = AppParameters("caffeine", ("namespaces", 0, "apps", 0), env=env)
        found = [obj for obj in app_objects(parameters, namespace, {}) if isinstance(obj, DeploymentContext)]
        return tuple(container for obj in found for container in obj.containers)

    first, second = placed("ns-a"), placed("ns-b")
    assert all(one is other for one, other in zip(first, second, strict=True))
    changed = placed("ns-c", (("barista", (("INTERVAL", "5"),)),))
    assert [c.env for c in changed if c.name == "barista"] != [c.env for c in first if c.name == "barista"]
    plain = dataclasses.make_dataclass("Container", [(item.name, item.type) for item in dataclasses.fields(Container)],
                                       frozen=True)
    for container in (*first, *changed, Container("it's", "x", env=(EnvVar("K", 'q"\n'),))):
        twin = plain(**{item.name: getattr(container, item.name) for item in dataclasses.fields(Container)})
        assert repr(container) == repr(twin)


def _context_classes() -> list[type]:
    """Every template context class gen defines (imported with the planners)."""
    import generator.plan  # noqa: F401  (every planner, and so every context class)
    from generator.plan.outputs import TemplateContext

    found: list[type] = []
    pending: list[type] = [TemplateContext]
    while pending:
        cls = pending.pop()
        found.append(cls)
        pending += cls.__subclasses__()
    return found


def test_placing_an_object_in_a_namespace_builds_what_replace_builds() -> None:
    # in_namespace copies an object's fields rather than calling replace(): that is the same only
    # while no context class runs code in __init__, hides a field from it, or has no __dict__.
    from dataclasses import fields, replace

    from generator.plan.apps import in_namespace
    from generator.plan.catalog import catalog

    classes = _context_classes()
    assert len(classes) > 20
    for cls in classes:
        assert not hasattr(cls, "__post_init__"), cls
        assert "__slots__" not in cls.__dict__, cls
        assert all(field.init for field in fields(cls)), cls
    objects = [obj for entry in catalog().values() for obj in entry.objects]
    assert objects
    for obj in objects:
        placed = in_namespace(obj, "team-a")
        assert type(placed) is type(obj) and placed == replace(obj, namespace="team-a")
        assert placed.namespace == "team-a" and obj.namespace != "team-a"
