"""The catalog is data: every entry under templates/apps/ loads, and a broken one is a clear error."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from conftest import REPO
from generator import cli
from generator.output.render import render
from generator.plan import ObjectIdentity, Output, Plan
from generator.plan.app_contexts import KINDS, TEMPLATE_CONTEXTS, DeploymentContext, ServiceContext
from generator.plan.catalog import CatalogError, catalog, load_catalog
from generator.plan.catalog_schema import OBJECT_SCHEMAS

TEMPLATES = REPO / "generator" / "templates"


def test_every_entry_loads_and_names_its_folder() -> None:
    apps = catalog()
    assert sorted(apps) == sorted(p.parent.name for p in (TEMPLATES / "apps").glob("*/app.yaml"))
    assert {"bookinfo", "caffeine", "httpbin", "netshoot", "sleep"} <= set(apps)
    for app in apps.values():
        assert app.description and app.source
        assert app.objects and app.deployments


def test_catalog_is_read_once() -> None:
    assert catalog() is catalog()


def test_every_kind_has_a_schema_and_every_template_its_kind() -> None:
    assert set(OBJECT_SCHEMAS) == set(KINDS)
    for template, cls in TEMPLATE_CONTEXTS.items():
        assert (TEMPLATES / template).is_file()
        assert cls.kind in KINDS and issubclass(cls, KINDS[cls.kind])


@pytest.mark.parametrize("name", sorted(catalog()))
def test_objects_of_an_app_hang_together(name: str) -> None:
    app = catalog()[name]
    accounts = {obj.name for obj in app.objects if obj.kind == "ServiceAccount"}
    for deployment in app.deployments:
        assert deployment.service_account in accounts
        assert dict(deployment.selector).items() <= dict(deployment.pod_labels).items()
    for service in (obj for obj in app.objects if isinstance(obj, ServiceContext)):
        assert any(dict(service.selector).items() <= dict(d.pod_labels).items() for d in app.deployments)
    assert all(obj.namespace is None for obj in app.objects), "the catalog does not place objects"
    assert all(isinstance(d, DeploymentContext) for d in app.deployments)


def test_caffeine_programs_are_the_files_verbatim() -> None:
    programs = TEMPLATES / "apps" / "caffeine" / "programs"
    for deployment in catalog()["caffeine"].deployments:
        (container,) = deployment.containers
        if container.command[0] == "python3":
            assert container.command[2] == (programs / f"{deployment.name}.py").read_text("utf-8")


BROKEN_HTTPBIN = """\
description: broken on purpose
source: tests
parameters:
  replicas: 1
  env: {httbin: {X: y}}
objects:
- kind: ServiceAccount
  name: httpbin
- kind: Service
  name: httpbin
  ports: [{name: http, port: 8000}]
  selector: {app: nobody}
- kind: Deployment
  name: httpbin
  selector: {app: httpbin, version: v2}
  podLabels: {app: httpbin, version: v1}
  serviceAccountName: ghost
  containers:
  - name: httpbin
    image: "Not An Image"
    command: [{file: apps/httpbin/missing.py}]
    volumeMounts: [{name: nowhere, mountPath: /x}]
- kind: Deployment
  name: other
  template: apps/caffeine/configmap-curl-format.yaml.j2
  selector: {app: other}
  podLabels: {app: other}
  serviceAccountName: httpbin
  containers: [{name: c, image: busybox, colour: red}]
- kind: Secret
  name: token
