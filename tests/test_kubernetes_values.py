"""Kubernetes value syntax: quantities (read, compared, printed), label keys and values."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from ruamel.yaml import YAML

from generator.kubernetes import LABEL_VALUE, QUALIFIED_NAME, Quantity, is_quantity
from generator.output.render import quote


@pytest.mark.parametrize("text", ["50m", "128Mi", "1Gi", "0.5", "1", "1e3", "1.5Gi", "2k", "100n", "3E", ".5", "1."])
def test_a_quantity_reads_back_as_the_same_string_in_yaml_1_1_and_1_2(text: str) -> None:
    printed = quote(Quantity(text))
    for version in ("1.1", "1.2"):
        yaml = YAML(typ="safe", pure=True)
        yaml.version = tuple(int(part) for part in version.split("."))
        assert yaml.load(f"cpu: {printed}\n") == {"cpu": text}


def test_unit_quantities_print_plain_and_numbers_quoted() -> None:
    assert quote(Quantity("50m")) == "50m"
    assert quote(Quantity("128Mi")) == "128Mi"
    assert quote(Quantity("1")) == '"1"'
    assert quote(Quantity("1e3")) == '"1e3"'
    # One rule for every string (generator/yaml_text.py): live values merged into helm values have
    # no Quantity type, and `cpu: 50m` there stays as it was written.
    assert quote("50m") == "50m"
    assert quote("1E") == '"1E"' and quote("1e3") == '"1e3"'


@pytest.mark.parametrize(
    "text,amount",
    [("50m", "0.05"), ("1", "1"), ("128Mi", str(128 * 2**20)), ("1G", "1000000000"), ("1e3", "1000"), ("0.5", "0.5")],
)
def test_quantity_amounts(text: str, amount: str) -> None:
    assert Quantity(text).amount() == Decimal(amount)


@pytest.mark.parametrize("value,ok", [("50m", True), (2, True), (0, True), (-1, False), (True, False), ("1.5.0", False),
                                      ("12x", False), ("-1", False), ("", False), (0.5, False)])
def test_what_is_a_quantity(value: object, ok: bool) -> None:
    assert is_quantity(value) is ok


@pytest.mark.parametrize("key,ok", [("app", True), ("example.com/team", True), ("a" * 63, True), ("a" * 64, False),
                                    ("-a", False), ("a/b/c", False), ("Example.com/x", False), ("x_y.z", True)])
def test_label_keys(key: str, ok: bool) -> None:
    assert bool(re.match(QUALIFIED_NAME, key)) is ok


@pytest.mark.parametrize("value,ok", [("", True), ("v1", True), ("a" * 63, True), ("a" * 64, False), ("-x", False),
                                      ("no spaces", False)])
def test_label_values(value: str, ok: bool) -> None:
    assert bool(re.match(LABEL_VALUE, value)) is ok
