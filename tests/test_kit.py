"""Templating kits (README, "Templating kit"): a team's templates, apps, outputs, rules and schemas,
layered over the built-ins, sandboxed, and checked like them. Each test works on a copy of the
example repository: profiles/platform-kit.yaml and its kit, templates/."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from conftest import PROFILES, REPO
from generator import commands

runner = CliRunner()
KIT = REPO / "templates"
PROFILE = "platform-kit.yaml"


@pytest.fixture()
def repo(tmp_path: Path) -> Path:
    """A repository with the example kit and profile (and the values and policies profiles name)."""
    root = tmp_path / "repo"
    (root / ".git").mkdir(parents=True)
    shutil.copytree(KIT, root / "templates")
    (root / "profiles").mkdir()
    shutil.copy(PROFILES / PROFILE, root / "profiles" / PROFILE)
    return root


def render(repo: Path, *extra: str, profile: str = PROFILE) -> tuple[int, str, str]:
    result = runner.invoke(commands.app, ["render", str(repo / "profiles" / profile), "--out", str(repo / "out"),
                                          *extra])
    return result.exit_code, result.stdout, result.stderr


def tree(root: Path) -> dict[str, bytes]:
    return {path.relative_to(root).as_posix(): path.read_bytes() for path in sorted(root.rglob("*"))
            if path.is_file() and ".gen" not in path.parts}


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), "utf-8")


def problems(stderr: str) -> list[dict[str, object]]:
    return json.loads(stderr)["problems"]  # type: ignore[no-any-return]


def without_kit(repo: Path, name: str = "no-kit.yaml") -> str:
    """The example profile with no kit: its kit app swapped for a built-in, its `outputs:` gone."""
    data = yaml.safe_load((repo / "profiles" / PROFILE).read_text())
    del data["kit"]
    for namespace in data["namespaces"]:
        namespace.pop("outputs", None)
        for app in namespace["apps"]:
            if app["name"] == "echo":
                app.update(name="sleep", env={})
    (repo / "profiles" / name).write_text(yaml.safe_dump(data, sort_keys=False))
    return name


# --- 1. an override changes exactly the files of its template --------------------------------------


def test_an_overriding_template_changes_exactly_the_files_it_writes(repo: Path) -> None:
    plain = without_kit(repo)
    assert render(repo, profile=plain)[0] == 0
    before = tree(repo / "out" / "platform-kit")
    # A kit holding only the override.
    only = repo / "only-override"
    (only / "k8s").mkdir(parents=True)
    shutil.copy(repo / "templates" / "k8s" / "serviceaccount.yaml.j2", only / "k8s")
    data = yaml.safe_load((repo / "profiles" / plain).read_text())
    data["kit"] = ["../only-override"]
    (repo / "profiles" / "override.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
    shutil.rmtree(repo / "out")
    code, _, stderr = render(repo, profile="override.yaml")
    assert code == 0, stderr
    after = tree(repo / "out" / "platform-kit")
    assert set(after) == set(before)
    changed = {path for path in before if before[path] != after[path]}
    assert changed == {path for path in before if path.split("/")[-1].startswith("serviceaccount-")}
    assert changed  # the estate has ServiceAccounts, and each changed
    for path in changed:
        assert yaml.safe_load(after[path])["automountServiceAccountToken"] is False


def test_the_example_kit_adds_its_outputs_app_and_override_to_the_estate(repo: Path) -> None:
    code, _, stderr = render(repo)
    assert code == 0, stderr
    out = repo / "out" / "platform-kit" / "clusters" / "prod-1" / "namespaces"
    checkout = yaml.safe_load((out / "checkout" / "peerauthentication-default.yaml").read_text())
    assert checkout["spec"] == {"mtls": {"mode": "STRICT"}}
    policy = yaml.safe_load((out / "checkout" / "networkpolicy-allow-ambient-hbone.yaml").read_text())
    assert policy["spec"]["ingress"] == [{"ports": [{"port": 15008, "protocol": "TCP"}]},
                                         {"from": [{"ipBlock": {"cidr": "169.254.7.127/32"}}]}]
    # The sidecar namespace gets neither (when: dataplane ambient), whatever its settings say.
    assert not list((out / "legacy").glob("peerauthentication-*")) and not list((out / "legacy").glob("networkpolicy-*"))
    kustomization = yaml.safe_load((out / "checkout" / "kustomization.yaml").read_text())
    assert {"peerauthentication-default.yaml", "networkpolicy-allow-ambient-hbone.yaml",
            "deployment-echo.yaml"} <= set(kustomization["resources"])
    echo = yaml.safe_load((out / "checkout" / "deployment-echo.yaml").read_text())
    assert echo["spec"]["template"]["spec"]["containers"][0]["env"] == [{"name": "ECHO_TEXT", "value": "checkout is up"}]


def _selects(selector: dict[str, object], labels: dict[str, str]) -> bool:
    """A Kubernetes label selector (matchLabels, matchExpressions) applied to a pod's labels."""
    match = selector.get("matchLabels") or {}
    assert isinstance(match, dict)
    if any(labels.get(key) != value for key, value in match.items()):
        return False
    for expression in selector.get("matchExpressions") or []:  # type: ignore[attr-defined]
        key, operator, values = expression["key"], expression["operator"], expression.get("values", [])
        present = key in labels
        if not {"In": present and labels[key] in values, "NotIn": not present or labels[key] not in values,
                "Exists": present, "DoesNotExist": not present}[operator]:
            return False
    return True


