"""The syntax of Kubernetes values that profiles and the app catalog hand to manifests: resource
quantities, label and annotation keys, label values, environment variable names.

Patterns end in \\Z, not $ (`$` also matches before a final newline).
"""

from __future__ import annotations

import re
from decimal import Decimal
from fractions import Fraction
from typing import Literal

# A resource quantity as Kubernetes reads it (apimachinery's resource.Quantity), without a sign:
# resources are never negative. `50m`, `0.5`, `128Mi`, `1e3`, `2G`.
QUANTITY = r"^(\d+(\.\d*)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|[numukMGTPE]|[eE][-+]?\d+)?\Z"
# The numbers Kubernetes holds: counts such as a Deployment's replicas are int32; a quantity is at
# most 2^63-1 base units (cores, bytes), to a precision of 1n. A larger quantity is capped and a
# finer one rounded up, both silently: gen refuses them instead.
INT32_MAX = 2**31 - 1
INT64_MAX = 2**63 - 1
NANO = 10**9
QuantityFault = Literal["syntax", "too-large", "too-precise"]

_DNS_LABEL = r"[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?"
_NAME = r"[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?"
# A label or annotation key: an optional DNS-subdomain prefix and `/`, then a name of at most 63
# characters (`app`, `team.example.com/owner`).
QUALIFIED_NAME = rf"^({_DNS_LABEL}(\.{_DNS_LABEL})*/)?{_NAME}\Z"
# A label value: empty, or a name of at most 63 characters.
LABEL_VALUE = rf"^({_NAME})?\Z"
# An environment variable name as the API server accepts it.
ENV_NAME = r"^[-._a-zA-Z][-._a-zA-Z0-9]*\Z"

_BINARY = {"Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "Ti": 2**40, "Pi": 2**50, "Ei": 2**60}
_DECIMAL_EXPONENT = {"n": -9, "u": -6, "m": -3, "": 0, "k": 3, "M": 6, "G": 9, "T": 12, "P": 15, "E": 18}
_DECIMAL = {"n": Decimal("1e-9"), "u": Decimal("1e-6"), "m": Decimal("1e-3"), "": Decimal(1),
            "k": Decimal("1e3"), "M": Decimal("1e6"), "G": Decimal("1e9"), "T": Decimal("1e12"),
            "P": Decimal("1e15"), "E": Decimal("1e18")}


class Quantity(str):
    """A Kubernetes resource quantity. The `q` filter prints it plain where YAML keeps it a string
    (`cpu: 50m`), quoted otherwise (`cpu: "0.5"`), as any string (yaml_text.prints_plain)."""

    def amount(self) -> Decimal:
        """The quantity as a number of base units (cores, bytes), for comparisons."""
        match = re.fullmatch(QUANTITY, self)
        if match is None:
            raise ValueError(f"not a Kubernetes quantity: {self!r}")
        number, suffix = Decimal(match.group(1)), match.group(3) or ""
        if suffix in _BINARY:
            return number * _BINARY[suffix]
        if suffix[:1] in ("e", "E") and len(suffix) > 1:
            return number * Decimal(10) ** int(suffix[1:])
        return number * _DECIMAL[suffix]


def is_quantity(value: object) -> bool:
    """A quantity as a profile may write it: a string in quantity syntax, or a whole number >= 0,
    that Kubernetes holds as written."""
    return quantity_fault(value) is None


def quantity_fault(value: object) -> QuantityFault | None:
    """Why Kubernetes cannot hold `value` as a resource quantity: not its syntax (a negative number
    included), more than 2^63-1 base units, or finer than 1n. None: it holds it exactly."""
    if isinstance(value, bool):
        return "syntax"
    if isinstance(value, int):
        return "syntax" if value < 0 else "too-large" if value > INT64_MAX else None
    match = re.match(QUANTITY, value) if isinstance(value, str) else None
    if match is None:
        return "syntax"
    return _range_fault(match.group(1), match.group(3) or "")


# Beyond these powers of ten a quantity is out of range whatever its digits (2^63 < 10^19, and no
# suffix scales by more than 2^60 or less than 10^-9): decided without computing it.
_ORDER_TOO_LARGE = 20
_ORDER_TOO_SMALL = -30
_SIGNIFICANT_MAX = 200


def _range_fault(number: str, suffix: str) -> QuantityFault | None:
    whole, _, fraction = number.partition(".")
    digits = (whole + fraction).lstrip("0")
    if not digits:
        return None  # zero, whatever the suffix
    twos = 0
    if suffix in _BINARY:
        tens, twos = 0, _BINARY[suffix].bit_length() - 1
    elif len(suffix) > 1:  # e<exponent>: its digits may be any number of them
        sign, exponent = (suffix[1], suffix[2:]) if suffix[1] in "+-" else ("+", suffix[1:])
        exponent = exponent.lstrip("0") or "0"
        if len(exponent) > 4000:  # beyond what int() reads, and beyond any profile's digits
            return "too-precise" if sign == "-" else "too-large"
        tens = int(sign + exponent)
    else:
        tens = _DECIMAL_EXPONENT[suffix]
    tens -= len(fraction)
    significant = digits.rstrip("0")
    tens += len(digits) - len(significant)
    order = len(significant) + tens  # the value is below 10^order * 2^twos, at least 10^(order-1)
    if order - 1 >= _ORDER_TOO_LARGE:
        return "too-large"
    if order < _ORDER_TOO_SMALL or len(significant) > _SIGNIFICANT_MAX:
        # Below 10^-30, or a digit 10^-170 or further below the first: below 1n either way.
        return "too-precise"
    amount = Fraction(int(significant)) * Fraction(10) ** tens * 2**twos
    if amount > INT64_MAX:
        return "too-large"
    return "too-precise" if (amount * NANO).denominator != 1 else None
