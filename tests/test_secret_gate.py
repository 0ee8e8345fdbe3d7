"""The last gate: every rendered file is judged before anything is written, so that a secret no
earlier stage caught still stops the render, at the input line it came from, naming the output
file and line."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from generator import commands
from generator import pipeline as pipeline_module
from generator.output.batch import render_all
from generator.output.render import RenderedFile
from generator.pipeline import render_profile
from generator.problems import Problem, ProfileError
from generator.secrets import gate as gate_module
from generator.secrets.gate import scan
from secret_corpus import CORPUS, block, line_of
from test_errors import only
from test_secret_profile import PLANTED, with_annotations


def without_profile_check(monkeypatch: pytest.MonkeyPatch) -> None:
    """As if the profile check had missed everything: only the gate stands between them and Git."""
    monkeypatch.setattr(pipeline_module, "profile_secrets", lambda data: ([], ()))


def test_the_gate_stops_every_planted_secret_at_its_source_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    without_profile_check(monkeypatch)
    path, text = with_annotations(tmp_path, PLANTED)
    out = tmp_path / "out"
    result = CliRunner().invoke(commands.app, ["render", str(path), "--out", str(out)])
    assert result.exit_code == 2 and not out.exists() and "Traceback" not in result.output
    with pytest.raises(ProfileError) as raised:
        render_profile(path)
    gate = [p for p in raised.value.problems if p.rule == "secret-in-output"]
    # One error per planted secret (its every output line listed once), at the lines that plant it.
    starts = [line_of(text, f"{key}:") for key in PLANTED] + [text.count("\n") + 1]
    reported = [p.location.line for p in gate if p.location]
    assert len(reported) == len(gate)
    for start, end in zip(starts, starts[1:]):
        assert any(start <= line < end for line in reported), f"nothing reported at lines {start}-{end - 1}"
    for problem in gate:
        output = problem.message.split(" ", 1)[0].rstrip(",")
        assert output.startswith("caffeine/clusters/app-blk-east-0/namespaces/caffeine/") and output.rsplit(":", 1)[1].isdigit()
        assert "more output lines" in problem.message  # the same annotation is on every object of the app


def test_the_gate_finds_a_secret_in_files_derived_from_their_shape(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """A derived file's text is held as its shape and values (output/derived.py) and the gate reads a
    shape's lines once: it must still find each secret on every line of every file that holds it."""
    without_profile_check(monkeypatch)
    path, _ = with_annotations(tmp_path, PLANTED)
    _, planned, _ = pipeline_module.check_profile(path)
    assert planned is not None
    shaped = render_all(planned, shapes=True)
    alone = render_all(planned, shapes=False)
    assert shaped.derived > 0 and any(file.derived is not None for file in shaped.files)
    hits = scan(shaped.files)
    derived_paths = {file.path for file in shaped.files if file.derived is not None}
    assert hits == scan(alone.files) and {hit.path for hit in hits} & derived_paths
    # Judged a few files at a time (a shape's lines only in the chunk that first meets it), the
    # same hits: every line of every file.
    monkeypatch.setattr(gate_module, "CHUNK", 3)
    assert len(shaped.files) > 3 * 3 and scan(shaped.files) == hits == scan(alone.files)


def test_a_large_file_is_judged_whole_and_every_secret_in_it_is_found(monkeypatch: pytest.MonkeyPatch) -> None:
    """A file of ALONE characters or more (an estate's README) is judged on its own, its lines never
    pooled: the same hits, at the same lines, as when it is judged with the rest."""
    secrets = [line for value in CORPUS.values() for line in value.split("\n") if line.strip()]
    lines = [f"- namespace ns-{index:04d} runs app {index % 7}" for index in range(4000)]
    for number, secret in enumerate(secrets):  # spread through the file, one at its very end
        lines.insert(len(lines) * (number + 1) // len(secrets), secret)
    big = RenderedFile("README.md", "\n".join(lines))
    small = RenderedFile("notes.md", "a line\n" + secrets[0] + "\n")
    assert len(big.text) >= gate_module.ALONE
    hits = scan([small, big])
    assert {hit.path for hit in hits} == {"README.md", "notes.md"}
    found = [big.text.split("\n")[hit.line - 1] for hit in hits if hit.path == "README.md"]
    assert len(found) > 3 and set(found) <= set(secrets)
    monkeypatch.setattr(gate_module, "ALONE", 1 << 40)  # pooled with the other files' lines, as before
    assert scan([small, big]) == hits


def test_the_gate_reads_values_files_whole(tmp_path: Path) -> None:
    """A kubeconfig with a plain token, as a block scalar: no line of it looks secret alone."""
    kubeconfig = CORPUS["kubeconfig_static_token"]
    values = RenderedFile("clusters/x/control-plane/controlplane-values.yaml", f"spec:\n  kubeconfig: {block(kubeconfig, 4)}\n")
    assert scan([values]) == []  # line by line: nothing
    (hit,) = scan([values], whole={values.path})
    assert hit.line == line_of(values.text, "token: ") and "token" in hit.finding.kind


def test_the_gate_lets_certificates_pass_and_stops_keys(tmp_path: Path) -> None:
    cert, key = CORPUS["ca_certificate"], CORPUS["pem_private_key"]
    text = f"data:\n  ca.crt: {block(cert, 4)}\n  tls.key: {block(key, 4)}\n"
    hits = scan([RenderedFile("secret.yaml", text)])
    assert [(hit.line, hit.finding.kind) for hit in hits] == [(line_of(text, key), "Private Key")]


def test_the_gate_runs_before_gen_plan_writes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from conftest import PROFILES
    from generator.migration.tree import plan_tree
    from generator.tree import Status

    without_profile_check(monkeypatch)
    text = (PROFILES / "brownfield.yaml").read_text("utf-8")
    assert "  apps: [sleep]\n" in text
    path = tmp_path / "brownfield.yaml"
    path.write_text(text.replace("  apps: [sleep]\n", f"  apps:\n  - name: sleep\n    labels: {{leak: {CORPUS['github_token']}}}\n", 1))
    outcome = plan_tree(path, tmp_path / "out")
    assert outcome.status is Status.INVALID and not (tmp_path / "out").exists()
    problem: Problem = only(outcome.problems, "secret-in-output")
    assert problem.location is not None and problem.location.line == line_of(path.read_text(), "leak:")
