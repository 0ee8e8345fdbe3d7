"""The ControlPlane and ManagementPlane helm values: seed 004's settings, every platform, live values
merged with secrets kept out, and the gates that keep a cluster from a half-enabled ambient."""

from __future__ import annotations

import difflib
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from ruamel.yaml import YAML

from conftest import FIXTURES, PROFILES
from generator.pipeline import render_profile
from generator.problems import Problem, Severity
from generator.tree import Status, render_tree
from helpers import render_into, tree, variant, write_profile
from test_errors import assert_at, only, problems_of

CONTROL_PLANE = "clusters/app-blk-east-0/control-plane/controlplane-values.yaml"
MANAGEMENT_PLANE = "management-plane/tsb-mp/managementplane-values.yaml"
AMBIENT = "  ambient:\n    enabled: true\n"


def load(root: Path, name: str) -> Any:
    return YAML(typ="safe").load((root / name).read_text("utf-8"))


def warnings_of(path: Path) -> list[Problem]:
    return [p for p in render_profile(path).warnings if p.severity is Severity.WARNING]


def test_the_overlays_hold_exactly_seed_004s_settings(tmp_path: Path) -> None:
    seed_control_plane, seed_management_plane = YAML(typ="safe").load_all(
        (FIXTURES / "seeds" / "seed004-controlplane.yaml").read_text("utf-8")
    )
    # The edge DNS overlay is a list, which helm would not merge into live values: the overlay is
    # rendered as the release's only values (`baseValues: none`), as the seed's settings stand alone.
    profile, _ = variant(
        tmp_path,
        ("  platform: aks\n", "  platform: aks\n  baseValues: none\n"),
        (AMBIENT, AMBIENT + "    edgeDnsResolution: true\n"),
    )
    root = render_into(profile, tmp_path / "out")
    assert load(root, CONTROL_PLANE) == seed_control_plane
    # Seed 004 applies its TSB objects with tctl; the GitOps form (the default) also needs the
    # management plane's GitOps component, beside the seed's settings.
    seed_management_plane["spec"]["components"]["gitops"] = {"enabled": True}
    assert load(root, MANAGEMENT_PLANE) == seed_management_plane
    # Key by key, as seed 004 writes them.
    components = load(root, CONTROL_PLANE)["spec"]["components"]
    assert components["istio"]["ambient"] == {"enable": True}
    assert components["istio"]["kubeSpec"]["CNI"] == {
        "binaryDirectory": "/opt/cni/bin", "chained": True, "configurationDirectory": "/etc/cni/net.d"
    }
    assert components["spmAgent"] == {"enabled": True}
    (overlay,) = components["xcp"]["kubeSpec"]["overlays"]
    assert (overlay["apiVersion"], overlay["kind"], overlay["name"]) == (
        "install.xcp.tetrate.io/v1alpha1", "EdgeXcp", "edge-xcp"
    )
    assert overlay["patches"] == [
        {
            "path": "spec.components.edgeServer.kubeSpec.deployment.env[-1]",
            "value": {"name": "ENABLE_DNS_RESOLUTION_AT_EDGE", "value": "true"},
        }
    ]


