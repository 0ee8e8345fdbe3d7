"""out/<profile>/README.md: the estate at a glance, true because it renders from the same profile
(issue 21): the seeds' call outcomes, diagrams mermaid's own parser accepts, hostile names quoted."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from conftest import GOLDEN, PROFILES, REPO
from generator import commands
from mermaid_parser import MERMAID_MISSING, mermaid_errors, mermaid_flowcharts
from test_mermaid import shown

runner = CliRunner()


def _blocks(text: str) -> list[str]:
    return re.findall(r"```mermaid\n(.*?)```", text, re.S)


def _render(tmp_path: Path, data: dict[str, object], name: str = "estate.yaml") -> str:
    tmp_path.mkdir(parents=True, exist_ok=True)
    profile = tmp_path / name
    profile.write_text(json.dumps(data, indent=1, ensure_ascii=False))  # JSON: YAML 1.2, every string quoted
    for folder in ("values", "policies"):
        if (PROFILES / folder).exists() and not (tmp_path / folder).exists():
            shutil.copytree(PROFILES / folder, tmp_path / folder)
    result = runner.invoke(commands.app, ["render", str(profile), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.stderr
    return (tmp_path / "out" / str(data["profile"]) / "README.md").read_text()


def _row(text: str, source: str, target: str) -> str:
    return next(line for line in text.splitlines() if line.startswith("| `") and f"| `{source}` | `{target}` |" in line)


def test_brownfield_shows_client_to_httpbin_denied_and_to_productpage_allowed() -> None:
    text = (GOLDEN / "brownfield" / "README.md").read_text()
    denied = _row(text, "client", "httpbin")
    assert "| denied |" in denied and "istio-proxy" in denied
    assert "| allowed |" in _row(text, "client", "bookinfo")
    assert "Expected: `RBAC: access denied`" in text
    assert "productpage.bookinfo.svc.cluster.local:9080/api/v1/products/1/reviews" in text
    assert "deny rule tenants[0].security.authorization.deny[0]" in text


def test_caffeine_shows_its_allowed_call_and_with_the_seed_rule_removed_its_denied_one(tmp_path: Path) -> None:
    text = (GOLDEN / "caffeine" / "README.md").read_text()
    row = _row(text, "caffeine", "caffeine")
    assert "| allowed |" in row
    assert "netshoot (caffeine) → ztunnel → waypoint waypoint (TSB) → ztunnel → barista (caffeine)" in row
    assert "kubectl exec -n caffeine deploy/netshoot -- curl -s barista.caffeine.svc.cluster.local:8000/ -i" in text
    data = yaml.safe_load((PROFILES / "caffeine.yaml").read_text())
    rules = data["tenants"][0]["workspaces"][0]["security"]["authorization"]["allow"]
    assert rules[0] == {"from": "caffeine-ws", "to": "caffeine-ws"}
    del rules[0]  # the seed's rule that lets the caffeine apps call each other
    denied = _render(tmp_path, data)
    row = _row(denied, "caffeine", "caffeine")
    assert "| denied | waypoint waypoint (TSB) |" in row
    assert "Expected: `RBAC: access denied`" in denied


def test_the_migration_says_where_the_estate_stands() -> None:
    text = (GOLDEN / "brownfield" / "README.md").read_text()
    assert "## Migration" in text
    assert "| `baseline` | current |" in text or "| current |" in text
    assert "## Migration" not in (GOLDEN / "caffeine" / "README.md").read_text()


def test_every_committed_readme_diagram_is_accepted_by_mermaids_parser() -> None:
    if MERMAID_MISSING:
        pytest.skip(MERMAID_MISSING)
    blocks = [block for readme in sorted(GOLDEN.glob("*/README.md")) for block in _blocks(readme.read_text())]
    assert len(blocks) >= 8
    assert mermaid_errors(blocks) == [None] * len(blocks)


HOSTILE_NAMES = ['a"b', "x]y", "end", "--> z", "%% c", "a;b", "<b>x</b>", "#1", "`id`", "a|b", "{x}", "(y)",
                 "ünïcödé ✓ 𝄞", "a\\b", "click me", "subgraph", "style x fill:#f00", ":::c"]


def test_hostile_display_names_yield_diagrams_mermaid_accepts_showing_each_verbatim(tmp_path: Path) -> None:
    """Every hostile name at once, one workspace each (names are DNS labels; display names are free
    text): one render, one run of the parser."""
    if MERMAID_MISSING:
        pytest.skip(MERMAID_MISSING)
    from fuzz import HOSTILE

    # Not NEL (browsers draw it as another character) nor a lone surrogate (refused: test_surrogates.py).
    names = [name for name in [*HOSTILE_NAMES, *HOSTILE]
             if "\x85" not in name and not any("\ud800" <= c <= "\udfff" for c in name) and len(name) < 1000]
    data = yaml.safe_load((PROFILES / "caffeine.yaml").read_text())
    workspaces = data["tenants"][0]["workspaces"]
    workspaces += [{"name": f"hostile-{index}", "displayName": name, "namespaces": [f"*/hostile-{index}"]}
                   for index, name in enumerate(names)]
    text = _render(tmp_path, data)
    blocks = _blocks(text)
    assert mermaid_errors(blocks) == [None] * len(blocks)
    tenancy = next(block for block in blocks if block.lstrip().startswith("flowchart TB"))
    (read,) = mermaid_flowcharts([tenancy])
    texts = {shown(vertex["text"]) for vertex in read["vertices"]}
    for index, name in enumerate(names):
        assert f"workspace hostile-{index} · {name} · TSB defaults" in texts, name


def test_gen_graph_prints_one_diagram_mermaid_accepts() -> None:
    one = runner.invoke(commands.app, ["graph", str(PROFILES / "caffeine.yaml")])
    assert one.exit_code == 0, one.stderr
    readme = (GOLDEN / "caffeine" / "README.md").read_text()
    assert one.stdout.rstrip("\n") == _blocks(readme)[0].rstrip("\n")  # the README's own diagram
    several = runner.invoke(commands.app, ["graph", str(PROFILES / "waypoints.yaml")])
    assert several.exit_code == 2 and "east-0, west-0" in several.stderr
    west = runner.invoke(commands.app, ["graph", str(PROFILES / "waypoints.yaml"), "--cluster", "west-0"])
    tenancy = runner.invoke(commands.app, ["graph", str(PROFILES / "brownfield.yaml"), "--tenancy"])
    assert west.exit_code == tenancy.exit_code == 0
    if MERMAID_MISSING:
        pytest.skip(MERMAID_MISSING)
    assert mermaid_errors([one.stdout, west.stdout, tenancy.stdout]) == [None, None, None]


def test_a_large_estate_draws_what_mermaid_can_draw_and_lists_the_rest(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """mermaid draws at most 50,000 characters a diagram: a large cluster is drawn without its
    Services, a larger one not at all (its table lists the namespaces)."""
    import sys

    from generator.graph import diagrams

    sys.path.insert(0, str(REPO / "bench"))
    from estate import estate

    data = yaml.safe_load(estate(100))
    full = _blocks(_render(tmp_path / "full", data))
    assert len(full) == 5 and all(len(block) <= diagrams.MAX_DIAGRAM for block in full)
    monkeypatch.setattr(diagrams, "MAX_DIAGRAM", 6_000)  # a 25-namespace cluster drawn in full is larger
    compact = _render(tmp_path / "compact", data)
    assert len(_blocks(compact)) == 4 and "Service " not in "".join(_blocks(compact))  # four clusters, compact
    assert "too many tenants and workspaces" in compact.lower()
    monkeypatch.setattr(diagrams, "MAX_DIAGRAM", 1_000)
    assert "Its 25 namespaces are too many for one mermaid drawing" in _render(tmp_path / "none", data)
    if MERMAID_MISSING:
        pytest.skip(MERMAID_MISSING)
    blocks = [*full, *_blocks(compact)]
    assert mermaid_errors(blocks) == [None] * len(blocks)


@pytest.mark.parametrize("profile", sorted(path.stem for path in PROFILES.glob("*.yaml")))
def test_a_drawing_is_skipped_only_when_it_cannot_fit(profile: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The size bounds that skip building a drawing too large for mermaid (diagrams.py) are lower
    bounds: each example's drawings, built in full, are at least that long."""
    from generator.graph import diagrams
    from generator.mesh import meshes
    from generator.pipeline import checked_model

    state = checked_model(PROFILES / f"{profile}.yaml")[0]
    monkeypatch.setattr(diagrams, "MAX_DIAGRAM", 10**9)
    for cluster in state.clusters:
        placed = [mesh for mesh in meshes(state) if mesh.cluster.name == cluster.name]
        for services in (True, False):
            drawing = diagrams._cluster_text(placed, cluster, services)
            assert drawing is not None and sum(diagrams._least(mesh, services) for mesh in placed) <= len(drawing)
    tenancy = diagrams.tenancy_diagram(state)
    assert tenancy is None or diagrams._tenancy_least(state) <= len(tenancy)