def test_the_hbone_policy_isolates_captured_pods_and_leaves_the_waypoint_probes_alone(repo: Path) -> None:
    """NetworkPolicy is enforced on the node: the captured pods get HBONE and the SNAT-ed probes; the
    namespace's waypoint (seed 004: `-l gateway.networking.k8s.io/gateway-name=waypoint -n httpbin`) is
    probed from the node's own address, so the policy must not select it."""
    assert render(repo)[0] == 0
    folder = repo / "out" / "platform-kit" / "clusters" / "prod-1" / "namespaces" / "checkout"
    selector = yaml.safe_load((folder / "networkpolicy-allow-ambient-hbone.yaml").read_text())["spec"]["podSelector"]
    for deployment in folder.glob("deployment-*.yaml"):
        pod = yaml.safe_load(deployment.read_text())["spec"]["template"]["metadata"]["labels"]
        assert _selects(selector, pod), deployment.name
    waypoint = {"gateway.networking.k8s.io/gateway-name": "waypoint", "istio.io/dataplane-mode": "none"}
    assert not _selects(selector, waypoint)
    assert not _selects(selector, {"app": "batch", "istio.io/dataplane-mode": "none"})  # opted out of ambient


def test_settings_turn_an_output_off_and_set_its_parameters_nearest_first(repo: Path) -> None:
    profile = repo / "profiles" / PROFILE
    edit(profile, "kit: [../templates]\n", "kit: [../templates]\noutputs:\n  peer-authentication: {mode: PERMISSIVE}\n"
         "  hbone-network-policy: false\n")
    edit(profile, "  dataplane: sidecar\n", "  dataplane: ambient\n")
    code, _, stderr = render(repo)
    assert code == 0, stderr
    out = repo / "out" / "platform-kit" / "clusters" / "prod-1" / "namespaces"
    assert not list(out.rglob("networkpolicy-*"))
    modes = {ns: yaml.safe_load((out / ns / "peerauthentication-default.yaml").read_text())["spec"]["mtls"]["mode"]
             for ns in ("checkout", "legacy")}
    assert modes == {"checkout": "PERMISSIVE", "legacy": "PERMISSIVE"}


# --- 2. parameters are checked at the profile line ----------------------------------------------------