# binaryDirectory, configurationDirectory, chained, and the extra fields each platform needs.
PLATFORM_CNI: dict[str, dict[str, object]] = {
    "gke": {"binaryDirectory": "/home/kubernetes/bin", "configurationDirectory": "/etc/cni/net.d", "chained": True},
    "eks": {"binaryDirectory": "/opt/cni/bin", "configurationDirectory": "/etc/cni/net.d", "chained": True},
    "aks": {"binaryDirectory": "/opt/cni/bin", "configurationDirectory": "/etc/cni/net.d", "chained": True},
    "openshift": {
        "binaryDirectory": "/var/lib/cni/bin", "configurationDirectory": "/etc/cni/multus/net.d", "chained": False,
        "configurationFileName": "istio-cni.conf", "cniDaemonsetNamespace": "kube-system",
    },
    "k3s": {"binaryDirectory": "/var/lib/rancher/k3s/data/current/bin/",
            "configurationDirectory": "/var/lib/rancher/k3s/agent/etc/cni/net.d", "chained": True},
    "k3d": {"binaryDirectory": "/bin", "configurationDirectory": "/var/lib/rancher/k3s/agent/etc/cni/net.d",
            "chained": True},
    "kind": {"binaryDirectory": "/opt/cni/bin", "configurationDirectory": "/etc/cni/net.d", "chained": True},
    "minikube": {"binaryDirectory": "/opt/cni/bin", "configurationDirectory": "/etc/cni/net.d", "chained": True},
    "microk8s": {"binaryDirectory": "/var/snap/microk8s/current/opt/cni/bin",
                 "configurationDirectory": "/var/snap/microk8s/current/args/cni-network", "chained": True},
    "generic": {"binaryDirectory": "/opt/cni/bin", "configurationDirectory": "/etc/cni/net.d", "chained": True},
}
PLATFORM_NOTES = {"eks": "eks-pod-security-groups", "minikube": "minikube-netns", "k3s": "k3s-bundled-cni",
                  "openshift": "openshift-unverified"}


@pytest.mark.parametrize("platform", sorted(PLATFORM_CNI))
def test_every_platform_gets_its_cni_settings_and_notes(tmp_path: Path, platform: str) -> None:
    profile, _ = variant(tmp_path, ("platform: aks", f"platform: {platform}"))
    root = render_into(profile, tmp_path / "out")
    components = load(root, CONTROL_PLANE)["spec"]["components"]
    assert components["istio"]["kubeSpec"]["CNI"] == PLATFORM_CNI[platform]
    assert components["istio"]["ambient"] == {"enable": True}
    assert components["spmAgent"] == {"enabled": True}
    quota = root / "clusters/app-blk-east-0/namespaces/istio-system/resourcequota-gcp-critical-pods.yaml"
    assert quota.exists() is (platform == "gke")
    notes = [p for p in warnings_of(profile) if p.rule == "platform-note"]
    assert [p.message.rsplit("[", 1)[1].rstrip("]") for p in notes] == (
        [PLATFORM_NOTES[platform]] if platform in PLATFORM_NOTES else []
    )


def test_the_eks_warning_names_the_setting_and_can_be_acknowledged(tmp_path: Path) -> None:
    profile, text = variant(tmp_path, ("platform: aks", "platform: eks"))
    (note,) = warnings_of(profile)
    assert "POD_SECURITY_GROUP_ENFORCING_MODE=standard" in note.message
    assert_at(note, profile, text, "eks")
    acknowledged, _ = variant(
        tmp_path, ("platform: aks", "platform: eks\n  acknowledge: [eks-pod-security-groups]"), name="ack.yaml"
    )
    assert warnings_of(acknowledged) == []


@pytest.mark.parametrize(
    "istio_namespace,cni_namespace,quota_namespaces",
    [
        ("istio-system", None, ["istio-system"]),
        ("istio-system", "kube-system", ["istio-system"]),
        ("istio-system", "istio-cni", ["istio-cni", "istio-system"]),
        ("kube-system", "kube-system", []),
    ],
)
def test_gke_gets_the_quota_exactly_where_ztunnel_or_istio_cni_run_outside_kube_system(
    tmp_path: Path, istio_namespace: str, cni_namespace: str | None, quota_namespaces: list[str]
) -> None:
    cni = f"  cni: {{cniDaemonsetNamespace: {cni_namespace}}}\n" if cni_namespace else ""
    profile, _ = variant(
        tmp_path,
        ("platform: aks", "platform: gke"),
        ("namespace: istio-system", f"namespace: {istio_namespace}"),
        (AMBIENT, AMBIENT + cni),
    )
    root = render_into(profile, tmp_path / "out")
    found = sorted(path.parent.name for path in root.glob("clusters/*/namespaces/*/resourcequota-gcp-critical-pods.yaml"))
    assert found == quota_namespaces


