"""The syntax of Kubernetes values that profiles and the app catalog hand to manifests: resource
quantities, label and annotation keys, label values, environment variable names.

Patterns end in \\Z, not $ (`$` also matches before a final newline).
"""

from __future__ import annotations

import re
from decimal import Decimal

# A resource quantity as Kubernetes reads it (apimachinery's resource.Quantity), without a sign:
# resources are never negative. `50m`, `0.5`, `128Mi`, `1e3`, `2G`.
QUANTITY = r"^(\d+(\.\d*)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][-+]?\d+)?\Z"
# The quantities YAML 1.1 and 1.2 both read as strings when written plain: a number and a unit
# suffix (`50m`, `128Mi`). Bare numbers and exponents (`1e3`) would read as numbers.
_PLAIN_QUANTITY = re.compile(r"\d+(\.\d+)?(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTP])")

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
_DECIMAL = {"n": Decimal("1e-9"), "u": Decimal("1e-6"), "m": Decimal("1e-3"), "": Decimal(1),
            "k": Decimal("1e3"), "M": Decimal("1e6"), "G": Decimal("1e9"), "T": Decimal("1e12"),
            "P": Decimal("1e15"), "E": Decimal("1e18")}


class Quantity(str):
    """A Kubernetes resource quantity. The `q` filter prints it plain where YAML keeps it a string
    (`cpu: 50m`), quoted otherwise (`cpu: "0.5"`)."""

    @property
    def prints_plain(self) -> bool:
        return _PLAIN_QUANTITY.fullmatch(self) is not None

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
    """A quantity as a profile may write it: a string in quantity syntax, or a whole number >= 0."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return value >= 0
    return isinstance(value, str) and re.match(QUANTITY, value) is not None