@pytest.mark.parametrize(("old", "new", "path", "words"), [
    ("peer-authentication: {mode: PERMISSIVE}", "peer-authentication: {mode: 3}",
     "namespaces[1].outputs.peer-authentication.mode", "is not one of"),
    ("peer-authentication: {mode: PERMISSIVE}", "peer-authentication: {mood: STRICT}",
     "namespaces[1].outputs.peer-authentication.mood", "has no parameter 'mood'"),
    ("peer-authentication: {mode: PERMISSIVE}", "peer-authantication: {mode: STRICT}",
     "namespaces[1].outputs.peer-authantication", "no kit output 'peer-authantication'"),
    ("{name: echo, labels: {team: payments}, env: {echo: {ECHO_TEXT: checkout is up}}}",
     "{name: echo, labels: {team: payments}, replicas: two}", "namespaces[0].apps[0].replicas", "whole number"),
    ("{name: echo, labels: {team: payments}, env: {echo: {ECHO_TEXT: checkout is up}}}",
     "{name: echo, labels: {team: payments}, colour: red}", "namespaces[0].apps[0].colour", "unknown"),
    ("{name: echo, labels: {team: payments}, env: {echo: {ECHO_TEXT: checkout is up}}}",
     "{name: echo, labels: {team: payments}, env: {web: {A: b}}}", "namespaces[0].apps[0].env.web", "echo"),
])
def test_a_wrong_kit_parameter_is_exit_2_at_its_profile_line(repo: Path, old: str, new: str, path: str,
                                                             words: str) -> None:
    edit(repo / "profiles" / PROFILE, old, new)
    code, _, stderr = render(repo, "--format", "json")
    assert code == 2
    assert not (repo / "out").exists()
    found = [p for p in problems(stderr) if p["path"] == path]
    assert found, problems(stderr)
    text = (repo / "profiles" / PROFILE).read_text().splitlines()
    line, column = found[0]["line"], found[0]["column"]
    assert isinstance(line, int) and isinstance(column, int)
    key = path.split(".")[-1].split("[")[0]
    assert key in text[line - 1] and column > text[line - 1].index(key[0]) - 1, (text[line - 1], column)
    assert words in json.dumps(found[0])


def test_a_missing_required_parameter_is_exit_2_where_the_output_is_set(repo: Path) -> None:
    declaration = repo / "templates" / "outputs" / "peer-authentication.yaml"
    edit(declaration, "    default: STRICT\n", "")
    edit(declaration, "parameters:\n", "required: [mode]\nparameters:\n")
    code, _, stderr = render(repo, "--format", "json")
    assert code == 2 and not (repo / "out").exists()
    (found,) = [p for p in problems(stderr) if '"mode" is a required property' in str(p["message"])]
    assert found["path"] == "namespaces[0]"  # checkout: ambient, and nothing sets the mode
    assert found["line"] == 38  # `- name: checkout`
    assert "peer-authentication" in str(found["message"])


def test_a_kit_that_is_not_there_or_leaves_the_repository_is_refused(repo: Path, tmp_path: Path) -> None:
    profile = repo / "profiles" / PROFILE
    outside = tmp_path / "outside"
    shutil.copytree(repo / "templates", outside)
    for folder, words in (("../nothing", "does not exist"), (str(outside), "relative"),
                          ("../../outside", "outside")):
        profile.write_text((PROFILES / PROFILE).read_text().replace("kit: [../templates]", f"kit: [{folder!r}]"))
        code, _, stderr = render(repo, "--format", "json")
        assert code == 2 and not (repo / "out").exists()
        (found,) = problems(stderr)
        assert found["path"] == "kit[0]" and words in str(found["message"]), found


def test_a_link_out_of_the_kit_a_file_that_is_not_utf8_and_broken_jinja_are_located(repo: Path) -> None:
    kit = repo / "templates"
    (kit / "outputs" / "leak.yaml.j2").symlink_to("/etc/hostname")
    (kit / "k8s" / "bad.yaml.j2").write_bytes(b"name: \xff\xfe\n")
    (kit / "k8s" / "namespace.yaml.j2").write_text("apiVersion: v1\n{% if %}\n")
    code, _, stderr = render(repo, "--format", "json")
    assert code == 2 and not (repo / "out").exists()
    found = {str(p["file"]).split("/templates/")[-1]: p for p in problems(stderr)}
    assert "outside the kit" in str(found["outputs/leak.yaml.j2"]["message"])
    assert "not UTF-8" in str(found["k8s/bad.yaml.j2"]["message"])
    assert (found["k8s/bad.yaml.j2"]["line"], found["k8s/bad.yaml.j2"]["column"]) == (1, 7)
    assert found["k8s/namespace.yaml.j2"]["line"] == 2


# --- 3. the sandbox ----------------------------------------------------------------------------------

ESCAPES = {
    "dunder": "{{ ''.__class__.__mro__ | q }}",
    "globals": "{{ q.__globals__ | q }}",
    "subclasses": "{{ ().__class__.__base__.__subclasses__() | q }}",
    "absolute include": "{% include '/etc/passwd' %}",
    "include outside the kits": "{% include '../../../profiles/platform-kit.yaml' %}",
    "environment": "{{ environ['HOME'] | q }}",
    "lipsum": "{{ lipsum.__globals__.os.environ | q }}",
    "mutation": "{{ params.update({'mode': 'DISABLE'}) | q }}",
    "100 MB": "{% for a in 'x' * 10000 %}{% for b in 'x' * 10000 %}{{ 'y' | q }}{% endfor %}{% endfor %}",
    "huge string": "{{ ('x' * 100000000) | q }}",
    "format": "{{ '%99999999s' | format('x') | q }}",
    "raw print": "{{ params.mode }}",
}