def test_a_cluster_without_ambient_gets_only_the_spm_agent_it_asks_for(tmp_path: Path) -> None:
    profile, _ = variant(
        tmp_path,
        (AMBIENT, "  ambient:\n    enabled: false\n  spmAgent:\n    enabled: true\n"),
        ("dataplane: ambient", "dataplane: sidecar"),
    )
    root = render_into(profile, tmp_path / "out")
    assert load(root, CONTROL_PLANE) == {"spec": {"components": {"spmAgent": {"enabled": True}}}}
    assert load(root, MANAGEMENT_PLANE) == {
        "spec": {"components": {"oap": {"spmAgentReceiverEnabled": True}, "gitops": {"enabled": True}}}
    }
    assert not list(root.glob("clusters/*/namespaces/istio-system"))


@pytest.mark.parametrize(
    "setting,key",
    [
        ("    edgeDnsResolution: true\n", "edgeDnsResolution"),
        ("    ztunnelRevision: r1\n", "ztunnelRevision"),
        ("    waypoints: {mode: explicit}\n", "waypoints"),
    ],
)
def test_ambient_settings_on_a_cluster_without_ambient_are_refused(tmp_path: Path, setting: str, key: str) -> None:
    path, text = variant(
        tmp_path,
        (AMBIENT, "  ambient:\n    enabled: false\n" + setting),
        ("dataplane: ambient", "dataplane: sidecar"),
    )
    problem = only(problems_of(path), "half-ambient")
    assert problem.path == ("clusters", 0, "ambient", key)
    assert_at(problem, path, text, f"{key}:")


def test_ambient_without_the_spm_agent_is_refused(tmp_path: Path) -> None:
    path, text = variant(tmp_path, (AMBIENT, AMBIENT + "  spmAgent:\n    enabled: false\n"))
    problem = only(problems_of(path), "spm-agent")
    assert problem.path == ("clusters", 0, "spmAgent", "enabled")
    assert_at(problem, path, text, "false")


def test_tsb_managed_waypoint_settings_render_cluster_and_namespace_levels(tmp_path: Path) -> None:
    waypoints = (
        "    ztunnelRevision: 1-24-3\n"
        "    waypoints:\n"
        "      revision: canary\n"
        "      disableLabelManagement: true\n"
        "      resources: {requests: {cpu: 100m}, limits: {memory: 1Gi}}\n"
        "      namespaces:\n"
        "      - name: caffeine\n"
        "        revision: stable\n"
        "      - labels: {team: batch}\n"
        "        enable: false\n"
    )
    profile, _ = variant(tmp_path, ("  platform: aks\n", "  platform: aks\n  baseValues: none\n"), (AMBIENT, AMBIENT + waypoints))
    ambient = load(render_into(profile, tmp_path / "out"), CONTROL_PLANE)["spec"]["components"]["istio"]["ambient"]
    assert ambient == {
        "enable": True,
        "ztunnelRevision": "1-24-3",
        "waypoints": {
            "clusterLevel": {
                "enable": True, "disableLabelManagement": True, "revision": "canary",
                "resources": {"requests": {"cpu": "100m"}, "limits": {"memory": "1Gi"}},
            },
            "namespaceLevel": [
                {"name": "caffeine", "config": {"revision": "stable"}},
                {"selector": {"labels": {"team": "batch"}}, "config": {"enable": False}},
            ],
        },
    }


@pytest.mark.parametrize("mode", ["explicit", "off"])
def test_explicit_or_no_waypoints_switch_tsbs_waypoints_off(tmp_path: Path, mode: str) -> None:
    profile, _ = variant(tmp_path, (AMBIENT, AMBIENT + f"    waypoints: {{mode: {mode}}}\n"))
    ambient = load(render_into(profile, tmp_path / "out"), CONTROL_PLANE)["spec"]["components"]["istio"]["ambient"]
    assert ambient["waypoints"] == {"clusterLevel": {"enable": False}}


