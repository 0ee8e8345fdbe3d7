"""out/<profile>/README.md: the estate at a glance, true because it renders from the same profile
(issue 21): the seeds' call outcomes, diagrams mermaid's own parser accepts, hostile names quoted."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from conftest import GOLDEN, PROFILES
from generator import commands
from mermaid_parser import MERMAID_MISSING, mermaid_errors

runner = CliRunner()


def _blocks(text: str) -> list[str]:
    return re.findall(r"```mermaid\n(.*?)```", text, re.S)


def _render(tmp_path: Path, data: dict[str, object], name: str = "estate.yaml") -> str:
    profile = tmp_path / name
    profile.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
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


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_a_hostile_display_name_yields_a_diagram_mermaid_accepts_showing_it(tmp_path: Path, name: str) -> None:
    if MERMAID_MISSING:
        pytest.skip(MERMAID_MISSING)
    data = yaml.safe_load((PROFILES / "caffeine.yaml").read_text())
    data["tenants"][0]["workspaces"][0]["displayName"] = name
    text = _render(tmp_path, data)
    blocks = _blocks(text)
    assert mermaid_errors(blocks) == [None] * len(blocks)
    tenancy = next(block for block in blocks if block.lstrip().startswith("flowchart TB"))
    from mermaid_parser import decoded_labels

    assert any(name in label for label in decoded_labels(tenancy))