@pytest.mark.parametrize("escape", list(ESCAPES))
def test_a_sandbox_escape_is_refused_located_with_nothing_written(repo: Path, escape: str) -> None:
    template = repo / "templates" / "outputs" / "peerauthentication.yaml.j2"
    edit(template, "    mode: {{ params.mode | q }}\n", f"    mode: {ESCAPES[escape]}\n")
    code, _, stderr = render(repo, "--format", "json")
    assert code == 2, stderr
    assert not (repo / "out").exists()
    found = problems(stderr)
    assert found and all(str(p["file"]).endswith("/templates/outputs/peerauthentication.yaml.j2") for p in found), found
    assert {p["line"] for p in found} == {9}, found  # the line of the escape
    assert all(p["rule"] in ("kit-template", "kit") for p in found)


def test_secrets_and_structure_are_guarded_in_kit_output_too(repo: Path) -> None:
    """A kit template cannot print a profile value raw: `finalize` refuses it; through `q`, a hostile
    value stays one scalar."""
    edit(repo / "profiles" / PROFILE, "peer-authentication: {mode: PERMISSIVE}", "peer-authentication: {}")
    declaration = repo / "templates" / "outputs" / "peer-authentication.yaml"
    edit(declaration, "    enum: [STRICT, PERMISSIVE]\n", "    type: string\n")
    edit(repo / "profiles" / PROFILE, "kit: [../templates]\n",
         "kit: [../templates]\noutputs:\n  peer-authentication: {mode: \"STRICT\\nkind: Secret\"}\n")
    code, _, stderr = render(repo, "--format", "json")
    # The injected text is one string: it fails the PeerAuthentication schema's enum, at the file.
    assert code == 2, stderr
    (found,) = problems(stderr)
    assert "peerauthentication-default.yaml" in str(found["message"]) and found["rule"] == "output-schema"


# --- 4. rules ----------------------------------------------------------------------------------------


def test_a_rule_violation_names_the_output_line_and_the_profile_line(repo: Path) -> None:
    edit(repo / "profiles" / PROFILE, "{name: echo, labels: {team: payments}, ", "{name: echo, ")
    code, _, stderr = render(repo, "--format", "json")
    assert code == 2 and not (repo / "out").exists()
    (found,) = problems(stderr)
    assert found["rule"] == "kit-rule:deployment-team-label"
    assert "clusters/prod-1/namespaces/checkout/deployment-echo.yaml:5:3" in str(found["message"])
    assert (found["path"], found["line"]) == ("namespaces[0].apps[0]", 42)


def test_a_warning_rule_warns_and_renders(repo: Path) -> None:
    rule = repo / "templates" / "rules" / "no-load-balancer.yaml"  # made to match every Service
    rule.write_text(rule.read_text().split("schema:")[0] + "schema:\n  not: {required: [spec]}\n")
    code, _, stderr = render(repo, "--format", "json")
    assert code == 0, stderr
    warnings = [p for p in json.loads(stderr)["problems"] if p["rule"] == "kit-rule:no-load-balancer"]
    assert warnings and all(p["severity"] == "warning" for p in warnings)


# --- 5. --check, validate, schemas --------------------------------------------------------------------


def test_check_reports_the_outputs_a_changed_kit_template_changes(repo: Path) -> None:
    assert render(repo)[0] == 0
    assert render(repo, "--check")[0] == 0
    edit(repo / "templates" / "outputs" / "peerauthentication.yaml.j2", "spec:\n", "spec:\n  selector: {}\n")
    code, stdout, stderr = render(repo, "--check")
    assert code == 1
    assert "clusters/prod-1/namespaces/checkout/peerauthentication-default.yaml" in stdout + stderr
    assert "deployment-echo.yaml" not in stdout + stderr
    # Rendering it writes exactly that file; the next --check is clean.
    code, stdout, _ = render(repo)
    assert code == 0 and "1 written" in stdout
    assert render(repo, "--check")[0] == 0