def test_tsb_waypoint_settings_with_explicit_waypoints_are_refused(tmp_path: Path) -> None:
    path, text = variant(tmp_path, (AMBIENT, AMBIENT + "    waypoints:\n      mode: explicit\n      revision: r1\n"))
    problem = only(problems_of(path), "waypoint-mode")
    assert problem.path == ("clusters", 0, "ambient", "waypoints", "revision")
    assert_at(problem, path, text, "revision:")


def test_a_namespace_level_entry_needs_a_name_or_labels(tmp_path: Path) -> None:
    path, text = variant(
        tmp_path, (AMBIENT, AMBIENT + "    waypoints:\n      namespaces:\n      - name: caffeine\n        labels: {a: b}\n")
    )
    problem = only(problems_of(path), "waypoint-entry")
    assert problem.path == ("clusters", 0, "ambient", "waypoints", "namespaces", 0)
    assert_at(problem, path, text, "name: caffeine")


# --- live values (baseValues) ---------------------------------------------------------------

BASE = PROFILES / "values" / "gke-prod-west-0.yaml"
GKE_VALUES = "clusters/gke-prod-west-0/control-plane/controlplane-values.yaml"
SECRETS = ["x9y8z7", "example-elastic-password", "MIIBexample", "AQAB",
           "organizations/tetrate/clusters/gke-prod-west-0"]


