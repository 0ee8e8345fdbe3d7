"""cerberus validators for gen's own schemas, made once per run without re-checking the schema.

cerberus checks a schema against its own rules whenever a validator is made from it; for the
profile schema that costs more than validating a thousand-namespace profile. gen's schemas are
code: tests/test_cerberus_validators.py makes each one the checking way and compares, so a run
takes the expanded schema as it is (cerberus' `UnvalidatedSchema`). Same rules, same results.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, TypeVar

import cerberus
from cerberus.schema import DefinitionSchema, UnvalidatedSchema

V = TypeVar("V", bound=cerberus.Validator)

# One validator per (class, schema): validators are reused, every validate() starts afresh.
_MADE: dict[tuple[type, int], tuple[dict[str, Any], cerberus.Validator]] = {}


def validator_for(cls: type[V], schema: dict[str, Any]) -> V:
    """A `cls` validator of `schema` (unknown keys refused), made on first use."""
    made = _MADE.get((cls, id(schema)))
    if made is None or made[0] is not schema:
        expanded = UnvalidatedSchema(DefinitionSchema.expand(schema))
        made = _MADE[(cls, id(schema))] = (schema, cls(expanded, allow_unknown=False))
    validator: V = made[1]
    return validator


def leaf_errors(cls: type[cerberus.Validator], schema: dict[str, Any], document: Any) -> list[Any]:
    """Every way `document` does not fit `schema` (validated as it is: gen's schemas neither
    default nor coerce), as cerberus' leaf errors: a group error stands for its children."""
    validator = validator_for(cls, schema)
    validator.validate(document, normalize=False)
    return list(_leaves(validator._errors))


def _leaves(errors: Iterable[Any]) -> Iterator[Any]:
    for error in errors:
        if error.is_group_error:
            yield from _leaves(error.child_errors)
        else:
            yield error