def test_a_kit_output_that_stops_rendering_is_pruned(repo: Path) -> None:
    assert render(repo)[0] == 0
    target = repo / "out" / "platform-kit" / "clusters" / "prod-1" / "namespaces" / "checkout"
    assert (target / "networkpolicy-allow-ambient-hbone.yaml").exists()
    edit(repo / "profiles" / PROFILE, "kit: [../templates]\n", "kit: [../templates]\noutputs: {hbone-network-policy: false}\n")
    assert render(repo)[0] == 0
    assert not (target / "networkpolicy-allow-ambient-hbone.yaml").exists()
    assert "networkpolicy-allow-ambient-hbone.yaml" not in (target / "kustomization.yaml").read_text()


def test_validate_and_the_schema_export_cover_the_kits_kinds(repo: Path, tmp_path: Path) -> None:
    assert render(repo)[0] == 0
    tree_root = str(repo / "out" / "platform-kit")
    plain = runner.invoke(commands.app, ["validate", tree_root])
    assert plain.exit_code == 2 and "no schema for PeerAuthentication" in plain.stderr and "--profile" in plain.stderr
    profile = str(repo / "profiles" / PROFILE)
    checked = runner.invoke(commands.app, ["validate", tree_root, "--profile", profile])
    assert checked.exit_code == 0, checked.stderr
    broken = repo / "out" / "platform-kit" / "clusters" / "prod-1" / "namespaces" / "checkout" / "peerauthentication-default.yaml"
    edit(broken, "mode: STRICT", "mode: STRIKT")
    failed = runner.invoke(commands.app, ["validate", str(broken), "--profile", profile])
    assert failed.exit_code == 2 and "STRIKT" in failed.stderr
    exported = runner.invoke(commands.app, ["schemas", "export", str(tmp_path / "schemas"), "--profile", profile])
    assert exported.exit_code == 0, exported.stderr
    schema = json.loads((tmp_path / "schemas" / "pack" / "security.istio.io" / "peerauthentication_v1.json").read_text())
    assert schema == json.loads((KIT / "schemas" / "security.istio.io" / "peerauthentication_v1.json").read_text())


def test_an_output_of_a_kind_without_a_schema_is_refused_unless_declared_schemaless(repo: Path) -> None:
    os.remove(repo / "templates" / "schemas" / "security.istio.io" / "peerauthentication_v1.json")
    code, _, stderr = render(repo, "--format", "json")
    assert code == 2 and not (repo / "out").exists()
    (found,) = problems(stderr)
    assert "no schema for PeerAuthentication" in str(found["message"])
    assert str(found["file"]).endswith("/templates/outputs/peer-authentication.yaml")
    edit(repo / "templates" / "outputs" / "peer-authentication.yaml", "name: default\n", "name: default\nschemaless: true\n")
    code, _, stderr = render(repo, "--format", "json")
    assert code == 0, stderr
    (warning,) = json.loads(stderr)["problems"]
    assert warning["severity"] == "warning" and "unchecked" in str(warning["message"])


# --- 6. eject --------------------------------------------------------------------------------------------


def test_ejected_built_ins_render_byte_identical_output(repo: Path) -> None:
    assert render(repo)[0] == 0
    before = tree(repo / "out" / "platform-kit")
    for name in ("httpbin", "sleep", "k8s/deployment.yaml.j2", "k8s/_metadata.yaml.j2", "k8s/namespace.yaml.j2",
                 "_header.yaml.j2", "tsb/workspace.yaml.j2", "helm/controlplane-values.yaml.j2"):
        result = runner.invoke(commands.app, ["kit", "eject", name, "--to", str(repo / "templates")])
        assert result.exit_code == 0, result.stderr
    assert (repo / "templates" / "apps" / "httpbin" / "app.yaml").is_file()
    listed = runner.invoke(commands.app, ["kit", "list", str(repo / "profiles" / PROFILE), "--json"])
    origins = {(item["kind"], item["name"]): item["origin"] for item in json.loads(listed.stdout)}
    assert origins[("app", "httpbin")] == origins[("template", "k8s/deployment.yaml.j2")] == str(repo / "templates")
    assert origins[("app", "bookinfo")] == "built-in"
    code, stdout, stderr = render(repo)
    assert code == 0, stderr
    assert tree(repo / "out" / "platform-kit") == before
    again = runner.invoke(commands.app, ["kit", "eject", "httpbin", "--to", str(repo / "templates")])
    assert again.exit_code == 2 and "never overwrites" in again.stderr