@pytest.fixture(scope="module")
def multi_platform(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return render_into(PROFILES / "multi-platform.yaml", tmp_path_factory.mktemp("mp"))


def _body(text: str) -> list[str]:
    """A values file without gen's header comment."""
    lines = text.splitlines(keepends=True)
    if lines and lines[0].startswith("# Rendered by gen"):
        while lines and lines[0].startswith("#") and not lines[0].startswith("# Live values"):
            lines.pop(0)
    return lines


def test_merging_keeps_every_base_line_except_the_secrets(multi_platform: Path) -> None:
    base = BASE.read_text("utf-8").splitlines(keepends=True)
    merged = _body((multi_platform / GKE_VALUES).read_text("utf-8"))
    removed = [line[2:] for line in difflib.ndiff(base, merged) if line.startswith("- ")]
    # Only the secrets block went away (and the blank line after it), the CA certificate is public;
    # one value is spelled by gen's rules for every scalar, quoted as the templates quote it.
    start = base.index("secrets:\n")
    path = "          - path: spec.components.edgeServer.kubeSpec.deployment.env[-1]\n"
    assert removed == base[start : base.index("spec:\n")] + [path]
    ca_start = base.index("      centralProvidedCaCert: |\n")
    assert "".join(base[ca_start : ca_start + 4]) in "".join(merged)
    assert path.replace("path: ", 'path: "').replace("\n", '"\n') in merged
    # Comments and unrelated settings survive byte for byte, in order.
    for kept in ("    replicaCount: 1   # one operator per cluster\n",
                 "    # Edge overlays the platform team already runs; gen adds its DNS patch beside them.\n",
                 "      traceSamplingRate: 1   # percent of requests traced\n",
                 "      apiEndpointMetricsEnabled: true\n"):
        assert kept in merged


def test_the_merged_values_hold_the_overlay_and_the_existing_overlays(multi_platform: Path) -> None:
    values = load(multi_platform, GKE_VALUES)
    assert values["image"] == {"registry": "registry.example.internal/tetrate", "tag": "1.12.1"}
    assert "secrets" not in values
    components = values["spec"]["components"]
    (edge,) = components["xcp"]["kubeSpec"]["overlays"]
    assert [patch["value"]["name"] for patch in edge["patches"]] == ["EDGE_LOG_LEVEL", "ENABLE_DNS_RESOLUTION_AT_EDGE"]
    assert components["istio"]["traceSamplingRate"] == 1
    assert components["istio"]["ambient"]["enable"] is True
    assert components["istio"]["kubeSpec"]["CNI"]["binaryDirectory"] == "/home/kubernetes/bin"


def test_no_secret_reaches_the_output(multi_platform: Path) -> None:
    for name, data in tree(multi_platform).items():
        for secret in SECRETS:
            assert secret.encode() not in data, f"{secret!r} leaked into {name}"


def test_each_removed_secret_is_a_warning_at_its_line(tmp_path: Path) -> None:
    warnings = [p for p in warnings_of(PROFILES / "multi-platform.yaml") if p.rule == "secret-removed"]
    base_lines = BASE.read_text("utf-8").splitlines()
    assert [w.message.split("'")[1] for w in warnings] == [
        "secrets.clusterServiceAccount.clusterFQN",
        "secrets.clusterServiceAccount.JWK",
        "secrets.elasticsearch.username",
        "secrets.elasticsearch.password",
        "secrets.tsb.cacert",
    ]
    for warning in warnings:
        assert warning.location is not None and warning.location.file == str(BASE)
        key = warning.message.split("'")[1].rsplit(".", 1)[1]
        assert base_lines[warning.location.line - 1].strip().startswith(f"{key}:")


def test_merging_twice_is_merging_once(multi_platform: Path, tmp_path: Path) -> None:
    """The rendered values, used as the base again, render to the same bytes."""
    (tmp_path / "values").mkdir()
    (tmp_path / "values" / "gke-prod-west-0.yaml").write_bytes((multi_platform / GKE_VALUES).read_bytes())
    write_profile(tmp_path, (PROFILES / "multi-platform.yaml").read_text("utf-8"), "multi-platform.yaml")
    again = render_into(tmp_path / "multi-platform.yaml", tmp_path / "out")
    assert (again / GKE_VALUES).read_text("utf-8") == (multi_platform / GKE_VALUES).read_text("utf-8")


@pytest.mark.parametrize(
    "key,value",
    [
        ("token", "abc123"),
        ("clientSecret", "hunter2"),
        ("signingKey", "sign-with-this"),
        ("note", "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl"),
        ("bundle", "-----BEGIN PRIVATE KEY-----\\nabc\\n-----END PRIVATE KEY-----"),
        ("jwks", '{"keys": [{"kty": "EC", "x": "xcoordinate", "y": "ycoordinate"}]}'),
    ],
)
def test_key_material_anywhere_is_removed(tmp_path: Path, key: str, value: str) -> None:
    quoted = '"' + value.replace('"', '\\"') + '"'
    (tmp_path / "live.yaml").write_text(f"spec:\n  components:\n    gitops:\n      {key}: {quoted}\n      enabled: true\n")
    profile, _ = variant(tmp_path, (AMBIENT, AMBIENT + "  baseValues: live.yaml\n"))
    root = render_into(profile, tmp_path / "out")
    assert load(root, CONTROL_PLANE)["spec"]["components"]["gitops"] == {"enabled": True}
    written = b"".join(tree(root).values())
    assert value.split("\\n")[0].encode() not in written
    assert b"xcoordinate" not in written and b"abc123" not in written and b"hunter2" not in written


def test_a_missing_base_values_file_is_located_in_the_profile(tmp_path: Path) -> None:
    path, text = variant(tmp_path, (AMBIENT, AMBIENT + "  baseValues: nowhere.yaml\n"))
    problem = only(problems_of(path), "base-values")
    assert "does not exist" in problem.message
    assert_at(problem, path, text, "nowhere.yaml")


def test_a_management_plane_base_is_merged_too(tmp_path: Path) -> None:
    (tmp_path / "mp.yaml").write_text("# live MP values\nspec:\n  hub: example.org/tsb\n  components:\n    oap:\n      replicas: 2\n")
    profile, _ = variant(tmp_path, ("  cluster: tsb-mp\n", "  cluster: tsb-mp\n  baseValues: mp.yaml\n"))
    text = (render_into(profile, tmp_path / "out") / MANAGEMENT_PLANE).read_text("utf-8")
    assert text.endswith("# live MP values\nspec:\n  hub: example.org/tsb\n  components:\n    oap:\n      replicas: 2\n"
                         "      spmAgentReceiverEnabled: true\n    gitops:\n      enabled: true\n")


# --- version gates and names -----------------------------------------------------------------

def test_canonical_names_need_tsb_1_13(tmp_path: Path) -> None:
    path, text = variant(tmp_path, ("gitopsNamespace: tsb-gitops", "gitopsNamespace: tsb-gitops\n  canonicalNames: true"))
    problem = only(problems_of(path), "version")
    assert problem.path == ("tsb", "canonicalNames")
    assert "TSB 1.13.0" in problem.message
    assert_at(problem, path, text, "true", occurrence=1)


def test_canonical_names_on_tsb_1_13_are_a_preview_warning(tmp_path: Path) -> None:
    path, _ = variant(
        tmp_path,
        ('version: "1.12.1"', 'version: "1.13.0"'),
        ("gitopsNamespace: tsb-gitops", "gitopsNamespace: tsb-gitops\n  canonicalNames: true"),
    )
    (warning,) = warnings_of(path)
    assert warning.rule == "preview" and "preview" in warning.message


@pytest.mark.parametrize(
    "revision,message",
    [("Canary", "'Canary' is not a revision"), ("r" * 57, "is not a revision"), ("-r1", "'-r1' is not a revision")],
)
def test_revision_names_are_checked(tmp_path: Path, revision: str, message: str) -> None:
    path, text = variant(tmp_path, (AMBIENT, AMBIENT + f"    ztunnelRevision: {revision}\n"))
    problem = only(problems_of(path), "revision")
    assert message in problem.message
    assert problem.path == ("clusters", 0, "ambient", "ztunnelRevision")
    assert_at(problem, path, text, revision)
    assert "56" in problem.hint


def test_an_invalid_profile_exits_2_with_the_located_message(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from generator import commands

    path, text = variant(tmp_path, (AMBIENT, AMBIENT + "    ztunnelRevision: Canary\n"))
    result = CliRunner().invoke(commands.app, ["render", str(path), "--out", str(tmp_path / "out")])
    line, column = text.splitlines().index("    ztunnelRevision: Canary") + 1, 22
    assert result.exit_code == 2
    assert f"{path}:{line}:{column}: error: clusters[0].ambient.ztunnelRevision: 'Canary' is not a revision" in result.stderr


def test_a_live_overlay_item_of_an_odd_shape_is_refused_not_a_crash(tmp_path: Path) -> None:
    """Found by the fuzzer: a list where the live overlay's apiVersion belongs made the merge's
    identity unhashable (exit 3). Any shape is an identity now; the merged file's schema refuses it."""
    text = (PROFILES / "values" / "gke-prod-west-0.yaml").read_text("utf-8")
    odd = text.replace("apiVersion: install.xcp.tetrate.io/v1alpha1", "apiVersion: []", 1)
    assert odd != text
    shutil.copytree(PROFILES, tmp_path / "profiles")
    (tmp_path / "profiles" / "values" / "gke-prod-west-0.yaml").write_text(odd, "utf-8")
    outcome = render_tree(tmp_path / "profiles" / "multi-platform.yaml", tmp_path / "out")
    assert outcome.status is Status.INVALID and not (tmp_path / "out").exists()
    (problem,) = [p for p in outcome.problems if p.is_error]
    assert problem.rule == "output-schema" and "overlays[0].apiVersion: [] is not of type" in problem.message
