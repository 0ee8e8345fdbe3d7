"""gen's cerberus schemas are valid cerberus schemas: each is made here the checking way, and the
validator a run uses (made without re-checking, generator/cerberus_validators.py) holds exactly the
same expanded rules."""

from __future__ import annotations

from typing import Any

import cerberus
import pytest

from generator.cerberus_validators import validator_for
from generator.plan.catalog_schema import ENTRY, OBJECT_SCHEMAS
from generator.policies.schema import DOCUMENT
from generator.profile.schema import PROFILE_SCHEMA
from generator.profile.validate import ProfileValidator

SCHEMAS: list[tuple[str, type[cerberus.Validator], dict[str, Any]]] = [
    ("profile", ProfileValidator, PROFILE_SCHEMA),
    ("policy", cerberus.Validator, DOCUMENT),
    ("catalog entry", cerberus.Validator, ENTRY),
    *((f"catalog {kind}", cerberus.Validator, schema) for kind, schema in OBJECT_SCHEMAS.items()),
]


@pytest.mark.parametrize(("cls", "schema"), [(cls, schema) for _, cls, schema in SCHEMAS],
                         ids=[name for name, _, _ in SCHEMAS])
def test_each_schema_passes_cerberus_own_check_and_runs_unchanged(cls: type[cerberus.Validator], schema: dict[str, Any]) -> None:
    checked = cls(schema, allow_unknown=False)  # raises SchemaError for a schema cerberus refuses
    used = validator_for(cls, schema)
    assert isinstance(used, cls)
    assert used.schema.schema == checked.schema.schema
    assert validator_for(cls, schema) is used, "made once"


def test_a_broken_schema_is_what_the_check_would_catch() -> None:
    """The check the run skips is a real one: cerberus refuses an unknown rule."""
    with pytest.raises(cerberus.SchemaError):
        cerberus.Validator({"name": {"type": "string", "no_such_rule": True}})