def test_init_scaffolds_a_kit_that_renders(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    (tmp_path / "profiles").mkdir()
    result = runner.invoke(commands.app, ["init", "generic", "--output", str(tmp_path / "profiles" / "estate.yaml"),
                                          "--kit", str(tmp_path / "templates")])
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "templates" / "README.md").is_file()
    assert yaml.safe_load((tmp_path / "profiles" / "estate.yaml").read_text())["kit"] == ["../templates"]
    rendered = runner.invoke(commands.app, ["render", str(tmp_path / "profiles" / "estate.yaml"), "--out",
                                            str(tmp_path / "out")])
    assert rendered.exit_code == 0, rendered.stderr
    assert not list((tmp_path / "out").rglob("networkpolicy-*"))  # the example output is off by default
    text = (tmp_path / "profiles" / "estate.yaml").read_text().replace('kit: ["../templates"]',
                                                                       'kit: ["../templates"]\noutputs: {hbone-network-policy: true}')
    (tmp_path / "profiles" / "estate.yaml").write_text(text)
    rendered = runner.invoke(commands.app, ["render", str(tmp_path / "profiles" / "estate.yaml"), "--out",
                                            str(tmp_path / "out")])
    assert rendered.exit_code == 0, rendered.stderr
    assert list((tmp_path / "out").rglob("networkpolicy-allow-ambient-hbone.yaml"))
    refused = runner.invoke(commands.app, ["init", "generic", "--kit", str(tmp_path / "templates")])
    assert refused.exit_code == 2 and "not empty" in refused.stderr


# --- what a red-team review found (each once exit 0 or 3) -----------------------------------------


@pytest.mark.parametrize("file", ["/etc/hostname", "../../../../../../etc/passwd", "apps/echo/../../../x"])
def test_a_kit_app_cannot_read_a_file_outside_the_kits_and_the_package(repo: Path, file: str) -> None:
    edit(repo / "templates" / "apps" / "echo" / "app.yaml", 'command: [/http-echo, "-listen=:5678"]',
         f'command: [/http-echo, {{file: "{file}"}}]')
    code, _, stderr = render(repo, "--format", "json")
    assert code == 2 and not (repo / "out").exists()
    (found,) = problems(stderr)
    assert "command: no file" in str(found["message"]) and str(found["file"]).endswith("apps/echo/app.yaml")


@pytest.mark.parametrize("name", ["a" * 5000, "x/" * 600 + "t.j2", "é" * 200 + ".j2"])
def test_a_template_name_no_file_system_holds_is_no_template_not_a_crash(repo: Path, name: str) -> None:
    # once exit 3: the file system refused the name ("File name too long") where "no such file" was meant
    edit(repo / "templates" / "outputs" / "peer-authentication.yaml", "template: outputs/peerauthentication.yaml.j2",
         f"template: {name}")
    code, _, stderr = render(repo, "--format", "json")
    assert code == 2 and not (repo / "out").exists(), stderr
    assert any("template: no template" in str(found["message"]) for found in problems(stderr)), stderr


@pytest.mark.parametrize("kind", ["[]", "{}", "[Service]"])
def test_an_app_object_whose_kind_is_not_a_string_is_located_not_a_crash(repo: Path, kind: str) -> None:
    # once exit 3: the kind was looked up among the object schemas before its type was checked
    entry = repo / "templates" / "apps" / "echo" / "app.yaml"
    text = entry.read_text()
    assert text.count("kind: Service\n") == 1
    entry.write_text(text.replace("kind: Service\n", f"kind: {kind}\n"))
    code, _, stderr = render(repo, "--format", "json")
    assert code == 2 and not (repo / "out").exists(), stderr
    assert any(".kind: type 'string' does not allow" in str(found["message"]) for found in problems(stderr)), stderr


def test_kit_schemas_never_fetch_or_read_a_reference(repo: Path, tmp_path: Path) -> None:
    secret = tmp_path / "schema.json"
    secret.write_text('{"type": "object"}')
    rule = repo / "templates" / "rules" / "deployment-team-label.yaml"
    rule.write_text(rule.read_text().split("schema:")[0] + f"schema: {{$ref: 'file://{secret}'}}\n")
    code, _, stderr = render(repo, "--format", "json")
    assert code == 2 and not (repo / "out").exists()
    (found,) = problems(stderr)
    assert "fetches no schema" in str(found["message"]) and found["line"] == 5