"""


def test_a_broken_entry_says_every_mistake(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    (templates / "apps" / "httpbin" / "app.yaml").write_text(BROKEN_HTTPBIN, "utf-8")
    (templates / "apps" / "empty").mkdir()
    (templates / "apps" / "sleep" / "app.yaml").write_text("objects: [unclosed\n", "utf-8")
    with pytest.raises(CatalogError) as raised:
        load_catalog(templates)
    message = str(raised.value)
    assert message.startswith("the app catalog is broken (a bug in gen):")
    for expected in [
        "templates/apps/empty/app.yaml: missing",
        "templates/apps/httpbin/app.yaml: objects[3].containers[0].colour: unknown key",
        "templates/apps/httpbin/app.yaml: objects[4].kind: allowed",
        "templates/apps/sleep/app.yaml: not valid YAML",
    ]:
        assert expected in message, message
    # Shape first: with the shape fixed, the references between objects are checked.
    fixed = BROKEN_HTTPBIN.replace(", colour: red", "").replace("- kind: Secret\n  name: token\n", "")
    (templates / "apps" / "httpbin" / "app.yaml").write_text(fixed, "utf-8")
    shutil.rmtree(templates / "apps" / "empty")
    shutil.copy(TEMPLATES / "apps" / "sleep" / "app.yaml", templates / "apps" / "sleep" / "app.yaml")
    with pytest.raises(CatalogError) as raised:
        load_catalog(templates)
    lines = str(raised.value).splitlines()[1:]
    assert lines == [
        "templates/apps/httpbin/app.yaml: objects[1].selector: selects no Deployment of this app",
        "templates/apps/httpbin/app.yaml: objects[2].selector: does not match the Deployment's own podLabels",
        "templates/apps/httpbin/app.yaml: objects[2].serviceAccountName: no ServiceAccount of this app is named so",
        "templates/apps/httpbin/app.yaml: objects[2].containers[0].image: not an image reference: 'Not An Image'",
        "templates/apps/httpbin/app.yaml: objects[2].containers[0].volumeMounts: 'nowhere' names no volume of this Deployment",
        "templates/apps/httpbin/app.yaml: objects[2].containers[0].command: no file apps/httpbin/missing.py",
        "templates/apps/httpbin/app.yaml: objects[3].template: 'apps/caffeine/configmap-curl-format.yaml.j2' has no "
        "context class for a Deployment (plan/app_contexts.py)",
        "templates/apps/httpbin/app.yaml: parameters.env.httbin: no container of this app is named 'httbin'",
    ]


def test_a_broken_catalog_is_a_bug_in_gen_exit_3(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The error boundary turns it into exit 3 ("a bug in gen"), never a profile problem."""

    def broken() -> None:
        raise CatalogError("the app catalog is broken (a bug in gen):\nx")

    monkeypatch.setattr("generator.profile.app_rules.catalog", broken)
    monkeypatch.setattr("sys.argv", ["gen", "render", str(REPO / "profiles" / "caffeine.yaml"), "--out", str(tmp_path)])
    with pytest.raises(SystemExit) as exited:
        cli.main()
    assert exited.value.code == 3
    assert "internal error: CatalogError: the app catalog is broken" in capsys.readouterr().err


def test_the_readme_example_entry_is_an_app(tmp_path: Path) -> None:
    """"How to add an app": its app.yaml, dropped into a folder, is an app that renders."""
    readme = (REPO / "README.md").read_text("utf-8")
    section = readme[readme.index("### How to add an app") :]
    entry = section[section.index("```yaml\n") + len("```yaml\n") : section.index("```\n", section.index("```yaml"))]
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    (templates / "apps" / "web").mkdir()
    (templates / "apps" / "web" / "app.yaml").write_text(entry, "utf-8")
    (templates / "apps" / "web" / "server.py").write_text("print('hello')\n", "utf-8")
    web = load_catalog(templates)["web"]
    assert [(obj.kind, obj.name) for obj in web.objects] == [
        ("ServiceAccount", "web"), ("Service", "web"), ("Deployment", "web-v1"),
    ]
    (deployment,) = web.deployments
    assert deployment.containers[0].command == ("python3", "-c", "print('hello')\n")
    assert web.containers == ("web",) and web.env_parameters == {"web": {"GREETING": "what the page says"}}
    outputs = tuple(
        Output(f"{obj.name}.yaml", replace(obj, namespace="demo"), (), "example",
               ObjectIdentity(obj.api_version, obj.kind, obj.name, "demo"))
        for obj in web.objects
    )
    assert len(render(Plan("p", outputs))) == 3


@pytest.mark.parametrize("entry", sorted(TEMPLATES.glob("apps/*/app.yaml")), ids=lambda path: path.parent.name)
def test_every_shipped_entry_reads_as_ruamel_reads_it(entry: Path) -> None:
    """The catalog is read with a compiled YAML 1.2 parser; ruamel, the profile's reference reader,
    must read each entry the same."""
    from ruamel.yaml import YAML

    from generator.plan.catalog import _read

    assert _read(entry) == YAML(typ="safe", pure=True).load(entry.read_text("utf-8"))


def test_a_repeated_key_in_an_entry_is_not_valid_yaml(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    sleep = templates / "apps" / "sleep" / "app.yaml"
    sleep.write_text("description: a\ndescription: b\n" + sleep.read_text("utf-8"), "utf-8")
    with pytest.raises(CatalogError, match="templates/apps/sleep/app.yaml: not valid YAML"):
        load_catalog(templates)
