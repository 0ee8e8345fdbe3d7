"""Validation problems are collected in time linear in their number (issue 19, case 7).

A workspace that listed one selector 2,000 times took 18 s to validate: cerberus sorted its error
list, and two error trees, again after every error. These tests count what the collection does,
never how long it takes: comparisons between errors grow as n log n, a value repeated n times is
one problem, and the errors come out in the order cerberus itself gives them.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import cerberus
import pytest
from cerberus import errors as cerberus_errors

from generator.cerberus_validators import leaf_errors
from generator.plan.catalog_schema import ENTRY, OBJECT_SCHEMAS
from generator.policies.schema import DOCUMENT
from generator.profile.schema import PROFILE_SCHEMA
from generator.profile.validate import ProfileValidator, validate
from helpers import CAFFEINE, variant
from test_errors import assert_at, only, problems_of

SELECTOR = 'namespaces: ["*/caffeine"]'


def _selectors(items: list[str]) -> str:
    return "namespaces: [" + ", ".join(f'"{item}"' for item in items) + "]"


def _profile_with_selectors(items: list[str]) -> Any:
    from ruamel.yaml import YAML

    return YAML(typ="safe").load(CAFFEINE.replace(SELECTOR, _selectors(items), 1))


def _comparisons(monkeypatch: pytest.MonkeyPatch, document: Any) -> tuple[int, int]:
    """How many times errors were compared while validating `document`, and the problems found."""
    count = 0
    compare = cerberus_errors.ValidationError.__lt__

    def counting(self: Any, other: Any) -> bool:
        nonlocal count
        count += 1
        return compare(self, other)

    monkeypatch.setattr(cerberus_errors.ValidationError, "__lt__", counting)
    problems = validate(document)
    monkeypatch.setattr(cerberus_errors.ValidationError, "__lt__", compare)
    return count, len(problems)


@pytest.mark.parametrize("n", [500, 2000])
def test_errors_are_compared_n_log_n_times_not_n_squared(monkeypatch: pytest.MonkeyPatch, n: int) -> None:
    """n distinct bad selectors are n errors under one list; sorting after each one (cerberus'
    way) compares about n²/2 times: 2,000 errors, 2 million comparisons. One sort: n log n."""
    count, found = _comparisons(monkeypatch, _profile_with_selectors([f"bad-{i}" for i in range(n)]))
    assert found == n
    assert count <= 3 * n * math.log2(n), f"{count} comparisons for {n} errors"


def test_a_value_repeated_2000_times_is_one_problem_at_its_second_place(tmp_path: Path) -> None:
    path, text = variant(tmp_path, (SELECTOR, _selectors(["*/caffeine"] * 2000)))
    problem = only(problems_of(path), "duplicate-item")
    assert problem.path == ("tenants", 0, "workspaces", 0, "namespaces", 1)
    assert problem.message == "'*/caffeine' is listed 2000 times (also at namespaces[0], [2], [3], [4] and 1,995 more)"
    assert problem.hint == "remove the repeated items"
    assert_at(problem, path, text, '"*/caffeine"', occurrence=2)


def test_each_repeated_value_is_one_problem_and_a_pair_reads_as_before(tmp_path: Path) -> None:
    path, _ = variant(tmp_path, (SELECTOR, _selectors(["*/caffeine", "a/b", "*/caffeine", "*/caffeine", "a/b"])))
    problems = [p for p in problems_of(path) if p.rule == "duplicate-item"]
    assert [(p.path[-1], p.message) for p in problems] == [
        (2, "'*/caffeine' is listed 3 times (also at namespaces[0], [3])"),
        (4, "'a/b' is listed twice (also at namespaces[1])"),
    ]
    assert [p.hint for p in problems] == ["remove the repeated items", "remove the repeated item"]


def test_a_name_used_by_many_entries_is_one_problem(tmp_path: Path) -> None:
    workspace = '  - name: cnp-nginx-ws               # the sidecar clients of scenario B\n    namespaces: ["*/cnp-nginx"]\n'
    path, _ = variant(tmp_path, (workspace, workspace * 4))
    problem = only(problems_of(path), "duplicate-name")
    assert problem.path == ("tenants", 0, "workspaces", 2, "name")
    assert problem.message == "duplicate name 'cnp-nginx-ws' (also at workspaces[1], [3], [4])"
    assert problem.hint == "names in `workspaces` must be unique; rename or merge the 4 entries"


def test_a_namespace_declared_many_times_on_a_cluster_is_one_problem(tmp_path: Path) -> None:
    namespace = "- name: caffeine\n  clusters: [app-blk-east-0]\n  dataplane: ambient\n  apps: [caffeine]\n"
    path, _ = variant(tmp_path, (namespace, namespace * 4))
    problem = only(problems_of(path), "duplicate-name")
    assert problem.path == ("namespaces", 1, "clusters", 0)
    assert problem.message == (
        "namespace 'caffeine' is declared 4 times on cluster 'app-blk-east-0' (also at namespaces[0], [2], [3])"
    )
    assert problem.hint.startswith("a namespace exists once per cluster: merge the 4 entries, or drop the cluster")


def _leaf_keys(errors: list[Any]) -> list[tuple[Any, ...]]:
    return [(tuple(e.document_path), tuple(e.schema_path), e.code, repr(e.value)) for e in errors]


def _stock_leaves(validator: cerberus.Validator) -> list[Any]:
    def leaves(errors: Any) -> list[Any]:
        return [leaf for e in errors for leaf in (leaves(e.child_errors) if e.is_group_error else [e])]

    return leaves(validator._errors)


def test_the_errors_come_out_in_cerberus_own_order() -> None:
    """One sort at the end gives what cerberus' sort after every error gave, groups included."""
    data = _profile_with_selectors(["bad", "*/caffeine", "x/y", "*/caffeine", 7, "also bad"])  # type: ignore[list-item]
    data["clusters"][0]["platform"] = "AKS"
    data["clusters"][0]["istio"]["version"] = 1.2
    data["namespaces"][0]["apps"] = [{"name": "caffeine", "replicas": -1, "resources": {"limits": {"cpu": "x"}}}, "caffeine"]
    data["tsb"]["unknown"] = True
    stock = ProfileValidator(PROFILE_SCHEMA, allow_unknown=False)
    stock.validate(data, normalize=False)
    expected = _leaf_keys(_stock_leaves(stock))
    assert len(expected) >= 8
    assert _leaf_keys(leaf_errors(ProfileValidator, PROFILE_SCHEMA, data)) == expected


def _rules_used(schema: Any) -> set[str]:
    if isinstance(schema, dict):
        return set(schema) | {rule for value in schema.values() for rule in _rules_used(value)}
    if isinstance(schema, (list, tuple)):
        return {rule for value in schema for rule in _rules_used(value)}
    return set()


@pytest.mark.parametrize("schema", [PROFILE_SCHEMA, DOCUMENT, ENTRY, *OBJECT_SCHEMAS.values()])
def test_no_schema_uses_a_rule_that_reads_the_error_trees(schema: dict[str, Any]) -> None:
    """The validators leave cerberus' error trees empty; only these rules read them."""
    assert not _rules_used(schema) & {"dependencies", "readonly", "coerce", "default_setter"}