@pytest.mark.parametrize(("snippet", "words"), [
    ("{% filter replace('\"', '') %}{{ params.mode | q }}{% endfilter %}", "block is not available"),
    ("{% macro m() %}x{% endmacro %}{% call m() %}y{% endcall %}", "block is not available"),
    ("{{ ('x' * 1000000) ~ ('x' * 1000000) | q }}", "`~` would build"),
    ("{{ 'x'.ljust(2000000000) | q }}", "ljust"),
    ("{{ ([[1]] * 1000) | sum(start=[]) | q }}", "`sum` adds numbers only"),
    ("{{ 'abc' | slice(100000000) | length | q }}", "`slice` takes a size"),
    ("{{ params | string | q }}", "`string` takes"),
    ("{{ params.mode | comment }}", "mtls.mode"),
])
def test_a_template_that_would_rewrite_quoted_text_or_build_a_huge_value_is_refused(repo: Path, snippet: str,
                                                                                    words: str) -> None:
    edit(repo / "templates" / "outputs" / "peerauthentication.yaml.j2", "    mode: {{ params.mode | q }}\n",
         f"    mode: {snippet}\n")
    code, _, stderr = render(repo, "--format", "json")
    assert code == 2 and not (repo / "out").exists(), stderr
    assert any(words in str(p["message"]) for p in problems(stderr)), problems(stderr)


def test_a_kit_template_cannot_call_a_librarys_methods_on_live_values() -> None:
    from ruamel.yaml.comments import CommentedMap

    from generator.output.sandbox import sandbox_environment
    from generator.output.templating import TemplateLayer

    live = CommentedMap(a=1)
    template = sandbox_environment([TemplateLayer("kit", {"t.j2": "{{ live.insert(0, 'b', 2) | q }}"})]).get_template("t.j2")
    with pytest.raises(Exception, match="insert"):
        template.render(live=live, profile="p")
    assert dict(live) == {"a": 1}


@pytest.mark.parametrize("name", ["../../../x.j2", "k8s/../init/profile.yaml.j2", "/etc/passwd", "init/profile.yaml.j2"])
def test_eject_takes_exactly_a_built_in_name(repo: Path, name: str) -> None:
    result = runner.invoke(commands.app, ["kit", "eject", name, "--to", str(repo / "templates" / "a" / "b")])
    assert result.exit_code == 2 and "neither a built-in template" in result.stderr
    assert not (repo / "templates" / "a").exists()


def test_a_nul_in_a_kit_folder_is_a_located_problem(repo: Path) -> None:
    edit(repo / "profiles" / PROFILE, "kit: [../templates]", 'kit: ["../templates\\0"]')
    code, _, stderr = render(repo, "--format", "json")
    assert code == 2
    (found,) = problems(stderr)
    assert found["path"] == "kit[0]"


def test_profiles_of_different_kits_rendered_by_one_run_each_place_their_own_apps(repo: Path) -> None:
    # App placements are cached per kit: a second profile whose kit holds another `echo` gets its
    # own, not the first kit's (a cache keyed by the app's parameters alone served the first).
    shutil.copytree(repo / "templates", repo / "other")
    app = repo / "other" / "apps" / "echo" / "app.yaml"
    app.write_text(app.read_text().replace("http-echo:1.0", "http-echo:9.9"))
    text = (repo / "profiles" / PROFILE).read_text()
    second = repo / "profiles" / "second.yaml"
    second.write_text(text.replace("kit: [../templates]", "kit: [../other]").replace("profile: platform-kit",
                                                                                     "profile: second"))
    result = runner.invoke(commands.app, ["render", str(repo / "profiles" / PROFILE), str(second), "--out",
                                          str(repo / "together")])
    assert result.exit_code == 0, result.stderr
    alone = runner.invoke(commands.app, ["render", str(second), "--out", str(repo / "alone")])
    assert alone.exit_code == 0, alone.stderr
    echo = [path for path in tree(repo / "alone" / "second") if path.endswith("deployment-echo.yaml")]
    assert echo and b"http-echo:9.9" in (repo / "alone" / "second" / echo[0]).read_bytes()
    assert tree(repo / "together" / "second") == tree(repo / "alone" / "second")
