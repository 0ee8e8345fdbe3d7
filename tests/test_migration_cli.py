"""`gen plan` and `gen render --phase` on the command line: the migration tree is written like
every tree (ledger, --check, --diff, edits kept), lives inside the render's tree untouched by it,
and a revisioned cluster's injection label is what the phases move away from."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import PROFILES, REPO
from generator import commands
from generator.pipeline import render_profile
from helpers import CAFFEINE, tree, write_profile
from test_migration_seed import apply_label_commands, namespace_labels, step_section

BROWNFIELD = PROFILES / "brownfield.yaml"
runner = CliRunner()


def invoke(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(commands.app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_plan_writes_once_checks_and_keeps_edits(tmp_path: Path) -> None:
    code, stdout, stderr = invoke("plan", str(BROWNFIELD), "--out", str(tmp_path))
    assert code == 0, stderr
    root = tmp_path / "brownfield" / "migration"
    assert "01-client        to ambient: cp-cluster-1/client" in stdout
    assert "every phase passes the" in stdout and "9 workspace pairs" in stdout
    assert (root / ".gen" / "manifest.json").is_file()
    assert invoke("plan", str(BROWNFIELD), "--out", str(tmp_path))[1].count("0 written") == 1
    assert invoke("plan", str(BROWNFIELD), "--out", str(tmp_path), "--check")[0] == 0
    document = root / "02-httpbin" / "PHASE.md"
    document.write_text(document.read_text() + "my note\n")
    code, stdout, _ = invoke("plan", str(BROWNFIELD), "--out", str(tmp_path), "--diff")
    assert code == 1 and "edited   02-httpbin/PHASE.md" in stdout and "-my note" in stdout
    code, _, stderr = invoke("plan", str(BROWNFIELD), "--out", str(tmp_path))
    assert code == 0 and "was edited by hand" in stderr and document.read_text().endswith("my note\n")


def test_render_and_plan_share_the_folder_without_touching_each_other(tmp_path: Path) -> None:
    assert invoke("plan", str(BROWNFIELD), "--out", str(tmp_path))[0] == 0
    planned = tree(tmp_path / "brownfield" / "migration")
    code, _, stderr = invoke("render", str(BROWNFIELD), "--out", str(tmp_path), "--phase", "1")
    assert code == 0 and "foreign-file" not in stderr and "not written by gen" not in stderr
    assert invoke("render", str(BROWNFIELD), "--out", str(tmp_path), "--phase", "1", "--check")[0] == 0
    code, stdout, _ = invoke("render", str(BROWNFIELD), "--out", str(tmp_path), "--check")
    # Without --phase the tree is where `migration.at` says the estate stands: the baseline.
    assert code == 1 and "namespace-client.yaml" in stdout and "namespace-httpbin.yaml" not in stdout
    assert invoke("render", str(BROWNFIELD), "--out", str(tmp_path))[0] == 0
    assert tree(tmp_path / "brownfield" / "migration") == planned
    # A file someone else put in the render's tree is still reported.
    (tmp_path / "brownfield" / "notes.txt").write_text("mine")
    assert "notes.txt: warning: was not written by gen" in invoke("render", str(BROWNFIELD), "--out", str(tmp_path))[2]


def test_plan_refuses_a_profile_without_phases_or_with_a_broken_phase(tmp_path: Path) -> None:
    code, _, stderr = invoke("plan", str(PROFILES / "caffeine.yaml"), "--out", str(tmp_path))
    assert code == 2 and "caffeine.yaml:1:1: error: (profile): the profile has no `migration:`" in stderr
    broken = write_profile(tmp_path, BROWNFIELD.read_text().replace("namespaces: [client]", "namespaces: [clients]"))
    code, _, stderr = invoke("plan", str(broken), "--out", str(tmp_path / "out"))
    assert code == 2 and "namespace 'clients' is not declared" in stderr and "Traceback" not in stderr
    assert not (tmp_path / "out").exists()
    code, _, stderr = invoke("render", str(BROWNFIELD), "--out", str(tmp_path / "out"), "--phase", "9")
    assert code == 2 and "brownfield.yaml:87:3: error: migration.phases: --phase 9: the migration has no such phase" in stderr
    assert "hint: write one of: baseline, client, httpbin, bookinfo" in stderr
    assert not (tmp_path / "out").exists()


def test_the_final_state_is_the_profile_with_every_phase_applied(tmp_path: Path) -> None:
    text = BROWNFIELD.read_text()
    done = text[: text.index("\nmigration:")].replace("dataplane: sidecar", "dataplane: ambient") + "\n"
    after = render_profile(write_profile(tmp_path, done, "brownfield.yaml"))
    final = render_profile(BROWNFIELD, phase="bookinfo")
    # Every file but the README, which tells the migration (where it stands) that the other has not.
    assert [(f.path, f.text) for f in after.files if f.path != "README.md"] == \
        [(f.path, f.text) for f in final.files if f.path != "README.md"]


def test_a_revisioned_cluster_labels_sidecars_with_its_revision_and_the_phase_removes_it(tmp_path: Path) -> None:
    profile = write_profile(
        tmp_path, BROWNFIELD.read_text().replace('    version: "1.24.3"\n', '    version: "1.24.3"\n    revision: 1-24-3\n')
    )
    assert invoke("plan", str(profile), "--out", str(tmp_path))[0] == 0
    root = tmp_path / "brownfield" / "migration"
    before, after = namespace_labels(root / "00-baseline"), namespace_labels(root / "01-client")
    assert before["client"] == {"istio.io/rev": "1-24-3"} and after["client"] == {"istio.io/dataplane-mode": "ambient"}
    text = (root / "01-client" / "PHASE.md").read_text()
    assert "\nkubectl label --overwrite namespace client istio.io/rev- istio.io/dataplane-mode=ambient\n" in text
    assert apply_label_commands(before, step_section(text, "move")) == after


def test_a_revision_that_is_not_a_revision_name_is_located(tmp_path: Path) -> None:
    profile = write_profile(tmp_path, CAFFEINE.replace('    version: "1.24.3"\n', '    version: "1.24.3"\n    revision: "1.24"\n', 1))
    code, _, stderr = invoke("render", str(profile), "--out", str(tmp_path))
    assert code == 2 and "clusters[0].istio.revision: '1.24' is not a revision name" in stderr


def test_the_readme_shows_what_a_phase_that_breaks_a_check_prints(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    readme = (REPO / "README.md").read_text("utf-8")
    block = readme[readme.index("\nlegacy.yaml:") + 1 :].split("\n```", 1)[0]
    text = BROWNFIELD.read_text().replace(
        "clusters:\n- name: cp-cluster-1\n", 'clusters:\n- name: legacy\n  platform: generic\n  istio: {version: "1.22.0"}\n'
        "- name: cp-cluster-1\n", 1,
    ).replace("- name: client\n  clusters: [cp-cluster-1]", "- name: client\n  clusters: [cp-cluster-1, legacy]", 1)
    write_profile(tmp_path, text, "legacy.yaml")
    monkeypatch.chdir(tmp_path)
    code, _, stderr = invoke("render", "legacy.yaml", "--out", "out")
    assert code == 2 and stderr == block + "\n"
    fixed = write_profile(tmp_path, text.replace("namespaces: [client]", "namespaces: [cp-cluster-1/client]"), "fixed.yaml")
    assert invoke("render", str(fixed), "--out", "out")[0] == 0
