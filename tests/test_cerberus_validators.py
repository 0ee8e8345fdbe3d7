"""gen's cerberus schemas are valid cerberus schemas: each is made here the checking way, and the
validator a run uses (made without re-checking, generator/cerberus_validators.py) holds exactly the
same expanded rules."""

from __future__ import annotations

import importlib.metadata
import os
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import cerberus
import pytest

import generator
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


_IMPORTED = """
import sys
import generator.cerberus_validators
import cerberus
print(cerberus.__version__, "importlib.metadata" in sys.modules)
import importlib.metadata
print(importlib.metadata.__file__ is not None, hasattr(importlib.metadata, "distributions"))
"""


@pytest.mark.parametrize("first", ["nothing", "egg-info", "zip"])
def test_cerberus_is_imported_without_importlib_metadata(first: str, tmp_path: Path) -> None:
    """cerberus asks importlib.metadata for its version at import; gen answers from the dist-info
    folder's name, or says "not found" (an egg-info or a zip first on sys.path): never an error, and
    importlib.metadata itself stays the real module for whoever imports it later."""
    path = [str(Path(generator.__file__).parent.parent)]
    if first == "egg-info":
        egg = tmp_path / "eggs" / "Cerberus-1.3.8-py3.11.egg-info"
        egg.mkdir(parents=True)
        (egg / "PKG-INFO").write_text("Metadata-Version: 2.1\nName: Cerberus\nVersion: 1.3.8\n")
        path.insert(0, str(egg.parent))
    elif first == "zip":
        archive = tmp_path / "empty.zip"
        with zipfile.ZipFile(archive, "w"):
            pass
        path.insert(0, str(archive))
    result = subprocess.run([sys.executable, "-c", _IMPORTED], capture_output=True, text=True,
                            env={**os.environ, "PYTHONPATH": os.pathsep.join(path)}, check=False)
    assert result.returncode == 0, result.stderr
    version, loaded = result.stdout.split("\n")[0].split()
    assert loaded == "False"  # cerberus did not import it
    assert version == (importlib.metadata.version("cerberus") if first == "nothing" else "unknown")
    assert result.stdout.split("\n")[1] == "True True"
