"""The no-change path: unchanged inputs on an untouched tree skip every stage and write nothing;
any change of the profile, a file it names, gen itself or the tree takes the full path."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import PROFILES
from generator import commands
from generator import pipeline as pipeline_module
from helpers import render_into, rendered_estate, run_command, tree, write_profile

runner = CliRunner()


def _no_render(*_: object) -> None:
    raise AssertionError("the profile was rendered, though nothing it depends on changed")


@pytest.fixture
def estate(tmp_path: Path) -> tuple[Path, Path]:
    return rendered_estate(tmp_path)


def test_an_unchanged_estate_renders_nothing_and_writes_nothing(
    estate: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    profile, out = estate
    before = {path: path.stat().st_mtime_ns for path in out.rglob("*") if path.is_file()}
    monkeypatch.setattr(pipeline_module, "render_profile", _no_render)
    for args in ([], ["--check"]):
        result = runner.invoke(commands.app, ["render", str(profile), "--out", str(out), *args])
        assert result.exit_code == 0, result.output
    assert "inputs unchanged" in runner.invoke(commands.app, ["render", str(profile), "--out", str(out)]).stdout
    assert {path: path.stat().st_mtime_ns for path in out.rglob("*") if path.is_file()} == before


def test_the_no_change_path_repeats_the_warnings(estate: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    profile, out = estate
    monkeypatch.setattr(pipeline_module, "render_profile", _no_render)
    result = runner.invoke(commands.app, ["render", str(profile), "--out", str(out)])
    assert "warning: clusters[0].baseValues: removed secret value 'secrets.elasticsearch.password'" in result.stderr


@pytest.mark.parametrize("change", ["profile", "base values", "tree"])
def test_a_change_anywhere_takes_the_full_path(estate: tuple[Path, Path], change: str) -> None:
    profile, out = estate
    root = out / "multi-platform"
    before = tree(root)
    if change == "profile":
        profile.write_text(profile.read_text().replace("ztunnelRevision: \"1-24-3\"", "ztunnelRevision: \"1-24-4\""))
    elif change == "base values":
        values = profile.parent / "values" / "gke-prod-west-0.yaml"
        values.write_text(values.read_text().replace("replicaCount: 1", "replicaCount: 2"))
    else:
        edited = root / "clusters/eks-prod-east-0/namespaces/payments/namespace-payments.yaml"
        edited.write_text(edited.read_text() + "# edited\n")
    result = runner.invoke(commands.app, ["render", str(profile), "--out", str(out), "--check"])
    assert result.exit_code == 1, result.output
    changed = "edited   " if change == "tree" else "changed  "
    assert changed + "clusters/" in result.stdout
    if change != "tree":
        assert runner.invoke(commands.app, ["render", str(profile), "--out", str(out)]).exit_code == 0
        assert tree(root) != before


def test_a_file_added_to_a_policy_folder_takes_the_full_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(PROFILES / "policies", tmp_path / "policies")
    profile = write_profile(tmp_path, (PROFILES / "waypoints.yaml").read_text(), "waypoints.yaml")
    render_into(profile, tmp_path / "out")
    calls = {"n": 0}
    real = pipeline_module.render_profile

    def counting(*args: object, **kwargs: object) -> object:
        calls["n"] += 1
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline_module, "render_profile", counting)
    assert runner.invoke(commands.app, ["render", str(profile), "--out", str(tmp_path / "out"), "--check"]).exit_code == 0
    assert calls["n"] == 0, "nothing changed: nothing is rendered"
    (tmp_path / "policies" / "bookinfo" / "zz-notes.yaml").write_text("# nothing yet\n")
    runner.invoke(commands.app, ["render", str(profile), "--out", str(tmp_path / "out"), "--check"])
    assert calls["n"] == 1, "a new file in a policy folder is a changed input"


def test_after_a_one_namespace_change_only_that_namespace_is_rendered(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Outputs whose cache key and file are the ledger's are read back, not rendered again."""
    from generator.output import batch

    extra = "- name: extra\n  clusters: [app-blk-east-0]\n  dataplane: ambient\n  apps: [sleep]\n"
    base = (PROFILES / "caffeine.yaml").read_text().replace("  apps: [caffeine]\n", "  apps: [caffeine]\n" + extra, 1)
    profile = write_profile(tmp_path, base, "caffeine.yaml")
    root = render_into(profile, tmp_path / "out")
    rendered: list[str] = []
    real = batch.render_output

    def counting(environment: object, output: object, *args: object) -> object:
        rendered.append(output.path)  # type: ignore[attr-defined]
        return real(environment, output, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(batch, "render_output", counting)
    profile.write_text(base.replace("  apps: [sleep]\n", "  apps: [httpbin]\n"))
    before = {p: p.stat().st_mtime_ns for p in (root / "clusters/app-blk-east-0/namespaces/caffeine").iterdir()}
    render_into(profile, tmp_path / "out")
    # The namespace's files, and the estate's README and the cluster's verify script, which describe it.
    estate_files = {"README.md", "clusters/app-blk-east-0/verify.sh"}
    assert rendered and all(path.startswith("clusters/app-blk-east-0/namespaces/extra/") or path in estate_files
                            for path in rendered), rendered
    assert {p: p.stat().st_mtime_ns for p in (root / "clusters/app-blk-east-0/namespaces/caffeine").iterdir()} == before
    fresh = render_into(profile, tmp_path / "fresh")
    assert tree(root) == tree(fresh), "reading back gives the bytes a full render gives"


def test_a_file_read_back_is_held_as_its_shape_and_values(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Where many namespaces run one app, their objects have shapes: on a re-render, a file read
    back from the tree is held as its shape's form and values (compared with its text), not as its
    text; only files rendered on their own keep their text. The tree is what a full render writes."""
    import sys

    from conftest import REPO
    from generator.output import batch

    sys.path.insert(0, str(REPO / "bench"))
    from estate import estate  # bench/estate.py: namespaces over four clusters, each with the caffeine app

    text = estate(12)
    profile = write_profile(tmp_path, text, "estate.yaml")
    root = render_into(profile, tmp_path / "out")
    made: list[batch.Rendered] = []
    real = batch.render_all

    def outputs(*args: object, **kwargs: object) -> batch.Rendered:
        made.append(real(*args, **kwargs))  # type: ignore[arg-type]
        return made[-1]

    monkeypatch.setattr(pipeline_module, "render_all", outputs)
    from generator.output import write

    hashed: list[int] = []
    real_sha256 = write.sha256

    def sha256(data: bytes = b"") -> object:
        hashed.append(len(data))
        return real_sha256(data)

    monkeypatch.setattr(write, "sha256", sha256)
    first = text[text.index("- name: ns-0\n"):text.index("- name: ns-1\n")]
    profile.write_text(text.replace(first, first.replace("caffeine", "sleep")))
    render_into(profile, tmp_path / "out")
    (rendered,) = made
    read_back = [file for file in rendered.files if file.on_disk]
    # the new ledger takes a file read back at the hash the cache proved: only the others are hashed
    assert len(hashed) == len(rendered.files) - len(read_back)
    held = {file.path for file in read_back if file.derived is not None}
    assert len(read_back) > len(rendered.files) // 2 and len(held) > len(read_back) // 2, (len(read_back), len(held))
    # in a namespace's folder, a file read back keeps its text only where it is the first of its shape
    # (the shape is built from the second) or its kustomization (which names the namespace's own file)
    from generator.output.shapes import key_of
    from generator.pipeline import check_profile

    _, plan, _ = check_profile(profile)
    assert plan is not None
    shape_of = {output.path: key_of(output) for output in plan.outputs}
    met: set[str] = set()
    for file in rendered.files:
        keyed = shape_of[file.path]
        if file.on_disk and "/namespaces/" in file.path and not file.path.endswith("/kustomization.yaml"):
            assert keyed is not None and (file.path in held) == (keyed[0] in met), file.path
        if keyed is not None:
            met.add(keyed[0])
    assert all(file.text == (root / file.path).read_text() for file in read_back)
    assert tree(root) == tree(render_into(profile, tmp_path / "fresh"))


def test_a_hand_edited_file_is_never_read_back_as_rendered(tmp_path: Path) -> None:
    profile = write_profile(tmp_path, (PROFILES / "caffeine.yaml").read_text(), "caffeine.yaml")
    root = render_into(profile, tmp_path / "out")
    edited = root / "clusters/app-blk-east-0/namespaces/caffeine/service-barista.yaml"
    edited.write_text(edited.read_text().replace("port: 8000", "port: 9000"))
    profile.write_text(profile.read_text().replace("organization: tetrate", "organization: acme"))
    result = runner.invoke(commands.app, ["render", str(profile), "--out", str(tmp_path / "out"), "--check"])
    assert result.exit_code == 1
    assert "edited   clusters/app-blk-east-0/namespaces/caffeine/service-barista.yaml" in result.stdout


def test_a_changed_render_reads_the_trees_ledger_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The no-change probe reads the ledger; the render cache and the change set use that reading."""
    from generator import unchanged
    from generator.tree import render_tree

    profile = write_profile(tmp_path, (PROFILES / "caffeine.yaml").read_text(), "caffeine.yaml")
    out = tmp_path / "out"
    render_tree(profile, out)
    profile.write_text(profile.read_text().replace("apps: [caffeine]", "apps: [sleep]", 1))
    reads: list[Path] = []
    real = unchanged.read_ledger

    def counting(root: Path, *args: object) -> object:
        reads.append(root)
        return real(root, *args)

    monkeypatch.setattr(unchanged, "read_ledger", counting)
    monkeypatch.setattr(pipeline_module, "read_ledger", counting)
    outcome = render_tree(profile, out)
    assert "written" in outcome.summary and "0 written" not in outcome.summary
    assert reads == [out / "caffeine"]


@pytest.mark.parametrize("which", ["first", "last"])
def test_a_large_tree_hashed_by_two_processes_still_finds_one_changed_file(
    estate: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, which: str
) -> None:
    # From FORK_FROM files a forked child walks the tree and hashes the second half of its files: a
    # change in either half takes the full path, and an untouched tree still needs none.
    from generator import unchanged

    profile, out = estate
    monkeypatch.setattr(unchanged, "FORK_FROM", 2)
    started = _counting_probes(monkeypatch)
    assert unchanged.unchanged_tree(profile, out) is not None
    ledger = next(out.glob("*/.gen/manifest.json"))
    files = sorted(json.loads(ledger.read_text())["files"])
    edited = ledger.parents[1] / (files[0] if which == "first" else files[-1])
    edited.write_bytes(edited.read_bytes().replace(b"\n", b"\n ", 1)[:-1] + b"\n")
    assert unchanged.unchanged_tree(profile, out) is None
    assert len(started) == 2


def test_without_a_process_to_spare_the_no_change_path_hashes_alone(
    estate: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    # os.fork failing (a pids limit: EAGAIN) is no internal error: this process hashes every file,
    # and leaves no descriptor open.
    import os

    from generator import unchanged

    profile, out = estate
    monkeypatch.setattr(unchanged, "FORK_FROM", 2)

    def no_fork() -> int:
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", no_fork)
    before = len(os.listdir("/proc/self/fd")) if os.path.isdir("/proc/self/fd") else None
    assert unchanged.unchanged_tree(profile, out) is not None
    if before is not None:
        assert len(os.listdir("/proc/self/fd")) == before
    ledger = next(out.glob("*/.gen/manifest.json"))
    edited = ledger.parents[1] / sorted(json.loads(ledger.read_text())["files"])[-1]
    edited.write_bytes(edited.read_bytes() + b"# edited\n")
    assert unchanged.unchanged_tree(profile, out) is None


def _counting_probes(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """The probes the no-change path starts, from now on."""
    from generator import unchanged

    started: list[object] = []
    real = unchanged.Probe.start

    def start(root: str, *args: object) -> object:
        probe = real(root, *args)  # type: ignore[arg-type]
        started.append(probe)
        return probe

    monkeypatch.setattr(unchanged.Probe, "start", staticmethod(start))
    return started


def test_a_hostile_ledger_leads_no_read_through_a_link_before_the_probe_has_walked(
    estate: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    # This process hashes its half only once the child's walk has found exactly the ledger's files:
    # a ledger naming a file behind a symbolic link (here to /dev, whose zero never ends) is never
    # read, and the answer is the full path's.
    import os

    from generator import unchanged

    profile, out = estate
    monkeypatch.setattr(unchanged, "FORK_FROM", 2)
    started = _counting_probes(monkeypatch)
    ledger_file = next(out.glob("*/.gen/manifest.json"))
    root = ledger_file.parents[1]
    os.symlink("/dev", root / "devices")
    body = json.loads(ledger_file.read_text())
    body["files"] = {"devices/zero": "0" * 64, **body["files"]}
    ledger_file.write_text(json.dumps(body, indent=2, sort_keys=True) + "\n")
    hashed: list[str] = []
    real = unchanged.check

    def recording(base: str, names: list[str], *args: object) -> object:
        hashed.extend(names)
        return real(base, names, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(unchanged, "check", recording)
    assert unchanged.unchanged_tree(profile, out) is None
    assert len(started) == 1 and started[0] is not None
    assert hashed == []


def test_a_probe_that_dies_leaves_the_answer_to_the_full_path(
    estate: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The child saying nothing (killed, out of memory) is no internal error and no "unchanged":
    # the full path decides; no descriptor is left open and the child is reaped.
    import os

    from generator import unchanged, unchanged_probe

    profile, out = estate
    monkeypatch.setattr(unchanged, "FORK_FROM", 2)
    started = _counting_probes(monkeypatch)
    monkeypatch.setattr(unchanged_probe, "_probe", lambda root, writer: None)
    before = len(os.listdir("/proc/self/fd")) if os.path.isdir("/proc/self/fd") else None
    assert unchanged.unchanged_tree(profile, out) is None
    assert len(started) == 1 and started[0] is not None
    if before is not None:
        assert len(os.listdir("/proc/self/fd")) == before
    with pytest.raises(ChildProcessError):  # reaped already
        os.waitpid(started[0].child, os.WNOHANG)  # type: ignore[attr-defined]


def test_the_fingerprint_reads_the_versions_python_imports(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The libraries' versions come from dist-info folder names, as importlib.metadata would give
    # them; metadata of another kind found first along sys.path (an egg-info shadowing the
    # dist-info) is importlib.metadata's to read, so that upgrading what Python imports changes
    # the fingerprint.
    import sys
    from importlib.metadata import version

    from generator.output.fingerprint import SHAPING, installed_versions

    assert installed_versions(SHAPING) == {name: version(name) for name in SHAPING}
    egg = tmp_path / "PyYAML-7.0-py3.11.egg-info"
    egg.mkdir()
    (egg / "PKG-INFO").write_text("Metadata-Version: 1.1\nName: PyYAML\nVersion: 7.0\n")
    monkeypatch.setattr(sys, "path", [str(tmp_path), *sys.path])
    assert installed_versions(("pyyaml", "jinja2")) == {"pyyaml": "7.0", "jinja2": version("jinja2")}


_IMPORTED = """
import sys
from generator.cli import main
sys.argv = ["gen", "render", sys.argv[1], "--out", sys.argv[2]]
try:
    main()
finally:
    print("imported:", *sorted(name for name in ("dataclasses", "inspect", "typing", "typer", "jinja2",
                                                 "generator.problems", "generator.pipeline") if name in sys.modules))
"""


def test_the_no_change_path_imports_no_dataclasses_problems_or_typing(tmp_path: Path) -> None:
    """What a no-change run costs is mostly what it imports: `dataclasses` (with `inspect`) would be
    a tenth of it, so its records are plain ones (generator/record.py), and it loads the problems
    module only for a tree whose render warned. A full render loads them all."""
    profile = write_profile(tmp_path, (PROFILES / "caffeine.yaml").read_text(), "caffeine.yaml")
    out = tmp_path / "out"
    command = [sys.executable, "-c", _IMPORTED, str(profile), str(out)]
    first = run_command(command, tmp_path)
    assert first.returncode == 0 and "(0 written" not in first.stdout, first.stderr
    assert "generator.pipeline" in first.stdout.split("imported:")[1]
    again = run_command(command, tmp_path)
    assert again.returncode == 0 and "inputs unchanged" in again.stdout, again.stderr
    assert again.stdout.split("imported:")[1].split() == []
