"""Seed 004's brownfield move to ambient, phase by phase (profiles/brownfield.yaml): the labels of
every namespace at every phase, the commands of each PHASE.md (applied to the labels as data), the
calls the seed makes with the outcomes it shows, and `gen render --phase N` against the plan."""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import Any

import pytest
from ruamel.yaml import YAML
from typer.testing import CliRunner

from conftest import FIXTURES, PROFILES
from generator import commands
from helpers import plan_into, tree

BROWNFIELD = PROFILES / "brownfield.yaml"
SEED = YAML(typ="safe").load((FIXTURES / "seeds" / "seed004-scenarios.yaml").read_text("utf-8"))
SEED_PHASES: list[dict[str, Any]] = SEED["brownfield"]["phases"]
SEED_LABELS = {ns["name"]: ns["labels"] for ns in SEED["brownfield"]["namespaces"]}
CLUSTER = SEED["cluster"]
FOLDERS = ["00-baseline", *(f"{phase['order']:02d}-{phase['namespace']}" for phase in SEED_PHASES)]
DATAPLANE = "istio.io/dataplane-mode"


@pytest.fixture(scope="module")
def plan(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return plan_into(BROWNFIELD, tmp_path_factory.mktemp("plan"))


def load(path: Path) -> Any:
    return YAML(typ="safe").load(path.read_text("utf-8"))


def namespace_labels(folder: Path) -> dict[str, dict[str, str]]:
    """The labels of every Namespace a phase's folder holds, by namespace."""
    found = {}
    for path in sorted(folder.glob(f"clusters/{CLUSTER}/namespaces/*/namespace-*.yaml")):
        document = load(path)
        found[document["metadata"]["name"]] = dict(document["metadata"].get("labels", {}))
    return found


def section(text: str, title: str) -> str:
    """The text of `## title`, up to the next `## `."""
    start = text.index(f"\n## {title}\n")
    end = text.find("\n## ", start + 1)
    return text[start : end if end > 0 else len(text)]


def step_section(text: str, step: str) -> str:
    """The text of `### Step N: `step``, up to the next `###` or `## ` heading."""
    start = text.index(f": `{step}`\n", text.index("\n## Steps\n"))
    ends = [at for at in (text.find("\n### ", start + 1), text.find("\n## ", start + 1)) if at > 0]
    return text[start : min(ends) if ends else len(text)]


def apply_label_commands(labels: dict[str, dict[str, str]], text: str) -> dict[str, dict[str, str]]:
    """Run every `kubectl label namespace` line of `text` on `labels`, as kubectl would."""
    result = {name: dict(values) for name, values in labels.items()}
    for line in text.splitlines():
        if not line.startswith("kubectl label "):
            continue
        words = [word for word in shlex.split(line)[2:] if word != "--overwrite"]
        assert words[0] == "namespace", line
        target = result[words[1]]
        for change in words[2:]:
            if change.endswith("-") and "=" not in change:
                assert change[:-1] in target, f"{line}: removes a label the namespace does not have"
                del target[change[:-1]]
            else:
                key, _, value = change.partition("=")
                target[key] = value
    return result


def test_the_profile_moves_the_seeds_namespaces_in_the_seeds_order(plan: Path) -> None:
    assert sorted(path.name for path in plan.iterdir() if not path.name.startswith(".")) == FOLDERS


@pytest.mark.parametrize("number", range(len(FOLDERS)), ids=FOLDERS)
def test_labels_of_every_namespace_at_every_phase(plan: Path, number: int) -> None:
    """Before its phase a namespace has `istio-injection: enabled` only; from it on
    `istio.io/dataplane-mode: ambient` only; and its pods follow."""
    moved = {phase["namespace"] for phase in SEED_PHASES if phase["order"] <= number}
    folder = plan / FOLDERS[number]
    expected = {name: labels["after" if name in moved else "before"] for name, labels in SEED_LABELS.items()}
    assert namespace_labels(folder) == expected
    assert {name: labels for name, labels in expected.items() if name in moved} == {
        name: {DATAPLANE: "ambient"} for name in moved
    }
    for name in SEED_LABELS:
        for deployment in (folder / f"clusters/{CLUSTER}/namespaces/{name}").glob("deployment-*.yaml"):
            pod = load(deployment)["spec"]["template"]["metadata"]["labels"]
            assert pod.get(DATAPLANE) == ("ambient" if name in moved else None), deployment


@pytest.mark.parametrize("phase", SEED_PHASES, ids=lambda phase: phase["namespace"])
def test_phase_md_holds_the_seeds_commands_and_its_rollback_restores_the_previous_labels(
    plan: Path, phase: dict[str, Any]
) -> None:
    number = phase["order"]
    text = (plan / FOLDERS[number] / "PHASE.md").read_text("utf-8")
    move = step_section(text, "move")  # a phase without waypoints or policies to move is one step
    assert "### Step 1: `move`" in text and "### Step 2" not in text
    assert f"\n{phase['label']}\n{phase['restart']}\n" in move
    before, after = namespace_labels(plan / FOLDERS[number - 1]), namespace_labels(plan / FOLDERS[number])
    assert apply_label_commands(before, move) == after
    # Rollback: Git first (the engine would undo a kubectl change), then restart for the sidecars.
    rollback = move[move.index("Rollback, in Git first") :]
    previous = "baseline" if number == 1 else SEED_PHASES[number - 2]["namespace"]
    assert f"revert this step's commit (or set `migration.at: {previous}` and render)" in rollback
    assert rollback.index("revert") < rollback.index(phase["restart"])
    assert "kubectl label" not in rollback
    # The commands name the profile as the repository holds it, and where the phase puts it.
    assert f"\n```yaml\nmigration:\n  at: {phase['namespace']}\n```\n" in move
    assert "\ngen render profiles/brownfield.yaml\n" in move


@pytest.mark.parametrize("phase", SEED_PHASES, ids=lambda phase: phase["namespace"])
def test_phase_md_checks_one_container_and_hbone(plan: Path, phase: dict[str, Any]) -> None:
    text = step_section((plan / FOLDERS[phase["order"]] / "PHASE.md").read_text("utf-8"), "move")
    name = phase["namespace"]
    containers = next(step for step in SEED["brownfield"]["steps"] if step["step"] == "4-D")["checks"][0]
    assert containers["command"].replace("-n client", f"-n {name}") in text
    hbone = next(step for step in SEED["greenfield"]["steps"] if step["step"] == "3")["checks"][4]["command"]
    assert hbone in text
    pods = re.findall(rf"^{name} (\S+)-\.\.\. \.\.\. HBONE$", text, re.MULTILINE)
    assert pods and all(f"\n{pod}-...\t" in text for pod in pods)  # each pod, with its app's container only
    assert "istio-proxy\n" not in text.split("```text", 1)[1].split("```", 1)[0]
    assert f"kubectl get gateways -n {name}" in text  # TSB-managed waypoints, as in Steps 4-B, 5-B, 6-B


@pytest.mark.parametrize(
    "outcome", [o for o in SEED["brownfield"]["outcomes"] if o["step"][0] in "456"], ids=lambda o: o["id"]
)
def test_phase_md_predicts_the_seeds_calls(plan: Path, outcome: dict[str, Any]) -> None:
    """Steps 4-C, 5-C and 6-C: the seed's curl command in the phase that moves either side, with
    the outcome the matrix predicts, which is the seed's."""
    number = int(outcome["step"][0]) - 3
    text = section((plan / FOLDERS[number] / "PHASE.md").read_text("utf-8"), "Calls")
    at = text.index(f"\n{outcome['command']}\n")
    heading = text.rfind(f"\n`{CLUSTER}/", 0, at)
    decision = "allow" if outcome["allowed"] else "deny"
    assert text[heading : at].startswith(
        f"\n`{CLUSTER}/{outcome['from']['namespace']}` to `{CLUSTER}/{outcome['to']['namespace']}` ({decision}):"
    )
    expected = text[at:].split("Expected: ", 1)[1].split("\n", 1)[0]
    if outcome["allowed"]:
        assert expected != "`RBAC: access denied`"
    else:
        assert expected == f"`{outcome['output']}`"


def test_phase_0_says_to_restart_the_sidecars_once_ambient_is_enabled(plan: Path) -> None:
    text = (plan / "00-baseline" / "PHASE.md").read_text("utf-8")
    before = section(text, "Before the first phase")
    assert "restart every sidecar namespace once" in before
    for name in SEED_LABELS:
        assert f"\nkubectl rollout restart deployment -n {name}\n" in before
    assert "Nothing to roll back" in section(text, "Rollback")
    for outcome in (o for o in SEED["brownfield"]["outcomes"] if o["step"] == "3"):
        assert f"\n{outcome['command']}\n" in section(text, "Calls")  # the seed's Step 3


@pytest.mark.parametrize("number", range(len(FOLDERS)), ids=FOLDERS)
def test_render_at_each_phase_matches_the_phase_folder(plan: Path, tmp_path: Path, number: int) -> None:
    result = CliRunner().invoke(commands.app, ["render", str(BROWNFIELD), "--phase", str(number), "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    rendered = {name: data for name, data in tree(tmp_path / "brownfield").items() if "/namespaces/" in name or name.endswith("/verify.sh")}
    planned = {name: data for name, data in tree(plan / FOLDERS[number]).items() if name != "PHASE.md"}
    assert rendered == planned


@pytest.mark.parametrize("at", [None, "baseline", "client", "httpbin", "bookinfo"])
def test_default_render_is_where_migration_at_says_the_estate_stands(plan: Path, tmp_path: Path, at: str | None) -> None:
    text = BROWNFIELD.read_text("utf-8")
    if at is not None:
        text = text.replace("migration:\n  phases:", f"migration:\n  at: {at}\n  phases:")
    profile = tmp_path / "brownfield.yaml"
    profile.write_text(text, "utf-8")
    result = CliRunner().invoke(commands.app, ["render", str(profile), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    rendered = {name: data for name, data in tree(tmp_path / "out" / "brownfield").items() if "/namespaces/" in name or name.endswith("/verify.sh")}
    folder = FOLDERS[0] if at in (None, "baseline") else next(f for f in FOLDERS if f.endswith("-" + at))
    assert rendered == {name: data for name, data in tree(plan / folder).items() if name != "PHASE.md"}
    # --check needs no flag: the tree is what the profile says, and a preview of another phase differs.
    check = CliRunner().invoke(commands.app, ["render", str(profile), "--out", str(tmp_path / "out"), "--check"])
    assert check.exit_code == 0, check.output
    other = "bookinfo" if at != "bookinfo" else "baseline"
    preview = CliRunner().invoke(commands.app, ["render", str(profile), "--out", str(tmp_path / "out"), "--phase",
                                                other, "--check"])
    assert preview.exit_code == 1
